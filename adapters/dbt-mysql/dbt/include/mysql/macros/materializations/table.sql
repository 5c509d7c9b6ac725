{#-
  Tables. MySQL has no `create or replace table`, DDL commits on its own, and InnoDB moves
  the foreign keys of *other* tables along when a table they point at is renamed. So the
  default swap (rename old -> backup, new -> old, drop backup) would leave children pointing at
  the dropped backup. Here the new table is built under an intermediate name first (a failing
  query leaves the old table untouched), then the old table is dropped with
  foreign_key_checks=0 and the new one renamed into place: children's foreign keys, which
  refer to the table by name, attach to the new table and stay enforced.
-#}

{% macro mysql__create_table_as(temporary, relation, sql) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {%- set engine = config.get('engine', none) -%}
  {{ sql_header if sql_header is not none }}
  {%- if temporary %}
    drop temporary table if exists {{ relation.render() }};
    create temporary table {{ relation.render() }} {% if engine %}engine = {{ engine }}{% endif %}
    as select * from (
      {{ sql }}
    ) as dbt_ctas_subq
  {%- else -%}
  {%- set contract_config = config.get('contract') -%}
  {%- if contract_config.enforced %}
    {{ get_assert_columns_equivalent(sql) }}
    create table {{ relation.render() }}
    {{ mysql__table_columns_and_constraints(relation) }}
    {% if engine %}engine = {{ engine }}{% endif %};
    insert into {{ relation.render() }} ({{ adapter.dispatch('get_column_names', 'dbt')() }})
    {{ get_select_subquery(sql) }}
  {%- else %}
    create table {{ relation.render() }} {% if engine %}engine = {{ engine }}{% endif %}
    as select * from (
      {{ sql }}
    ) as dbt_ctas_subq
  {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{% macro mysql__table_columns_and_constraints(relation) -%}
  {#- A foreign key from the model to itself must name the table being created. -#}
  {%- set column_lines = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
  {%- set fk_lines = adapter.mysql_column_foreign_keys(raw_columns=model['columns']) -%}
  {%- set model_lines = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
  {%- set lines = [] -%}
  {%- for line in column_lines + fk_lines + model_lines -%}
    {%- if relation.identifier != this.identifier and 'references' in line -%}
      {%- do lines.append(line | replace(this.render(), relation.render())) -%}
    {%- else -%}
      {%- do lines.append(line) -%}
    {%- endif -%}
  {%- endfor -%}
  (
    {{ lines | join(',\n    ') }}
  )
{%- endmacro %}

{% macro mysql__create_view_as(relation, sql) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none }}
  {%- set contract_config = config.get('contract') -%}
  {%- if contract_config.enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif %}
  create or replace view {{ relation.render() }} as
    {{ sql }}
{%- endmacro %}

{% macro mysql__release_constraint_names(relation) -%}
  {#- Foreign key names (and on MySQL 8 check names) are unique per schema: take them off the
      table being replaced so its successor can reuse them. -#}
  {%- set names = adapter.mysql_constraint_names(model['columns'], model['constraints']) -%}
  {%- if names | length > 0 -%}
    {% set query %}
      select constraint_name, constraint_type
      from information_schema.table_constraints
      where table_schema = '{{ relation.schema }}'
        and table_name = '{{ relation.identifier }}'
        and constraint_type in ('FOREIGN KEY', 'CHECK')
        and constraint_name in ('{{ names | join("', '") }}')
    {% endset %}
    {%- for row in run_query(query) -%}
      {%- if row[1] == 'FOREIGN KEY' -%}
        {% do run_query('alter table ' ~ relation.render() ~ ' drop foreign key ' ~ adapter.quote(row[0])) %}
      {%- elif not adapter.is_mariadb() -%}
        {% do run_query('alter table ' ~ relation.render() ~ ' drop check ' ~ adapter.quote(row[0])) %}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
{%- endmacro %}

{% macro mysql__replace_table(existing_relation, intermediate_relation, target_relation) -%}
  {#- Old table out (children's foreign keys stay, by name), new table in. -#}
  {%- if existing_relation is not none -%}
    {{ adapter.drop_relation(existing_relation) }}
  {%- endif -%}
  {{ adapter.rename_relation(intermediate_relation, target_relation) }}
{%- endmacro %}

{% materialization table, adapter='mysql' %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
  {%- set grant_config = config.get('grants') -%}

  {{ drop_relation_if_exists(preexisting_intermediate_relation) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if existing_relation is not none and existing_relation.is_table
        and config.get('contract').enforced -%}
    {{ mysql__release_constraint_names(existing_relation) }}
  {%- endif -%}

  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, intermediate_relation, sql) }}
  {%- endcall %}

  {% do create_indexes(intermediate_relation) %}

  {% if existing_relation is not none %}
    {% set existing_relation = load_cached_relation(existing_relation) %}
  {% endif %}
  {{ mysql__replace_table(existing_relation, intermediate_relation, target_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ adapter.commit() }}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
