{#-
  Seeds without dbt's agate round trip: the adapter types the CSV in one streaming pass
  (mysql_plan_seed), creates `<seed>__dbt_seed` with those types (or, when the table exists and
  this is no --full-refresh, with the existing table's definition), loads the file into it with
  LOAD DATA LOCAL INFILE or the multi-row INSERT fallback (a header-only stub named in the
  generator's manifest.json: every part it lists, in order), and only then puts it in place of
  the old table. A failed load leaves the old table as it was and nothing half-loaded.
-#}

{% macro mysql__seed_quoted_columns(model, column_names) %}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
  {%- set quoted = [] -%}
  {%- for col in column_names -%}
    {%- do quoted.append(adapter.quote_seed_column(col, quote_seed_column)) -%}
  {%- endfor -%}
  {{ return(quoted) }}
{% endmacro %}

{% materialization seed, adapter='mysql' %}
  {%- set identifier = model['alias'] -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
  {%- set exists_as_table = (old_relation is not none and old_relation.is_table) -%}
  {%- set exists_as_view = (old_relation is not none and old_relation.is_view) -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set load_relation = make_intermediate_relation(target_relation, '__dbt_seed') -%}
  {%- do adapter.cache_dropped(load_relation) -%}

  {#- seed config check_manifest (default true): false loads a file the manifest does not describe -#}
  {%- set check_manifest = config.get('check_manifest', true) -%}
  {%- set check_manifest = (check_manifest | string | lower) not in ['false', '0', 'no', 'off'] -%}
  {%- set seed_path = adapter.mysql_seed_file_path(model) -%}
  {%- set plan = adapter.mysql_plan_seed(seed_path, config.get('delimiter', ','), config.get('column_types', {}), check_manifest) -%}
  {%- do store_result('agate_table', response='OK', agate_table=adapter.mysql_seed_sample_table(plan)) -%}

  {% if exists_as_view %}
    {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
  {% endif %}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- set quoted_columns = mysql__seed_quoted_columns(model, plan.column_names) -%}
  {%- set like_relation = old_relation if (exists_as_table and not full_refresh_mode) else none -%}
  {%- set loaded = adapter.mysql_load_seed(load_relation, plan, quoted_columns, like_relation, check_manifest) -%}

  {{ mysql__replace_table(old_relation if exists_as_table else none, load_relation, target_relation) }}

  {% set code = 'CREATE' if (full_refresh_mode or not exists_as_table) else 'INSERT' %}
  {% call noop_statement('main', code ~ ' ' ~ loaded['rows'], code, loaded['rows']) %}
    -- {{ loaded['method'] }}
    {{ loaded['create_sql'] }};
  {% endcall %}

  {% set should_revoke = should_revoke(old_relation, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% do persist_docs(target_relation, model) %}
  {% if full_refresh_mode or not exists_as_table %}
    {% do create_indexes(target_relation) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
