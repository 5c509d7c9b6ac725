{#-
  The project's `table` materialization: builds the model's new table in the staging schema, never in
  place, its keys on what this run will publish (docs/dbt_layer.md, "Stage, test, publish").
-#}

{% materialization table, adapter='duckdb' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization table, adapter='postgres' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization table, adapter='mysql' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization table, adapter='sqlserver' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{#- `incremental`: the same staging, plus the in-place path of macros/publish/incremental.sql when
    the tables hold an earlier as-of of the same world (then only the delta is staged) -#}
{% materialization incremental, adapter='duckdb' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization incremental, adapter='postgres' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization incremental, adapter='mysql' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}

{% materialization incremental, adapter='sqlserver' %}
  {{ return(ecom_synth.build_staged_table()) }}
{% endmaterialization %}


{% macro build_staged_table() %}
  {#- never in place: `dbt retry` (and anything else that gives no selection) would rebuild the
      live table, with nothing to publish it all-or-nothing -#}
  {% if not ecom_synth.is_staged_node(model) %}
    {% do exceptions.raise_compiler_error(
        'ecom_synth builds ' ~ this ~ ' only by staging it in a run that selects it, and this command '
        ~ '(' ~ flags.WHICH ~ ', `dbt retry` included) gives no selection. Nothing was changed: '
        ~ 'run the original command again, e.g. `dbt build -s ' ~ model.name ~ '+`.') %}
  {% endif %}
  {#- one shape for the contract's constraints, named table constraints, before any DDL -#}
  {% do ecom_synth.use_table_level_constraints(model) %}
  {#- in place: the delta and the view of the table it would publish; the table, its keys and
      its indexes stay as they are, so the post-hooks that shape a new table do not run -#}
  {% if ecom_synth.is_incremental() %}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {% do ecom_synth.begin_rebuild_transaction() %}
    {{ return(ecom_synth.build_staged_delta()) }}
  {% endif %}
  {%- set staged = ecom_synth.building_relation().incorporate(type='table') -%}
  {%- set grant_config = config.get('grants') -%}

  {% do ecom_synth.point_foreign_keys_at_this_run(model) %}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {% do ecom_synth.begin_rebuild_transaction() %}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% do ecom_synth.lock_referenced_tables() %}

  {#- a staged table of an interrupted run, if prepare_staging did not run -#}
  {% do adapter.drop_relation(staged) %}

  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, staged, sql) }}
  {%- endcall %}

  {% do ecom_synth.add_named_constraints(staged) %}
  {% do create_indexes(staged) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do apply_grants(staged, grant_config, should_revoke=False) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {#- dbt caches `this` as built; the live table changes only at publish -#}
  {{ return({'relations': [staged]}) }}
{% endmacro %}


{#- Rewrite the foreign keys of `node` (the context's model dict, which the create step reads)
    to what this run publishes: staged parents for staged models, live ones otherwise. -#}
{% macro point_foreign_keys_at_this_run(node) %}
  {{ return(adapter.dispatch('point_foreign_keys_at_this_run', 'ecom_synth')(node)) }}
{% endmacro %}

{% macro default__point_foreign_keys_at_this_run(node) %}
  {% set staged_by_live_name = {} %}
  {% for other in ecom_synth.staged_nodes() %}
    {% do staged_by_live_name.update({other.relation_name: ecom_synth.staged_relation_of(other) | string}) %}
  {% endfor %}
  {% for constraint in ecom_synth.model_constraints(node) if constraint.type == 'foreign_key' and constraint.get('to') %}
    {% if constraint.to in staged_by_live_name %}
      {% do constraint.update({'to': staged_by_live_name[constraint.to]}) %}
    {% endif %}
  {% endfor %}
{% endmacro %}

{#- DuckDB: keys stay inside one schema, so a staged table keeps only its keys on staged parents
    (all of them in a full build); publish checks the others against the live parents. -#}
{% macro duckdb__point_foreign_keys_at_this_run(node) %}
  {% do ecom_synth.default__point_foreign_keys_at_this_run(node) %}
  {#- the staged relations render as "database"."<schema>__ecom_next"."table" -#}
  {% set staging = '"' ~ ecom_synth.staging_schema(this.schema) ~ '"."' %}
  {% set kept = [] %}
  {% for constraint in ecom_synth.model_constraints(node) %}
    {% if constraint.type != 'foreign_key' or staging in (constraint.get('to') or '') %}
      {% do kept.append(constraint) %}
    {% endif %}
  {% endfor %}
  {% do node.update({'constraints': kept}) %}
{% endmacro %}


{#- Named constraints a target adds after CREATE TABLE: only dbt-sqlserver, which creates anonymous
    ones in CREATE TABLE and adds the named ones with ALTER TABLE after its own swap. -#}
{% macro add_named_constraints(relation) %}
  {{ return(adapter.dispatch('add_named_constraints', 'ecom_synth')(relation)) }}
{% endmacro %}

{% macro default__add_named_constraints(relation) %}
{% endmacro %}

{% macro sqlserver__add_named_constraints(relation) %}
  {% set named = adapter.render_raw_model_alter_constraints(
      raw_constraints=ecom_synth.sqlserver_local_references(ecom_synth.model_constraints(model), relation.database)) %}
  {% if named %}
    {% call statement('add_named_constraints') -%}
      {{ ecom_synth.sqlserver_add_named_constraints_sql(relation, named) }}
    {%- endcall %}
  {% endif %}
{% endmacro %}


{#- Open the model's transaction before the first statement, so a failure rolls it all back -#}
{% macro begin_rebuild_transaction() %}
  {{ return(adapter.dispatch('begin_rebuild_transaction', 'ecom_synth')()) }}
{% endmacro %}

{#- PostgreSQL (and dbt's SQL adapters) begin on the first statement and keep DDL in it; MySQL
    commits each DDL statement on its own, which staging makes harmless: nothing live is touched -#}
{% macro default__begin_rebuild_transaction() %}
{% endmacro %}

{#- opens one even when the profile sets disable_transactions -#}
{% macro duckdb__begin_rebuild_transaction() %}
  {% do adapter.ensure_transaction() %}
{% endmacro %}

{#- SQL Server: dbt's BEGIN/COMMIT are real only with this adapter flag (dbt_project.yml); without
    it every statement commits on its own, and a failed publish would leave tables without their
    foreign keys, so the build refuses to start. -#}
{% macro sqlserver__begin_rebuild_transaction() %}
  {% if not adapter.behavior.dbt_sqlserver_use_dbt_transactions %}
    {% do exceptions.raise_compiler_error(
        'ecom_synth builds and publishes ' ~ this ~ ' in transactions, which on SQL Server needs '
        ~ '`flags: {dbt_sqlserver_use_dbt_transactions: true}` in dbt_project.yml. Nothing was changed.') %}
  {% endif %}
{% endmacro %}


{#- PostgreSQL: creating a foreign key locks the table it references. Two models that reference the
    same tables (order_item and promotion_product: product, promotion) lock them in name order
    up front, so they wait for each other instead of deadlocking. -#}
{% macro lock_referenced_tables() %}
  {{ return(adapter.dispatch('lock_referenced_tables', 'ecom_synth')()) }}
{% endmacro %}

{% macro default__lock_referenced_tables() %}
{% endmacro %}

{% macro postgres__lock_referenced_tables() %}
  {% set names = [] %}
  {% for constraint in ecom_synth.model_constraints(model) if constraint.type == 'foreign_key' and constraint.to %}
    {% do names.append(constraint.to | string) %}
  {% endfor %}
  {% if names %}
    {% call statement('lock_referenced_tables') -%}
      lock table {{ names | unique | sort | join(', ') }} in share row exclusive mode
    {%- endcall %}
  {% endif %}
{% endmacro %}

{#- SQL Server takes the foreign keys' locks inside the model's transaction in statement order -#}
{% macro sqlserver__lock_referenced_tables() %}
{% endmacro %}
