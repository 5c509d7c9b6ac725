{#-
  The project's seed materialization: checked bulk load into a side table, swapped in only when it
  passes; stock dbt seed with fast_seeds: false (docs/dbt_layer.md, "Seeds").
-#}
{% materialization seed, default %}

  {%- if not ecom_synth.use_fast_seed_loader(model) -%}
    {{ return(dbt.materialization_seed_default()) }}
  {%- endif -%}

  {%- set identifier = model['alias'] -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set column_types = config.get('column_types') -%}
  {%- set quote_columns = config.get('quote_columns', None) -%}
  {%- set seed_path = ecom_synth.seed_file_path(model) -%}
  {%- set seed_label = model['original_file_path'] -%}

  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
  {%- if old_relation is not none and old_relation.is_view -%}
    {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
  {%- endif -%}
  {%- set exists_as_table = old_relation is not none and old_relation.is_table -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set load_relation = target_relation.incorporate(path={'identifier': identifier ~ '__ecom_load'}) -%}

  {%- do ecom_synth.check_seed_files_present(model) -%}
  {%- set expected = ecom_synth.seed_manifest_entry(model) -%}

  {#- the table already holds the manifest's data (a previous seed, or python -m seeds_gen load) -#}
  {%- if exists_as_table and not full_refresh_mode and ecom_synth.seed_load_is_current(target_relation, expected, column_types) -%}
    {%- call noop_statement('main', 'KEPT ' ~ expected['rows'] ~ " (already holds the manifest's data; --full-refresh reloads)", 'KEPT', expected['rows']) -%}
      -- dbt seed (ecom_synth fast loader): {{ target_relation.render() }} already holds the manifest's data
    {%- endcall -%}
    {%- do store_result('agate_table', response='OK', agate_table=ecom_synth.seed_show_sample(target_relation)) -%}
    {{ return({'relations': [target_relation]}) }}
  {%- endif -%}

  {%- set files = ecom_synth.seed_data_files(model, expected) -%}
  {%- set seed_file = ecom_synth.read_seed_file(model, seed_path, column_types, expected) -%}
  {%- do ecom_synth.check_seed_file(model, seed_label, seed_path, seed_file, expected) -%}
  {%- do ecom_synth.check_seed_header(model, seed_label, seed_file['header'], column_types) -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {#- a leftover from an interrupted run must not get in the way -#}
  {%- do adapter.drop_relation(load_relation) -%}
  {%- set create_sql = ecom_synth.create_seed_table(load_relation, column_types, quote_columns) -%}
  {%- set load = ecom_synth.load_seed_file(model, load_relation, files, seed_file, column_types, quote_columns) -%}
  {%- do ecom_synth.check_seed_rows(seed_label, expected, load['rows'], load_relation) -%}

  {#- swap: the old table goes only now that the new one is complete -#}
  {%- if exists_as_table -%}
    {%- do adapter.drop_relation(old_relation) -%}
  {%- endif -%}
  {%- do adapter.rename_relation(load_relation, target_relation) -%}
  {%- do ecom_synth.record_seed_load(target_relation, expected, column_types) -%}

  {%- set code = 'CREATE' if (full_refresh_mode or not exists_as_table) else 'INSERT' -%}
  {%- set rows_affected = load['rows'] -%}
  {#- a loader that has more than one way says which one ran, e.g. "CREATE 1000 (server-side COPY)" -#}
  {%- set message = code ~ ' ' ~ rows_affected ~ ((' (' ~ load['method'] ~ ')') if load.get('method') else '') -%}
  {%- call noop_statement('main', message, code, rows_affected) -%}
    {{ create_sql }};
    -- dbt seed (ecom_synth fast loader) --
    {{ load['sql'] }}
  {%- endcall -%}

  {#- `dbt seed --show` prints a sample of the table; only then is one read back. -#}
  {%- do store_result('agate_table', response='OK', agate_table=ecom_synth.seed_show_sample(target_relation)) -%}

  {#- the table is new on every load: grants and indexes start from nothing -#}
  {%- do apply_grants(target_relation, config.get('grants'), should_revoke=false) -%}
  {%- do persist_docs(target_relation, model) -%}
  {%- do create_indexes(target_relation) -%}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  -- `COMMIT` happens here
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}


{#-
  MySQL/MariaDB: the adapter (adapters/dbt-mysql) has its own seed materialization, and dbt
  prefers an adapter's materialization to the project's `default` one. This one runs first: it
  keeps a table that already holds the manifest's data (KEPT, as above; --full-refresh reloads),
  makes the project's checks that come before any load (every generated CSV present, header equal
  to the declared column_types, a manifest.json beside a generated seed, Parquet refused with the
  loader to run), then hands over to the adapter's loader (LOAD DATA LOCAL INFILE of the file, or
  of every part, into a side table swapped in only when complete), which checks each file against
  the manifest itself (rows, bytes, sha256). MySQL DDL commits on its own, so the record of what
  the table holds is forgotten before the load and written after the swap: a crash in between
  leaves no record, and the next run reloads.
-#}
{% materialization seed, adapter='mysql' %}
  {%- set column_types = config.get('column_types') or {} -%}
  {%- if not ecom_synth.use_fast_seed_loader(model) -%}
    {{ return(dbt.materialization_seed_mysql()) }}
  {%- endif -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=model['alias']) -%}
  {%- do ecom_synth.check_seed_files_present(model) -%}
  {%- set expected = ecom_synth.seed_manifest_entry(model) -%}
  {%- if old_relation is not none and old_relation.is_table and not should_full_refresh()
        and ecom_synth.seed_load_is_current(target_relation, expected, column_types) -%}
    {%- call noop_statement('main', 'KEPT ' ~ expected['rows'] ~ " (already holds the manifest's data; --full-refresh reloads)", 'KEPT', expected['rows']) -%}
      -- dbt seed (ecom_synth): {{ target_relation.render() }} already holds the manifest's data
    {%- endcall -%}
    {%- do store_result('agate_table', response='OK', agate_table=ecom_synth.seed_show_sample(target_relation)) -%}
    {{ return({'relations': [target_relation]}) }}
  {%- endif -%}
  {%- if expected is not none and expected['format'] != 'csv' -%}
    {%- do ecom_synth.raise_seed_needs_loader(model, expected, 'LOAD DATA reads CSV files only') -%}
  {%- endif -%}
  {%- set check_manifest = expected is not none -%}
  {%- set plan = adapter.mysql_plan_seed(adapter.mysql_seed_file_path(model), config.get('delimiter', ','), column_types, check_manifest) -%}
  {%- do ecom_synth.check_seed_header(model, model['original_file_path'], plan.column_names, column_types) -%}
  {#- the record table (made by on-run-start of dbt seed and dbt build). READ COMMITTED for the two
      transactions below: under InnoDB's default, deleting a key that is not there locks the gap,
      and seeds recording in parallel threads (delete, then insert) deadlock. -#}
  {%- set loads = ecom_synth.seed_loads_relation(target_relation) -%}
  {%- set recorded = adapter.get_relation(database=loads.database, schema=loads.schema, identifier=loads.identifier) is not none -%}
  {%- set read_committed = 'set transaction isolation level read committed' -%}
  {%- if recorded -%}
    {%- call statement('seed_load_isolation', auto_begin=false) -%}{{ read_committed }}{%- endcall -%}
    {%- call statement('forget_seed_load') -%}
      delete from {{ loads.render() }} where seed_relation = '{{ ecom_synth.seed_record_key(target_relation) }}'
    {%- endcall -%}
    {%- do adapter.commit() -%}
  {%- endif -%}
  {%- set result = dbt.materialization_seed_mysql() -%}
  {%- if recorded and expected is not none and expected['sha256'] is not none -%}
    {%- call statement('seed_load_isolation', auto_begin=false) -%}{{ read_committed }}{%- endcall -%}
    {%- do ecom_synth.record_seed_load(target_relation, expected, column_types) -%}
    {%- do adapter.commit() -%}
  {%- endif -%}
  {{ return(result) }}
{% endmaterialization %}
