{#-
  An index on each foreign key column not already leading a key (post-hook; none on DuckDB).
  Why, and why not on DuckDB: docs/dbt_layer.md, "Constraints".
-#}
{% macro create_foreign_key_indexes() %}
  {{ return(adapter.dispatch('create_foreign_key_indexes', 'ecom_synth')()) }}
{% endmacro %}

{% macro default__create_foreign_key_indexes() %}
{% endmacro %}

{% macro postgres__create_foreign_key_indexes() %}
  {%- set covered = [] -%}
  {%- for constraint in ecom_synth.model_constraints(model) if constraint.type in ('primary_key', 'unique') -%}
    {%- do covered.append(constraint.columns | join(',')) -%}
  {%- endfor -%}
  {%- for constraint in ecom_synth.model_constraints(model) if constraint.type == 'foreign_key' -%}
    {%- set columns = constraint.columns | join(',') -%}
    {%- set ns = namespace(is_covered=false) -%}
    {%- for key in covered if (key ~ ',').startswith(columns ~ ',') -%}
      {%- set ns.is_covered = true -%}
    {%- endfor -%}
    {%- if not ns.is_covered %}
create index if not exists {{ this.identifier ~ '_' ~ constraint.columns | join('_') ~ '_idx' }}
    on {{ ecom_synth.building_relation() }} ({{ constraint.columns | join(', ') }});
    {%- endif -%}
  {%- endfor -%}
{% endmacro %}

{#- SQL Server indexes no foreign key by itself. The tables are rebuilt on every run, so an index
    normally does not exist yet; the guard keeps the hook harmless on a table that kept its own. -#}
{% macro sqlserver__create_foreign_key_indexes() %}
  {{ return(ecom_synth.sqlserver_foreign_key_indexes_sql(ecom_synth.building_relation(), ecom_synth.model_constraints(model))) }}
{% endmacro %}

{% macro sqlserver_foreign_key_indexes_sql(relation, constraints) %}
  {%- set covered = [] -%}
  {%- for constraint in constraints if constraint.type in ('primary_key', 'unique') -%}
    {%- do covered.append(constraint.columns | join(',')) -%}
  {%- endfor -%}
  {%- set statements = [] -%}
  {%- for constraint in constraints if constraint.type == 'foreign_key' -%}
    {%- set columns = constraint.columns | join(',') -%}
    {%- set ns = namespace(is_covered=false) -%}
    {%- for key in covered if (key ~ ',').startswith(columns ~ ',') -%}
      {%- set ns.is_covered = true -%}
    {%- endfor -%}
    {%- if not ns.is_covered -%}
      {%- set name = relation.identifier ~ '_' ~ constraint.columns | join('_') ~ '_idx' -%}
      {%- set quoted = [] -%}{%- for c in constraint.columns -%}{%- do quoted.append(adapter.quote(c)) -%}{%- endfor -%}
      {%- set sql -%}
if not exists (
    select 1
    from sys.indexes
    where name = N'{{ name | replace("'", "''") }}'
        and object_id = object_id(N'{{ relation.include(database=False) | string | replace("'", "''") }}')
)
    create nonclustered index {{ adapter.quote(name) }} on {{ relation.include(database=False) }} ({{ quoted | join(', ') }});
      {%- endset -%}
      {%- do statements.append(sql) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if statements -%}
{{ get_use_database_sql(relation.database) }}
{{ statements | join('\n') }}
  {%- endif -%}
{% endmacro %}
