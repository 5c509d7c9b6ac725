{#- The select list of a typed model: each column of seeds_gen/schema.py's table, in order, cast
    from the source column of the same name to its type on the target. A unit test renders the
    model it tests with itself as `model`, hence the tested model's name when there is one. -#}
{% macro typed_columns() -%}
  {%- set table = (model.get('tested_node_unique_id') or model.unique_id).split('.')[-1] -%}
  {%- for name, logical_type, length in ecom_synth.schema_columns()[table] %}
        {{ dbt.cast(name, ecom_synth.column_type(logical_type, length)) }} as {{ name }}{{ ',' if not loop.last }}
  {%- endfor %}
{%- endmacro %}

{#- A logical type of seeds_gen/schema.py spelled for the target (vars.column_types) -#}
{% macro column_type(logical_type, length=none) -%}
  {{ return(var('column_types')[target.type][logical_type] ~ ('(' ~ length ~ ')' if length else '')) }}
{%- endmacro %}
