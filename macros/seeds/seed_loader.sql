{#-
  `python -m seeds_gen load`: dbt prepares and checks the side tables, the loader only streams
  (docs/dbt_layer.md, "The streaming loader").
-#}

{% macro loader_seed_nodes(names=none) %}
  {%- set nodes = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'seed' and node.package_name == project_name
        and node.name in ecom_synth.generated_seed_names() and (names is none or node.name in names) -%}
    {%- do nodes.append(node) -%}
  {%- endfor -%}
  {{ return(nodes | sort(attribute='name')) }}
{% endmacro %}

{% macro loader_relations(node) %}
  {%- set target_relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias, type='table') -%}
  {{ return({'target': target_relation, 'side': target_relation.incorporate(path={'identifier': node.alias ~ '__ecom_load'})}) }}
{% endmacro %}

{% macro loader_begin(full_refresh=false) %}
  {%- do ecom_synth.prepare_seed_loads() -%}
  {%- for node in ecom_synth.loader_seed_nodes() -%}
    {%- do ecom_synth.check_seed_files_present(node) -%}
    {%- set column_types = node.config.get('column_types') or {} -%}
    {%- set quote_columns = node.config.get('quote_columns') -%}
    {%- set expected = ecom_synth.seed_manifest_entry(node) -%}
    {%- if expected is none -%}
      {{ exceptions.raise_compiler_error(node.original_file_path ~ ": the manifest does not name this seed; run python -m seeds_gen again. Nothing was loaded.") }}
    {%- endif -%}
    {%- set rel = ecom_synth.loader_relations(node) -%}
    {%- set existing = adapter.get_relation(database=rel.target.database, schema=rel.target.schema, identifier=rel.target.identifier) -%}
    {%- if existing is not none and not full_refresh and ecom_synth.seed_load_is_current(rel.target, expected, column_types) -%}
      {%- do log('ECOM_SYNTH_KEPT ' ~ tojson({'seed': node.name, 'rows': expected['rows']})) -%}
    {%- else -%}
      {%- do adapter.drop_relation(rel.side) -%}
      {%- do ecom_synth.create_seed_table(rel.side, column_types, quote_columns) -%}
      {%- set columns = [] -%}
      {%- for name in column_types -%}
        {%- do columns.append(adapter.quote_seed_column(name, quote_columns)) -%}
      {%- endfor -%}
      {%- do log('ECOM_SYNTH_LOAD ' ~ tojson({'seed': node.name, 'relation': rel.side.render(), 'columns': columns,
            'column_types': column_types, 'format': expected['format'], 'files': expected['files']})) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- do adapter.commit() if adapter.type() != 'duckdb' else none -%}
{% endmacro %}

{#- seeds: the names loader_begin announced; abort: drop their side tables and keep everything else -#}
{% macro loader_finish(seeds, abort=false) %}
  {%- set nodes = ecom_synth.loader_seed_nodes(seeds) -%}
  {%- for node in nodes -%}
    {%- set rel = ecom_synth.loader_relations(node) -%}
    {%- if abort -%}
      {%- do adapter.drop_relation(rel.side) -%}
    {%- else -%}
      {%- set expected = ecom_synth.seed_manifest_entry(node) -%}
      {%- set counted = run_query('select count(*) from ' ~ rel.side.render()).rows[0][0] | int -%}
      {%- do ecom_synth.check_seed_rows(node.original_file_path, expected, counted, none) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if not abort -%}
    {#- all checked: now swap every table, then record what each holds -#}
    {%- for node in nodes -%}
      {%- set rel = ecom_synth.loader_relations(node) -%}
      {%- do ecom_synth.forget_seed_load(rel.target) -%}
      {%- do adapter.drop_relation(rel.target) -%}
      {%- do adapter.rename_relation(rel.side, rel.target) -%}
      {%- do ecom_synth.record_seed_load(rel.target, ecom_synth.seed_manifest_entry(node), node.config.get('column_types') or {}) -%}
      {%- do log('ECOM_SYNTH_LOADED ' ~ tojson({'seed': node.name, 'relation': rel.target.render()})) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- do adapter.commit() if adapter.type() != 'duckdb' else none -%}
{% endmacro %}
