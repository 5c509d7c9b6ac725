{#-
  A model's constraints in one shape, the table-level one: its model-level constraints plus each
  column's primary key, unique, foreign key and check, lifted to `columns: [<column>]` with its
  name kept. The YAML declares a one-column key on its column (dbt docs shows it there); the
  DDL names every constraint (`constraint <name> ...`), which dbt's inline column rendering
  would drop. Everything that renders DDL or looks up keys reads them through here.
  Keys first, then checks; idempotent (a model already in this shape comes back unchanged).
-#}
{% macro model_constraints(node) %}
  {% set all = [] %}
  {% for column in node.columns.values() %}
    {% for constraint in column.constraints or [] if constraint.type in ecom_synth.lifted_constraint_types() %}
      {% set lifted = {} %}
      {% do lifted.update(constraint) %}
      {% do lifted.update({'columns': [column.name]}) %}
      {% do all.append(lifted) %}
    {% endfor %}
  {% endfor %}
  {% do all.extend(node.constraints or []) %}
  {% set ordered = [] %}
  {% for kind in ecom_synth.lifted_constraint_types() %}
    {% do ordered.extend(all | selectattr('type', 'equalto', kind) | list) %}
  {% endfor %}
  {% do ordered.extend(all | rejectattr('type', 'in', ecom_synth.lifted_constraint_types()) | list) %}
  {{ return(ordered) }}
{% endmacro %}

{#- Column constraints that become table constraints; not null stays on its column -#}
{% macro lifted_constraint_types() %}
  {{ return(['primary_key', 'unique', 'foreign_key', 'check']) }}
{% endmacro %}

{#- The model's columns (copies) with only what is rendered inline on them: not null -#}
{% macro inline_columns(node) %}
  {% set columns = {} %}
  {% for name, column in node.columns.items() %}
    {% set copy = {} %}
    {% do copy.update(column) %}
    {% do copy.update({'constraints': (column.constraints or []) | rejectattr('type', 'in', ecom_synth.lifted_constraint_types()) | list}) %}
    {% do columns.update({name: copy}) %}
  {% endfor %}
  {{ return(columns) }}
{% endmacro %}

{#- Put the running model (the context's dict, read by dbt's and the adapters' create-table DDL)
    in that shape, before anything renders it -#}
{% macro use_table_level_constraints(node) %}
  {% do node.update({'constraints': ecom_synth.model_constraints(node), 'columns': ecom_synth.inline_columns(node)}) %}
{% endmacro %}
