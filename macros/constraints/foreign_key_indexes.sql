{#-
  An index on every foreign key column of the model, as a real OLTP schema has: joins from a
  parent to its children (an order's lines, a customer's orders) and the checks the database runs
  when a parent row is deleted or its key changes both look the children up by that column.

  Used as a project-wide post-hook (dbt_project.yml), so it reads the model's own foreign key
  constraints and needs no per-model list. A foreign key whose columns already lead the primary
  key or a unique constraint (promotion_product.promotion_id, order_item.order_id) is served by
  that index and gets none of its own.

  DuckDB gets none: it is a column store that answers joins and range scans with hash joins and
  zone maps, not indexes; an ART index only helps point lookups, is held in memory and slows
  every bulk insert (a million order lines here), and DuckDB already keeps the index it needs to
  check each foreign key. SQL Server and MySQL: MySQL (InnoDB) creates these indexes itself;
  SQL Server does not: its `sqlserver__` version below is written but not yet run against a server.
-#}
{% macro create_foreign_key_indexes() %}
  {{ return(adapter.dispatch('create_foreign_key_indexes', 'ecom_synth')()) }}
{% endmacro %}

{% macro default__create_foreign_key_indexes() %}
{% endmacro %}

{#- The column lists of this model's foreign keys that no primary or unique key already leads -#}
{% macro foreign_key_columns_to_index() %}
  {%- set covered = [] -%}
  {%- for constraint in model.constraints if constraint.type in ('primary_key', 'unique') -%}
    {%- do covered.append(constraint.columns | join(',') ~ ',') -%}
  {%- endfor -%}
  {%- set to_index = [] -%}
  {%- for constraint in model.constraints if constraint.type == 'foreign_key' -%}
    {%- set prefix = constraint.columns | join(',') ~ ',' -%}
    {%- set ns = namespace(covered=false) -%}
    {%- for key in covered if key.startswith(prefix) -%}
      {%- set ns.covered = true -%}
    {%- endfor -%}
    {%- if not ns.covered -%}
      {%- do to_index.append(constraint.columns) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(to_index) }}
{% endmacro %}

{#- the table is new on every build, so `if not exists` only guards a hand-made index -#}
{% macro postgres__create_foreign_key_indexes() %}
  {%- for columns in ecom_synth.foreign_key_columns_to_index() %}
create index if not exists {{ this.identifier ~ '_' ~ columns | join('_') ~ '_idx' }}
    on {{ this }} ({{ columns | join(', ') }});
  {%- endfor %}
{% endmacro %}

{#- SQL Server indexes no foreign key by itself; its build may keep the table (DML refresh) -#}
{% macro sqlserver__create_foreign_key_indexes() %}
  {%- for columns in ecom_synth.foreign_key_columns_to_index() %}
    {%- set index_name = this.identifier ~ '_' ~ columns | join('_') ~ '_idx' %}
if not exists (
    select 1 from sys.indexes
    where name = '{{ index_name }}' and object_id = object_id('{{ this.include(database=False) }}')
)
    create index {{ index_name }} on {{ this.include(database=False) }} ({{ columns | join(', ') }});
  {%- endfor %}
{% endmacro %}
