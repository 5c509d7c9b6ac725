{#-
  The `table` materialization of this project on DuckDB and PostgreSQL: replace a typed table
  in one transaction, keeping the foreign keys that other tables hold on it.

  Why not dbt's own: the stock materialization builds `<table>__dbt_tmp`, renames the old table
  to `__dbt_backup`, renames the new one into place and drops the backup. With real foreign keys
  that breaks in both databases:
    - DuckDB refuses to rename or drop a table that a foreign key references, and it can neither
      drop nor add a foreign key on an existing table; it also remembers the name a referencing
      table was created under, so a table with foreign keys must be created under its final name.
    - PostgreSQL follows the rename: order_item's foreign key would point at
      `orders__dbt_backup`, and `drop ... cascade` of the backup silently deletes that foreign key.
      (dbt-duckdb 1.11 handles part of this itself, but refuses `dbt run -s orders` while
      order_item references it, and leaves order_item without constraints until it is rebuilt.)

  What this one does, all inside the model's transaction:
    1. detach the tables that reference this one (macros/materializations/referencing_tables.sql):
       PostgreSQL drops their foreign keys on this table; DuckDB sets their rows aside and drops
       them, deepest first (it cannot drop just the foreign key);
    2. drop the old table and create the new one under its final name, with the enforced
       contract: columns, types and every constraint exist before the first row goes in;
    3. reattach the referencing tables: PostgreSQL adds their foreign keys back, DuckDB recreates
       them from their own DDL and puts their rows back. Either way the database checks every
       kept row against the new table again.
  When the new table no longer fits the kept rows (a new dataset was generated), the referencing
  tables are emptied instead, but only if every one of them is built by a model selected in this
  run, which refills them right after; otherwise the model fails with a message naming them.

  What the user sees:
    - `dbt build` (twice), `dbt build --full-refresh`, `dbt run -s order_item`, `dbt run -s orders`
      all succeed; tables that reference a rebuilt table keep their rows and their keys.
    - A model that fails (bad row, broken SQL, contract mismatch) rolls its transaction back: its
      previous table, and every table it had detached, are exactly as before the run. Models
      built before it in the same run keep their new contents (dbt commits per model). If a new
      dataset made a model empty its referencing tables and a later model fails, those tables
      stay empty, with all their constraints, until the next successful run.
    - SQL Server uses it too (its entry and notes are further down). Other adapters, MySQL among
      them, keep their adapter's own `table` materialization; one joins by an entry here and its
      versions of the dispatched macros in referencing_tables.sql.
-#}

{% materialization table, adapter='duckdb' %}
  {{ return(ecom_synth.replace_table_keeping_references()) }}
{% endmaterialization %}

{% materialization table, adapter='postgres' %}
  {{ return(ecom_synth.replace_table_keeping_references()) }}
{% endmaterialization %}


{% macro replace_table_keeping_references() %}

  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set grant_config = config.get('grants') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {#- everything from here to adapter.commit() is one transaction -#}
  {% do ecom_synth.begin_rebuild_transaction() %}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% do ecom_synth.lock_referenced_tables() %}
  {% set detached = ecom_synth.detach_referencing_tables(target_relation, existing_relation) %}

  {% if existing_relation is not none %}
    {% call statement('drop_previous_' ~ existing_relation.type) -%}
      drop {{ existing_relation.type }} {{ existing_relation }}
    {%- endcall %}
  {% endif %}

  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, target_relation, sql) }}
  {%- endcall %}

  {% do ecom_synth.reattach_referencing_tables(target_relation, detached) %}

  {% do create_indexes(target_relation) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ adapter.commit() }}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmacro %}


{#- Open the model's transaction before the first drop, so a failure rolls everything back -#}
{% macro begin_rebuild_transaction() %}
  {{ return(adapter.dispatch('begin_rebuild_transaction', 'ecom_synth')()) }}
{% endmacro %}

{#- PostgreSQL (and dbt's SQL adapters) begin on the first statement and keep DDL in it -#}
{% macro default__begin_rebuild_transaction() %}
{% endmacro %}

{#- opens one even when the profile sets disable_transactions -#}
{% macro duckdb__begin_rebuild_transaction() %}
  {% do adapter.ensure_transaction() %}
{% endmacro %}


{#- SQL Server: the same rebuild (see referencing_tables.sql for its catalog work). Its create step
    is dbt-sqlserver's create_table_as: a view over the model SQL (T-SQL takes no CTE inside
    INSERT ... SELECT), CREATE TABLE with the contract's types and anonymous constraints, then
    INSERT ... WITH (TABLOCK). -#}
{% materialization table, adapter='sqlserver' %}
  {{ return(ecom_synth.replace_table_keeping_references()) }}
{% endmaterialization %}

{#- SQL Server: dbt's BEGIN/COMMIT are real only with this adapter flag (dbt_project.yml); without
    it every statement commits on its own, and a failure after the foreign keys were dropped would
    leave the referencing tables without them, so the rebuild refuses to start. -#}
{% macro sqlserver__begin_rebuild_transaction() %}
  {% if not adapter.behavior.dbt_sqlserver_use_dbt_transactions %}
    {% do exceptions.raise_compiler_error(
        'ecom_synth rebuilds ' ~ this ~ ' in one transaction, which on SQL Server needs '
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
  {% for constraint in model.constraints if constraint.type == 'foreign_key' and constraint.to %}
    {% do names.append(constraint.to | string) %}
  {% endfor %}
  {% if names %}
    {% call statement('lock_referenced_tables') -%}
      lock table {{ names | unique | sort | join(', ') }} in share row exclusive mode
    {%- endcall %}
  {% endif %}
{% endmacro %}

{#- SQL Server takes the foreign keys' locks inside the model's transaction in statement order;
    no separate lock step (its rebuild detaches and re-adds keys in name order already). -#}
{% macro sqlserver__lock_referenced_tables() %}
{% endmacro %}
