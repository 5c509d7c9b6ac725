{#- Schema (= MySQL database), relation listing, columns, DDL helpers. -#}

{% macro mysql__create_schema(relation) -%}
  {%- call statement('create_schema') -%}
    create database if not exists {{ relation.without_identifier().include(database=False) }}
      character set utf8mb4
  {%- endcall -%}
{% endmacro %}

{% macro mysql__drop_schema(relation) -%}
  {%- call statement('drop_schema') -%}
    drop database if exists {{ relation.without_identifier().include(database=False) }}
  {%- endcall -%}
{% endmacro %}

{% macro mysql__drop_schema_named(schema_name) %}
  {% set schema_relation = api.Relation.create(schema=schema_name) %}
  {{ mysql__drop_schema(schema_relation) }}
{% endmacro %}

{% macro mysql__list_schemas(database) -%}
  {% call statement('list_schemas', fetch_result=True, auto_begin=False) -%}
    select distinct schema_name
    from information_schema.schemata
  {%- endcall %}
  {{ return(load_result('list_schemas').table) }}
{% endmacro %}

{% macro mysql__check_schema_exists(information_schema, schema) -%}
  {% call statement('check_schema_exists', fetch_result=True, auto_begin=False) -%}
    select count(*)
    from information_schema.schemata
    where schema_name = '{{ schema }}'
  {%- endcall %}
  {{ return(load_result('check_schema_exists').table) }}
{% endmacro %}

{% macro mysql__list_relations_without_caching(schema_relation) %}
  {% call statement('list_relations_without_caching', fetch_result=True) -%}
    select
      null as table_database,
      table_name as name,
      table_schema as table_schema,
      case when table_type = 'VIEW' then 'view' else 'table' end as table_type
    from information_schema.tables
    where table_schema = '{{ schema_relation.schema }}'
  {% endcall %}
  {{ return(load_result('list_relations_without_caching').table) }}
{% endmacro %}

{% macro mysql__get_columns_in_relation(relation) -%}
  {#- SHOW COLUMNS also sees TEMPORARY tables, which information_schema does not. -#}
  {% call statement('get_columns_in_relation', fetch_result=True) %}
    show columns from {{ relation.render() }}
  {% endcall %}
  {% set table = load_result('get_columns_in_relation').table %}
  {% set columns = [] %}
  {% for row in table %}
    {% do columns.append(api.Column.from_description(row[0], row[1] | lower | replace(' unsigned', '') )) %}
  {% endfor %}
  {{ return(columns) }}
{% endmacro %}

{% macro mysql__drop_relation(relation) -%}
  {% call statement('drop_relation', auto_begin=False) -%}
    {#- A table other tables still point at with foreign keys can only go with checks off;
        their constraints re-attach to the table created under the same name. -#}
    {%- if relation.is_view -%}
      drop view if exists {{ relation.render() }}
    {%- else -%}
      set foreign_key_checks = 0; drop table if exists {{ relation.render() }}; set foreign_key_checks = 1
    {%- endif -%}
  {%- endcall %}
{% endmacro %}

{% macro mysql__get_drop_sql(relation) -%}
  {%- if relation.is_view -%}
    drop view if exists {{ relation.render() }}
  {%- else -%}
    set foreign_key_checks = 0; drop table if exists {{ relation.render() }}; set foreign_key_checks = 1
  {%- endif -%}
{%- endmacro %}

{% macro mysql__drop_table(relation) -%}
  set foreign_key_checks = 0; drop table if exists {{ relation.render() }}; set foreign_key_checks = 1
{%- endmacro %}

{% macro mysql__drop_view(relation) -%}
  drop view if exists {{ relation.render() }}
{%- endmacro %}

{% macro mysql__rename_relation(from_relation, to_relation) -%}
  {% call statement('rename_relation') -%}
    rename table {{ from_relation.render() }} to {{ to_relation.render() }}
  {%- endcall %}
{% endmacro %}

{% macro mysql__get_rename_table_sql(relation, new_name) -%}
  rename table {{ relation.render() }} to {{ relation.incorporate(path={"identifier": new_name}).render() }}
{%- endmacro %}

{% macro mysql__get_rename_view_sql(relation, new_name) -%}
  rename table {{ relation.render() }} to {{ relation.incorporate(path={"identifier": new_name}).render() }}
{%- endmacro %}

{% macro mysql__truncate_relation(relation) -%}
  {% call statement('truncate_relation') -%}
    truncate table {{ relation.render() }}
  {%- endcall %}
{% endmacro %}

{#- Intermediate and backup names must fit MySQL's 64-character identifiers. -#}
{% macro mysql__make_relation_with_suffix(base_relation, suffix, dstring) %}
  {% if dstring %}
    {% set dt = modules.datetime.datetime.now() %}
    {% set suffix = suffix ~ dt.strftime("%H%M%S%f") %}
  {% endif %}
  {% set max_len = 64 - (suffix | length) %}
  {% set identifier = base_relation.identifier[:max_len] ~ suffix %}
  {{ return(base_relation.incorporate(path={"identifier": identifier})) }}
{% endmacro %}

{% macro mysql__make_intermediate_relation(base_relation, suffix) %}
  {{ return(mysql__make_relation_with_suffix(base_relation, suffix, dstring=False)) }}
{% endmacro %}

{% macro mysql__make_temp_relation(base_relation, suffix) %}
  {% set tmp = mysql__make_relation_with_suffix(base_relation, suffix, dstring=False) %}
  {{ return(tmp.incorporate(type='table')) }}
{% endmacro %}

{% macro mysql__make_backup_relation(base_relation, backup_relation_type, suffix) %}
  {% set backup = mysql__make_relation_with_suffix(base_relation, suffix, dstring=False) %}
  {{ return(backup.incorporate(type=backup_relation_type)) }}
{% endmacro %}

{% macro mysql__current_timestamp() -%}
  now(6)
{%- endmacro %}

{% macro mysql__snapshot_get_time() -%}
  now(6)
{%- endmacro %}

{% macro mysql__current_timestamp_backcompat() -%}
  now(6)
{%- endmacro %}

{% macro mysql__current_timestamp_in_utc_backcompat() -%}
  utc_timestamp(6)
{%- endmacro %}

{% macro mysql__alter_column_type(relation, column_name, new_column_type) -%}
  {#- a bare varchar has no length in MySQL: make it text -#}
  {%- if new_column_type | lower | trim in ('varchar', 'character varying', 'string') -%}
    {%- set new_column_type = 'text' -%}
  {%- endif -%}
  {% call statement('alter_column_type') %}
    alter table {{ relation.render() }} modify column {{ adapter.quote(column_name) }} {{ new_column_type }}
  {% endcall %}
{% endmacro %}

{% macro mysql__alter_relation_add_remove_columns(relation, add_columns, remove_columns) %}
  {% set clauses = [] %}
  {% for column in add_columns or [] %}
    {% do clauses.append('add column ' ~ column.quoted ~ ' ' ~ column.data_type) %}
  {% endfor %}
  {% for column in remove_columns or [] %}
    {% do clauses.append('drop column ' ~ column.quoted) %}
  {% endfor %}
  {% if clauses %}
    {% call statement('alter_relation_add_remove_columns') %}
      alter table {{ relation.render() }} {{ clauses | join(', ') }}
    {% endcall %}
  {% endif %}
{% endmacro %}

{% macro mysql__alter_relation_comment(relation, relation_comment) -%}
  {% if relation.is_table %}
    {% call statement('alter_relation_comment') %}
      alter table {{ relation.render() }} comment = '{{ relation_comment | replace("'", "''") }}'
    {% endcall %}
  {% endif %}
{% endmacro %}

{% macro mysql__alter_column_comment(relation, column_dict) -%}
  {#- MySQL can only comment a column by restating its whole definition: not supported. -#}
{% endmacro %}

{#- ---- contracts: column lists and casts ------------------------------------ -#}

{% macro mysql__get_table_columns_and_constraints() -%}
  {%- set column_lines = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
  {%- set column_fks = adapter.mysql_column_foreign_keys(raw_columns=model['columns']) -%}
  {%- set model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
  {%- set lines = column_lines + column_fks + model_constraints -%}
  (
    {{ lines | join(',\n    ') }}
  )
{%- endmacro %}

{% macro mysql__get_empty_schema_sql(columns) %}
  {%- set col_err = [] -%}
  select
  {% for i in columns %}
    {%- set col = columns[i] -%}
    {%- if col['data_type'] is not defined -%}
      {%- do col_err.append(col['name']) -%}
    {%- endif -%}
    {%- set col_name = adapter.quote(col['name']) if col.get('quote') else col['name'] -%}
    cast(null as {{ api.Column.cast_type(col['data_type'] or '') }}) as {{ col_name }}{{ ", " if not loop.last }}
  {%- endfor -%}
  {%- if (col_err | length) > 0 -%}
    {{ exceptions.column_type_missing(column_names=col_err) }}
  {%- endif -%}
{% endmacro %}

{% macro mysql__cast(field, type) -%}
  cast({{ field }} as {{ api.Column.cast_type(type) }})
{%- endmacro %}

{% macro mysql__safe_cast(field, type) -%}
  {#- used for unit-test fixture values: a char(n) target would silently cut longer strings -#}
  {%- set target = api.Column.cast_type(type) -%}
  cast({{ field }} as {{ 'char' if target.startswith('char(') else target }})
{%- endmacro %}

{% macro mysql__validate_sql(sql) -%}
  {% call statement('validate_sql') -%}
    explain {{ sql }}
  {% endcall %}
  {{ return(load_result('validate_sql')) }}
{% endmacro %}

{% macro mysql__get_show_grant_sql(relation) %}
  select 1 where false
{% endmacro %}

{#- No database level: nodes carry database = none, like the credentials. -#}
{% macro mysql__generate_database_name(custom_database_name=none, node=none) -%}
  {% do return(none) %}
{%- endmacro %}
