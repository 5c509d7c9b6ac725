{#- Snapshots: MySQL has no MERGE; the merge is an UPDATE ... JOIN then an INSERT. -#}

{% macro mysql__snapshot_merge_sql(target, source, insert_cols) -%}
  {%- set insert_cols_csv = insert_cols | join(', ') -%}
  {%- set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() -%}
  update {{ target.render() }} as DBT_INTERNAL_DEST
  join {{ source }} as DBT_INTERNAL_SOURCE
    on DBT_INTERNAL_SOURCE.{{ columns.dbt_scd_id }} = DBT_INTERNAL_DEST.{{ columns.dbt_scd_id }}
  set DBT_INTERNAL_DEST.{{ columns.dbt_valid_to }} = DBT_INTERNAL_SOURCE.{{ columns.dbt_valid_to }}
  where DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
  {%- if config.get("dbt_valid_to_current") %}
    and (DBT_INTERNAL_DEST.{{ columns.dbt_valid_to }} = {{ config.get('dbt_valid_to_current') }}
         or DBT_INTERNAL_DEST.{{ columns.dbt_valid_to }} is null)
  {%- else %}
    and DBT_INTERNAL_DEST.{{ columns.dbt_valid_to }} is null
  {%- endif %};

  insert into {{ target.render() }} ({{ insert_cols_csv }})
  select {% for column in insert_cols -%}
    DBT_INTERNAL_SOURCE.{{ column }}{{ ", " if not loop.last }}
  {%- endfor %}
  from {{ source }} as DBT_INTERNAL_SOURCE
  where DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
{%- endmacro %}

{% macro mysql__post_snapshot(staging_relation) %}
  {% do run_query('drop temporary table if exists ' ~ staging_relation.render()) %}
{% endmacro %}

{% macro mysql__create_columns(relation, columns) %}
  {% for column in columns %}
    {% call statement() %}
      alter table {{ relation.render() }} add column {{ adapter.quote(column.name) }} {{ column.data_type }}
    {% endcall %}
  {% endfor %}
{% endmacro %}
