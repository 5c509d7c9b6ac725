{#-
  What each seed table holds: a row per seed in `ecom_synth_seed_loads`, a small table in the
  seed's schema, written in the same transaction as the swap that puts the loaded table in place
  (MySQL: deleted before the swap, written after it, so a crash between leaves no record).
  A seed whose table holds the manifest's data (same table sha256, same column declaration, same
  row count) is not loaded again; `--full-refresh` reloads it. This is how `dbt build` after
  `python -m seeds_gen load` keeps what the loader streamed in.
-#}

{% macro seed_loads_relation(relation) %}
  {{ return(api.Relation.create(database=relation.database, schema=relation.schema, identifier='ecom_synth_seed_loads', type='table')) }}
{% endmacro %}

{#- The declaration the data was loaded with: a changed column_types reloads the seed. -#}
{% macro seed_definition_md5(column_types) %}
  {{ return(local_md5(tojson(column_types, sort_keys=true))) }}
{% endmacro %}

{#- True when `relation` holds exactly the manifest's data for this declaration; one small query
    and a count. -#}
{% macro seed_load_is_current(relation, expected, column_types) %}
  {%- if expected is none or expected['sha256'] is none -%}
    {{ return(false) }}
  {%- endif -%}
  {%- set loads = ecom_synth.seed_loads_relation(relation) -%}
  {%- if adapter.get_relation(database=loads.database, schema=loads.schema, identifier=loads.identifier) is none -%}
    {{ return(false) }}
  {%- endif -%}
  {%- set sql -%}
    select fingerprint, definition_md5, row_count from {{ loads.render() }}
    where seed_relation = '{{ ecom_synth.seed_record_key(relation) }}'
  {%- endset -%}
  {%- set rows = run_query(sql).rows -%}
  {%- if rows | length != 1 or rows[0][0] != expected['sha256'] or rows[0][1] != ecom_synth.seed_definition_md5(column_types)
        or rows[0][2] | int != expected['rows'] | int -%}
    {{ return(false) }}
  {%- endif -%}
  {%- set counted = run_query('select count(*) from ' ~ relation.render()).rows[0][0] | int -%}
  {{ return(counted == expected['rows'] | int) }}
{% endmacro %}

{% macro seed_record_key(relation) %}
  {{ return((relation.schema ~ '.' ~ relation.identifier) | lower | replace("'", "''")) }}
{% endmacro %}

{#- Forget what `relation` held (before a load that replaces it outside a transaction). -#}
{% macro forget_seed_load(relation) %}
  {%- set loads = ecom_synth.seed_loads_relation(relation) -%}
  {%- if adapter.get_relation(database=loads.database, schema=loads.schema, identifier=loads.identifier) is not none -%}
    {%- call statement('forget_seed_load') -%}
      delete from {{ loads.render() }} where seed_relation = '{{ ecom_synth.seed_record_key(relation) }}'
    {%- endcall -%}
  {%- endif -%}
{% endmacro %}

{#- Record that `relation` now holds the manifest's data (nothing for an unchecked seed). The
    table exists: prepare_seed_loads made it before any seed ran. -#}
{% macro record_seed_load(relation, expected, column_types) %}
  {%- do ecom_synth.forget_seed_load(relation) -%}
  {%- if expected is none or expected['sha256'] is none -%}
    {{ return(none) }}
  {%- endif -%}
  {%- call statement('record_seed_load') -%}
    insert into {{ ecom_synth.seed_loads_relation(relation).render() }} (seed_relation, fingerprint, definition_md5, row_count)
    values ('{{ ecom_synth.seed_record_key(relation) }}', '{{ expected['sha256'] }}', '{{ ecom_synth.seed_definition_md5(column_types) }}', {{ expected['rows'] | int }})
  {%- endcall -%}
{% endmacro %}

{#- on-run-start of `dbt seed` and `dbt build` (and the loader): the record table in each schema
    that generated seeds land in, made and committed before the seeds run in parallel threads. -#}
{% macro prepare_seed_loads() %}
  {%- if not execute or flags.WHICH not in ['seed', 'build', 'run-operation'] -%}
    {{ return('') }}
  {%- endif -%}
  {%- set seen = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'seed' and node.name in ecom_synth.generated_seed_names() -%}
    {%- set loads = ecom_synth.seed_loads_relation(api.Relation.create(database=node.database, schema=node.schema)) -%}
    {%- if loads.render() not in seen -%}
      {%- do seen.append(loads.render()) -%}
      {%- do adapter.create_schema(api.Relation.create(database=node.database, schema=node.schema)) -%}
      {%- if adapter.get_relation(database=loads.database, schema=loads.schema, identifier=loads.identifier) is none -%}
        {%- call statement('create_seed_loads', auto_begin=false) -%}{{ ecom_synth.create_seed_loads_sql(loads) }}{%- endcall -%}
        {%- do adapter.cache_added(loads) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return('') }}
{% endmacro %}

{% macro create_seed_loads_sql(loads) %}
  {{ return('create table ' ~ loads.render() ~ ' (seed_relation varchar(400) not null primary key, fingerprint varchar(64) not null, '
      ~ 'definition_md5 varchar(32) not null, row_count bigint not null)') }}
{% endmacro %}
