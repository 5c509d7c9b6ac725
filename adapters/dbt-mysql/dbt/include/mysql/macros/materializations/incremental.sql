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

{#-
  Incremental materialization: dbt's flow, with the full-refresh swap done the foreign-key-safe
  way of the table materialization (drop the old table with checks off, rename the new one in),
  and the temporary table dropped at the end (MySQL keeps it for the session otherwise).
-#}
{% materialization incremental, adapter='mysql' -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set temp_relation = make_temp_relation(target_relation) -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set unique_key = config.get('unique_key') -%}
  {%- set rebuild = existing_relation is not none and (should_full_refresh() or existing_relation.is_view) -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {%- set grant_config = config.get('grants') -%}

  {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- set incremental_strategy = config.get('incremental_strategy') or 'default' -%}
  {%- set strategy_sql_macro_func = adapter.get_incremental_strategy_macro(context, incremental_strategy) -%}

  {%- if existing_relation is none -%}
    {%- set build_sql = get_create_table_as_sql(False, target_relation, sql) -%}
    {%- set relation_for_indexes = target_relation -%}
  {%- elif rebuild -%}
    {%- if existing_relation.is_table and config.get('contract').enforced -%}
      {{ mysql__release_constraint_names(existing_relation) }}
    {%- endif -%}
    {%- set build_sql = get_create_table_as_sql(False, intermediate_relation, sql) -%}
    {%- set relation_for_indexes = intermediate_relation -%}
  {%- else -%}
    {%- if config.get('contract').enforced -%}
      {#- Typed like the contract, so literal-derived types (int(3), varchar(5)) do not read
          as schema changes against the contract-built target. -#}
      {%- do run_query(mysql__create_contract_temp_table(temp_relation, sql)) -%}
    {%- else -%}
      {%- do run_query(get_create_table_as_sql(True, temp_relation, sql)) -%}
    {%- endif -%}
    {%- set relation_for_indexes = temp_relation -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if not contract_config or not contract_config.enforced -%}
      {%- do adapter.expand_target_column_types(from_relation=temp_relation, to_relation=target_relation) -%}
    {%- endif -%}
    {%- set dest_columns = process_schema_changes(on_schema_change, temp_relation, existing_relation) -%}
    {%- if not dest_columns -%}
      {%- set dest_columns = adapter.get_columns_in_relation(existing_relation) -%}
    {%- endif -%}
    {%- set incremental_predicates = config.get('predicates', none) or config.get('incremental_predicates', none) -%}
    {%- set build_sql = strategy_sql_macro_func({
          'target_relation': target_relation,
          'temp_relation': temp_relation,
          'unique_key': unique_key,
          'dest_columns': dest_columns,
          'incremental_predicates': incremental_predicates}) -%}
  {%- endif -%}

  {% call statement("main") %}
    {{ build_sql }}
  {% endcall %}

  {% if existing_relation is none or rebuild %}
    {% do create_indexes(relation_for_indexes) %}
  {% endif %}

  {% if rebuild %}
    {{ mysql__replace_table(existing_relation, intermediate_relation, target_relation) }}
  {% elif existing_relation is not none %}
    {% do run_query('drop temporary table if exists ' ~ temp_relation.render()) %}
  {% endif %}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=rebuild) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do adapter.commit() %}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{%- endmaterialization %}


{% macro mysql__create_contract_temp_table(relation, sql) -%}
  {%- set cols = [] -%}
  {%- for c in model['columns'].values() -%}
    {%- do cols.append((adapter.quote(c['name']) if c.get('quote') else c['name']) ~ ' ' ~ c['data_type']) -%}
  {%- endfor -%}
  drop temporary table if exists {{ relation.render() }};
  create temporary table {{ relation.render() }} ({{ cols | join(', ') }});
  insert into {{ relation.render() }} ({{ adapter.dispatch('get_column_names', 'dbt')() }})
  {{ get_select_subquery(sql) }}
{%- endmacro %}
