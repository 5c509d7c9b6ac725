{#- Incremental strategies: append, delete+insert, merge (insert ... on duplicate key update). -#}

{% macro mysql__get_incremental_append_sql(arg_dict) %}
  {%- set dest_cols_csv = get_quoted_csv(arg_dict["dest_columns"] | map(attribute="name")) -%}
  insert into {{ arg_dict["target_relation"] }} ({{ dest_cols_csv }})
  select {{ dest_cols_csv }}
  from {{ arg_dict["temp_relation"] }}
{% endmacro %}

{% macro mysql__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
  {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
  {%- if unique_key -%}
    {%- if unique_key is string -%}{%- set unique_key = [unique_key] -%}{%- endif -%}
    {%- set unique_key_str = unique_key | unique | join(', ') -%}
    {#- Multi-table form: the only DELETE with a table alias that MariaDB accepts. -#}
    delete DBT_INTERNAL_DEST from {{ target }} as DBT_INTERNAL_DEST
    where ({{ unique_key_str }}) in (
      select * from (
        select distinct {{ unique_key_str }}
        from {{ source }} as DBT_INTERNAL_SOURCE
      ) as dbt_keys
    )
    {%- for predicate in incremental_predicates or [] %}
      and {{ predicate }}
    {%- endfor -%};
  {% endif %}
  insert into {{ target }} ({{ dest_cols_csv }})
  select {{ dest_cols_csv }}
  from {{ source }}
{%- endmacro %}

{% macro mysql__has_unique_index_on(target, keys) %}
  {#- ON DUPLICATE KEY matches rows through a unique index: is there one over exactly these keys? -#}
  {%- set wanted = keys | map('lower') | map('trim') | unique | sort | list -%}
  {% set query %}
    select index_name, group_concat(lower(column_name) order by seq_in_index separator ',')
    from information_schema.statistics
    where table_schema = '{{ target.schema }}'
      and table_name = '{{ target.identifier }}'
      and non_unique = 0
    group by index_name
  {% endset %}
  {%- for row in run_query(query) -%}
    {%- if (row[1].split(',') | sort | list) == wanted -%}{{ return(true) }}{%- endif -%}
  {%- endfor -%}
  {{ return(false) }}
{% endmacro %}

{% macro mysql__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
  {%- set dest_cols = dest_columns | map(attribute="name") | list -%}
  {%- set dest_cols_csv = get_quoted_csv(dest_cols) -%}
  {%- if not unique_key -%}
    insert into {{ target }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ source }}
  {%- else -%}
    {%- if incremental_predicates -%}
      {{ exceptions.raise_compiler_error("incremental_predicates are not supported by the mysql merge strategy (insert ... on duplicate key update); use delete+insert") }}
    {%- endif -%}
    {%- set key_list = ([unique_key] if unique_key is string else unique_key) | unique | list -%}
    {%- set merge_update_columns = config.get('merge_update_columns') -%}
    {%- set merge_exclude_columns = config.get('merge_exclude_columns') -%}
    {%- set update_columns = get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
    {%- set keys = ([unique_key] if unique_key is string else unique_key) | map('lower') | list -%}
    {%- set updates = [] -%}
    {%- for col in update_columns -%}
      {%- if (col | replace('`', '') | lower) not in keys -%}{%- do updates.append(col) -%}{%- endif -%}
    {%- endfor -%}
    {%- if updates | length == 0 -%}{%- set updates = [get_quoted_csv(dest_cols[:1])] -%}{%- endif -%}
    {%- if not mysql__has_unique_index_on(target, key_list) -%}
    {#- No unique index over the key: MERGE semantics as an UPDATE ... JOIN, then an INSERT of
        the rows whose key is not in the target yet. -#}
    update {{ target }} as DBT_INTERNAL_DEST
    join {{ source }} as DBT_INTERNAL_SOURCE
      on {% for key in key_list -%}
        DBT_INTERNAL_SOURCE.{{ key }} = DBT_INTERNAL_DEST.{{ key }}{{ " and " if not loop.last }}
      {%- endfor %}
    set {% for col in updates -%}
        DBT_INTERNAL_DEST.{{ col }} = DBT_INTERNAL_SOURCE.{{ col }}{{ ", " if not loop.last }}
      {%- endfor %};
    insert into {{ target }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ source }} as DBT_INTERNAL_SOURCE
    where not exists (
      select 1 from {{ target }} as DBT_INTERNAL_DEST
      where {% for key in key_list -%}
        DBT_INTERNAL_SOURCE.{{ key }} = DBT_INTERNAL_DEST.{{ key }}{{ " and " if not loop.last }}
      {%- endfor %}
    )
    {%- elif adapter.is_mariadb() -%}
    insert into {{ target }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ source }}
    on duplicate key update
      {% for col in updates -%}
        {{ col }} = values({{ col }}){{ "," if not loop.last }}
      {% endfor %}
    {%- else -%}
    insert into {{ target }} ({{ dest_cols_csv }})
    select * from (select {{ dest_cols_csv }} from {{ source }}) as DBT_INTERNAL_SOURCE
    on duplicate key update
      {% for col in updates -%}
        {{ col }} = DBT_INTERNAL_SOURCE.{{ col }}{{ "," if not loop.last }}
      {% endfor %}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}
