{#-
  In-place builds: the build state, each model's staged delta and its merge into the live tables
  (docs/dbt_layer.md, "In-place builds").
-#}

{% macro build_state_relation(schema, database=none) %}
  {{ return(api.Relation.create(database=database, schema=schema, identifier='ecom_synth_build_state', type='table')) }}
{% endmacro %}

{#- on-run-start: the state table in each schema this run builds tables in (committed before
    the models run in parallel threads) -#}
{% macro prepare_build_state() %}
  {% set seen = [] %}
  {% for node in ecom_synth.staged_nodes() %}
    {% set state = ecom_synth.build_state_relation(node.schema, node.database) %}
    {% if state.render() not in seen %}
      {% do seen.append(state.render()) %}
      {% do adapter.create_schema(api.Relation.create(database=node.database, schema=node.schema)) %}
      {% if adapter.get_relation(database=state.database, schema=state.schema, identifier=state.identifier) is none %}
        {% call statement('create_build_state', auto_begin=false) -%}
          create table {{ state.render() }} (
            table_name {{ ecom_synth.column_type('text', 200) }} not null primary key,
            world {{ ecom_synth.column_type('text', 64) }} not null,
            as_of {{ ecom_synth.column_type('timestamp') }} not null,
            definition_md5 {{ ecom_synth.column_type('text', 32) }} not null,
            source_sha256 {{ ecom_synth.column_type('text', 200) }} not null,
            built {{ ecom_synth.column_type('text', 20) }} not null,
            rows_inserted {{ ecom_synth.column_type('bigint') }} not null,
            rows_updated {{ ecom_synth.column_type('bigint') }} not null
          )
        {%- endcall %}
        {% do adapter.cache_added(state) %}
      {% endif %}
    {% endif %}
  {% endfor %}
{% endmacro %}

{#- {'world', 'as_of', 'label', 'sha256': {seed name: sha256}} of data/manifest.json, or none
    when manifest checks are off -#}
{% macro dataset_instant() %}
  {% if not ecom_synth.check_seed_manifest_enabled() %}
    {{ return(none) }}
  {% endif %}
  {% for node in graph.nodes.values() if node.resource_type == 'seed' and node.name == 'raw_row_counts' %}
    {% set folder = node.original_file_path.rsplit('/', 1)[0] if '/' in node.original_file_path else '.' %}
    {% set label = folder ~ '/manifest.json' %}
    {#- the project dir of this run: a copied project's partial parse can keep the old root_path on
        nodes whose files did not change -#}
    {% set root = invocation_args_dict.get('project_dir') or node.root_path %}
    {% set manifest = ecom_synth.read_seed_manifest(root ~ '/' ~ label,
        label ~ ': missing or unreadable; run python -m seeds_gen') %}
    {% set sha256 = {} %}
    {% for entry in (manifest.get('tables') or {}).values() if entry is mapping and entry.get('seed') %}
      {% do sha256.update({entry['seed']: entry.get('sha256') or ''}) %}
    {% endfor %}
    {{ return({'world': manifest.get('world'), 'as_of': manifest.get('as_of'), 'label': label, 'sha256': sha256}) }}
  {% endfor %}
  {{ return(none) }}
{% endmacro %}

{#- What the typed tables of `nodes` hold: {relation name: {'world', 'as_of'}} -#}
{% macro held_states(nodes) %}
  {% set held = {} %}
  {% set seen = [] %}
  {% for node in nodes %}
    {% set state = ecom_synth.build_state_relation(node.schema, node.database) %}
    {% if state.render() not in seen %}
      {% do seen.append(state.render()) %}
      {% if adapter.get_relation(database=state.database, schema=state.schema, identifier=state.identifier) is not none %}
        {% for row in run_query('select table_name, world, as_of, definition_md5, source_sha256 from ' ~ state.render()) %}
          {% do held.update({(node.schema ~ '.' ~ row[0]) | lower: {'world': row[1], 'as_of': (row[2] | string)[:19],
              'definition_md5': row[3], 'source_sha256': row[4]}}) %}
        {% endfor %}
      {% endif %}
    {% endif %}
  {% endfor %}
  {{ return(held) }}
{% endmacro %}

{#- What a table's in-place build depends on besides the data: its columns, types and
    constraints, and what a merge updates. A change rebuilds it in full (on_schema_change: fail). -#}
{% macro definition_md5(node) %}
  {% set parsed = graph.nodes[node.unique_id] %}
  {% set columns = [] %}
  {% for name, column in parsed.columns.items() %}{% do columns.append([name, column.data_type]) %}{% endfor %}
  {% set constraints = [] %}
  {% for constraint in ecom_synth.model_constraints(parsed) %}
    {% do constraints.append(tojson([constraint.type, constraint.name, constraint.expression, constraint.columns])) %}
  {% endfor %}
  {#- sorted: moving a constraint between the column and model level of the YAML changes nothing -#}
  {{ return(local_md5(tojson([columns, constraints | sort, parsed.config.get('merge_update_columns')]))) }}
{% endmacro %}

{#- The sha256 (data/manifest.json) of the seeds a model reads, one string -#}
{% macro source_sha256(node, dataset) %}
  {% set parts = [] %}
  {% for parent_id in graph.nodes[node.unique_id].depends_on.nodes | sort %}
    {% set parent = graph.nodes.get(parent_id) %}
    {% if parent is not none and parent.resource_type == 'seed' %}
      {% do parts.append((dataset.sha256 or {}).get(parent.name, '')[:16]) %}
    {% endif %}
  {% endfor %}
  {{ return(parts | join(',')) }}
{% endmacro %}

{#- The run's mode, the same answer in every hook and model of one run (its inputs change only
    at publish): {'incremental': bool, 'reason': one line, 'dataset', 'held'} -#}
{% macro build_mode() %}
  {% set nodes = ecom_synth.staged_nodes() %}
  {% set mode = {'incremental': false, 'reason': none, 'dataset': none, 'held': {}} %}
  {% if not nodes %}
    {{ return(mode) }}
  {% endif %}
  {% set dataset = ecom_synth.dataset_instant() %}
  {% do mode.update({'dataset': dataset}) %}
  {% if flags.FULL_REFRESH %}
    {% do mode.update({'reason': '--full-refresh'}) %}
  {% elif dataset is none %}
    {% do mode.update({'reason': 'manifest checks are off (check_seed_manifest: false), so what changed since the last build is unknown'}) %}
  {% elif not dataset.world or not dataset.as_of %}
    {% do mode.update({'reason': dataset.label ~ ' names no world or as_of (a dataset of an older generator)'}) %}
  {% else %}
    {% set held = ecom_synth.held_states(nodes) %}
    {% do mode.update({'held': held}) %}
    {% for node in nodes if mode.reason is none %}
      {% set state = held.get((node.schema ~ '.' ~ node.alias) | lower) %}
      {% if adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) is none %}
        {% do mode.update({'reason': 'no ' ~ node.alias ~ ' table yet'}) %}
      {% elif state is none %}
        {% do mode.update({'reason': 'no record of the dataset ' ~ node.alias ~ ' holds'}) %}
      {% elif state.world != dataset.world %}
        {% do mode.update({'reason': 'data/ holds another world (' ~ dataset.world[:12] ~ ') than the typed tables ('
            ~ state.world[:12] ~ ')'}) %}
      {% elif state.definition_md5 != ecom_synth.definition_md5(node) %}
        {% do mode.update({'reason': 'the contract of ' ~ node.alias ~ ' changed since it was built'}) %}
      {% elif dataset.as_of < state.as_of %}
        {% do mode.update({'reason': 'data/ is as of ' ~ dataset.as_of ~ ', earlier than ' ~ node.alias ~ ' (as of ' ~ state.as_of ~ ')'}) %}
      {% elif dataset.as_of == state.as_of and state.source_sha256 != 'live' and state.source_sha256 != ecom_synth.source_sha256(node, dataset) %}
        {#- the same instant with other bytes: the files were edited, not generated later
            ('live': a finished live run brought the tables to exactly this instant) -#}
        {% do mode.update({'reason': 'the seeds of ' ~ node.alias ~ ' differ from what it was built from at the same as-of ('
            ~ state.as_of ~ ')'}) %}
      {% endif %}
    {% endfor %}
    {% do mode.update({'incremental': mode.reason is none}) %}
  {% endif %}
  {{ return(mode) }}
{% endmacro %}

{#- on-run-start: one line that says what this run does, or the error incremental_only asks for -#}
{% macro announce_build_mode() %}
  {% if not execute or not ecom_synth.staged_nodes() %}
    {{ return('') }}
  {% endif %}
  {% set mode = ecom_synth.build_mode() %}
  {% if mode.incremental %}
    {% set oldest = mode.held.values() | map(attribute='as_of') | min %}
    {{ log('ecom_synth: data/ is the same world as of ' ~ mode.dataset.as_of ~ ' and the typed tables hold as of '
        ~ oldest ~ '; updating them in place', info=True) }}
  {% elif ecom_synth.truthy(var('incremental_only', false)) %}
    {% do exceptions.raise_compiler_error('ecom_synth: incremental_only is set, but ' ~ mode.reason
        ~ '. Nothing was changed. Generate the world the tables hold at a later instant (python -m seeds_gen'
        ~ ' --as-of ... with the seed and settings they were built from), or run without incremental_only'
        ~ ' to rebuild every table in full.') %}
  {% else %}
    {{ log('ecom_synth: ' ~ mode.reason ~ '; rebuilding every table in full', info=True) }}
  {% endif %}
  {{ return('') }}
{% endmacro %}

{% macro truthy(value) %}
  {{ return(value | lower not in ['false', '0', 'no', 'off', 'none', ''] if value is string else value) }}
{% endmacro %}

{#- dbt's is_incremental(), for this project: true in a run that updates the tables in place -#}
{% macro is_incremental() %}
  {% if not execute or not ecom_synth.is_staged_node(model) or model.config.materialized != 'incremental' %}
    {{ return(false) }}
  {% endif %}
  {{ return(ecom_synth.build_mode().incremental) }}
{% endmacro %}

{#- The as-of the running model's table holds, as a timestamp literal -#}
{% macro held_as_of() %}
  {% set state = ecom_synth.build_mode().held[(this.schema ~ '.' ~ this.identifier) | lower] %}
  {{ return(dbt.cast("'" ~ state.as_of ~ "'", ecom_synth.column_type('timestamp'))) }}
{% endmacro %}


{#- ---------------------------------------------------------------- the delta of one model -#}

{% macro delta_relation_of(node) %}
  {{ return(api.Relation.create(database=node.database, schema=ecom_synth.staging_schema(node.schema),
      identifier=node.alias ~ '__ecom_delta', type='table')) }}
{% endmacro %}

{#- The primary key columns of a model, from its contract -#}
{% macro primary_key_of(node) %}
  {% for constraint in ecom_synth.model_constraints(node) if constraint.type == 'primary_key' %}
    {{ return(constraint.columns) }}
  {% endfor %}
  {% do exceptions.raise_compiler_error('ecom_synth: ' ~ node.name ~ ' has no primary key in its contract; an in-place build merges on it') %}
{% endmacro %}

{#- SQL: `left` row matches `right` row on the key columns -#}
{% macro key_match_sql(node, left, right) %}
  {%- set parts = [] -%}
  {%- for column in ecom_synth.primary_key_of(node) -%}
    {%- do parts.append(left ~ '.' ~ adapter.quote(column) ~ ' = ' ~ right ~ '.' ~ adapter.quote(column)) -%}
  {%- endfor -%}
  {{ return(parts | join(' and ')) }}
{% endmacro %}

{#- Stage the running model's delta and the view of the table it would publish -#}
{% macro build_staged_delta() %}
  {% set delta = ecom_synth.delta_relation_of(model) %}
  {% set staged = ecom_synth.building_relation().incorporate(type='view') %}
  {% set live = this.incorporate(type='table') %}
  {#- a delta row may point at a live parent: the live table's keys check it at publish -#}
  {% set kept = [] %}
  {% for constraint in ecom_synth.model_constraints(model) if constraint.type != 'foreign_key' %}
    {% do kept.append(constraint) %}
  {% endfor %}
  {% do model.update({'constraints': kept}) %}
  {% set columns = [] %}
  {% for name in model.columns %}{% do columns.append(adapter.quote(name)) %}{% endfor %}

  {% do adapter.drop_relation(delta) %}
  {% do adapter.drop_relation(staged) %}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, delta, sql) }}
  {%- endcall %}
  {% do adapter.dispatch('analyze_delta', 'ecom_synth')(delta) %}
  {% call statement('stage_published_view') -%}
    {{ get_create_view_as_sql(staged, ecom_synth.published_view_sql(model, live, delta, columns)) }}
  {%- endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [delta, staged]}) }}
{% endmacro %}

{#- PostgreSQL plans the tests' reads of the view with the delta's statistics: a new table has
    none until autovacuum gets to it -#}
{% macro default__analyze_delta(relation) %}
{% endmacro %}

{% macro postgres__analyze_delta(relation) %}
  {% call statement('analyze_delta') -%}
    analyze {{ relation }}
  {%- endcall %}
{% endmacro %}

{#- The table as it will be after the merge: the live rows the delta does not replace, then the
    delta (an append-only table's delta only adds keys) -#}
{% macro published_view_sql(node, live, delta, columns) %}
select {{ columns | join(', ') }}
from {{ live }} as live_rows
{%- if node.config.get('merge_update_columns') %}
where not exists (
    select 1 from {{ delta }} as delta_rows
    where {{ ecom_synth.key_match_sql(node, 'delta_rows', 'live_rows') }}
)
{%- endif %}
union all
select {{ columns | join(', ') }}
from {{ delta }}
{%- endmacro %}


{#- ---------------------------------------------------------------- publish: merge and record -#}

{#- SQL that merges the delta of `node` into its live table: UPDATE of the mutable columns for
    the keys the table holds, then INSERT of the new keys -#}
{% macro merge_delta_sql(node) %}
  {%- set live = ecom_synth.live_relation_of(node) -%}
  {%- set delta = ecom_synth.delta_relation_of(node) -%}
  {%- set columns = [] -%}
  {%- for name in node.columns %}{% do columns.append(adapter.quote(name)) %}{% endfor -%}
  {%- set updates = node.config.get('merge_update_columns') or [] -%}
  {%- if updates -%}
{{ adapter.dispatch('update_from_delta_sql', 'ecom_synth')(node, live, delta, updates) }};
  {% endif -%}
insert into {{ live }} ({{ columns | join(', ') }})
select {{ columns | join(', ') }}
from {{ delta }} as delta_rows
{%- if updates %}
where not exists (
    select 1 from {{ live }} as live_rows
    where {{ ecom_synth.key_match_sql(node, 'live_rows', 'delta_rows') }}
)
{%- endif -%}
{%- endmacro %}

{#- DuckDB and PostgreSQL: UPDATE ... FROM (DuckDB refuses an update of a key column of a
    referenced table, so only the model's mutable columns are set) -#}
{% macro default__update_from_delta_sql(node, live, delta, updates) %}
update {{ live }} as live_rows
set {% for column in updates %}{{ adapter.quote(column) }} = delta_rows.{{ adapter.quote(column) }}{{ ', ' if not loop.last }}{% endfor %}
from {{ delta }} as delta_rows
where {{ ecom_synth.key_match_sql(node, 'live_rows', 'delta_rows') }}
{%- endmacro %}

{% macro mysql__update_from_delta_sql(node, live, delta, updates) %}
update {{ live }} as live_rows
inner join {{ delta }} as delta_rows
    on {{ ecom_synth.key_match_sql(node, 'live_rows', 'delta_rows') }}
set {% for column in updates %}live_rows.{{ adapter.quote(column) }} = delta_rows.{{ adapter.quote(column) }}{{ ', ' if not loop.last }}{% endfor %}
{%- endmacro %}

{% macro sqlserver__update_from_delta_sql(node, live, delta, updates) %}
update live_rows
set {% for column in updates %}{{ adapter.quote(column) }} = delta_rows.{{ adapter.quote(column) }}{{ ', ' if not loop.last }}{% endfor %}
from {{ live }} as live_rows
inner join {{ delta }} as delta_rows
    on {{ ecom_synth.key_match_sql(node, 'live_rows', 'delta_rows') }}
{%- endmacro %}

{#- SQL that records what the published tables now hold: a row per table of `recorded` (with
    its {'inserted', 'updated'} from `changes`), and no row for the tables of `forgotten` -#}
{% macro record_build_state_sql(recorded, forgotten, dataset, built, changes) %}
  {%- set statements = [] -%}
  {%- for node in recorded + forgotten -%}
    {%- do statements.append('delete from ' ~ ecom_synth.build_state_relation(node.schema, node.database).render()
        ~ " where table_name = '" ~ node.alias | replace("'", "''") ~ "'") -%}
  {%- endfor -%}
  {%- for node in recorded -%}
    {%- set change = changes.get(node.unique_id, {'inserted': 0, 'updated': 0}) -%}
    {%- do statements.append('insert into ' ~ ecom_synth.build_state_relation(node.schema, node.database).render()
        ~ " (table_name, world, as_of, definition_md5, source_sha256, built, rows_inserted, rows_updated) values ('"
        ~ node.alias | replace("'", "''") ~ "', '" ~ dataset.world | replace("'", "''") ~ "', "
        ~ dbt.cast("'" ~ dataset.as_of ~ "'", ecom_synth.column_type('timestamp')) ~ ", '" ~ ecom_synth.definition_md5(node) ~ "', '"
        ~ ecom_synth.source_sha256(node, dataset) | replace("'", "''") ~ "', '" ~ built ~ "', " ~ change.inserted | int ~ ", "
        ~ change.updated | int ~ ")") -%}
  {%- endfor -%}
  {{ return(statements) }}
{% endmacro %}

{#- {unique_id: {'inserted', 'updated'}}: what each staged delta (or, in a full build, each
    staged table) brings, counted before the publish -#}
{% macro staged_changes(nodes, incremental) %}
  {% set changes = {} %}
  {% for node in nodes %}
    {% if incremental and node.config.get('merge_update_columns') %}
      {% set sql %}
        select count(*) as delta_rows,
            sum(case when exists (
                select 1 from {{ ecom_synth.live_relation_of(node) }} as live_rows
                where {{ ecom_synth.key_match_sql(node, 'live_rows', 'delta_rows') }}
            ) then 1 else 0 end) as updated_rows
        from {{ ecom_synth.delta_relation_of(node) }} as delta_rows
      {% endset %}
    {% else %}
      {% set sql = 'select count(*) as delta_rows, 0 as updated_rows from '
          ~ (ecom_synth.delta_relation_of(node) if incremental else ecom_synth.staged_relation_of(node)) %}
    {% endif %}
    {% set row = run_query(sql).rows[0] %}
    {% set updated = (row[1] or 0) | int %}
    {% do changes.update({node.unique_id: {'inserted': (row[0] | int) - updated, 'updated': updated}}) %}
  {% endfor %}
  {{ return(changes) }}
{% endmacro %}

{#- True when every seed `node` reads holds the manifest's data (the seed load record says so):
    only then does the table hold the manifest's as-of -#}
{% macro seeds_hold_dataset(node) %}
  {% for parent_id in node.depends_on.nodes %}
    {% set seed = graph.nodes.get(parent_id) %}
    {% if seed is not none and seed.resource_type == 'seed' %}
      {% set expected = ecom_synth.seed_manifest_entry(seed) %}
      {% set relation = api.Relation.create(database=seed.database, schema=seed.schema, identifier=seed.alias) %}
      {% if not ecom_synth.seed_load_is_current(relation, expected, seed.config.column_types) %}
        {{ return(false) }}
      {% endif %}
    {% endif %}
  {% endfor %}
  {{ return(true) }}
{% endmacro %}

{#- The state statements of a publish: `built` is 'full' or 'incremental' -#}
{% macro build_state_statements(nodes, mode, built, changes) %}
  {% set recorded = [] %}
  {% set forgotten = [] %}
  {% for node in nodes %}
    {% if mode.dataset is not none and mode.dataset.world and mode.dataset.as_of and ecom_synth.seeds_hold_dataset(node) %}
      {% do recorded.append(node) %}
    {% elif built == 'full' %}
      {#- an incremental merge from seeds that do not hold the manifest's data keeps the older
          record: the next run then merges a superset, which is safe -#}
      {% do forgotten.append(node) %}
    {% endif %}
  {% endfor %}
  {{ return(ecom_synth.record_build_state_sql(recorded, forgotten, mode.dataset, built, changes)) }}
{% endmacro %}

{#- Merge every staged delta into its live table and record the state, all in one transaction -#}
{% macro publish_deltas(nodes, mode, changes) %}
  {% set statements = [] %}
  {% for node in nodes %}
    {% do statements.append(ecom_synth.merge_delta_sql(node)) %}
  {% endfor %}
  {% do statements.extend(ecom_synth.build_state_statements(nodes, mode, 'incremental', changes)) %}
  {% do adapter.dispatch('run_in_one_transaction', 'ecom_synth')('publish_deltas', statements) %}
{% endmacro %}

{% macro default__run_in_one_transaction(name, statements) %}
  {% call statement(name) -%}
    {{ statements | join(';\n') }}
  {%- endcall %}
  {{ adapter.commit() }}
{% endmacro %}

{% macro duckdb__run_in_one_transaction(name, statements) %}
  {% do adapter.ensure_transaction() %}
  {% do ecom_synth.default__run_in_one_transaction(name, statements) %}
{% endmacro %}

{#- MySQL: DML is transactional in InnoDB (only DDL commits on its own): an explicit transaction
    on the adapter's autocommit session; a failure leaves it open until dbt closes the
    connection, which rolls it back -#}
{% macro mysql__run_in_one_transaction(name, statements) %}
  {% do run_query('start transaction') %}
  {% for sql in statements %}
    {% do run_query(sql) %}
  {% endfor %}
  {% do run_query('commit') %}
{% endmacro %}

{#- After a full publish (its own transaction), in a second one: what the tables now hold -#}
{% macro record_full_build(nodes, mode, changes) %}
  {% set statements = ecom_synth.build_state_statements(nodes, mode, 'full', changes) %}
  {% if statements %}
    {% do adapter.dispatch('run_in_one_transaction', 'ecom_synth')('record_build_state', statements) %}
  {% endif %}
{% endmacro %}

{#- Before a full publish: forget what the tables held, so an interruption between the publish
    and its record leaves no record (the next run rebuilds in full) rather than a wrong one -#}
{% macro forget_build_state(nodes, mode) %}
  {% set statements = ecom_synth.record_build_state_sql([], nodes, mode.dataset, 'full', {}) %}
  {% do adapter.dispatch('run_in_one_transaction', 'ecom_synth')('forget_build_state', statements) %}
{% endmacro %}

{#- One line per published table: rows inserted and updated -#}
{% macro log_changes(nodes, changes) %}
  {% set parts = [] %}
  {% for node in nodes %}
    {% set change = changes[node.unique_id] %}
    {% do parts.append(node.alias ~ ' +' ~ change.inserted ~ (' ~' ~ change.updated if change.updated else '')) %}
  {% endfor %}
  {{ return(parts | join(', ')) }}
{% endmacro %}
