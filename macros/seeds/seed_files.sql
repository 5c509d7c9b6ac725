{#- Where a seed's file is, whether the fast loader applies, and whether every file is there
    (the seeds the generator writes: generated_seed_names(), macros/schema.sql). -#}

{% macro seed_file_path(model) %}
  {{ return(model['root_path'] ~ '/' ~ model['original_file_path']) }}
{% endmacro %}


{#- The fast loader runs unless `--vars '{fast_seeds: false}'` asks for dbt's stock seed, the adapter
    has no fast loader, or the seed declares no column_types (then nothing says how to read it). -#}
{% macro use_fast_seed_loader(model) %}
  {%- set wanted = var('fast_seeds', true) -%}
  {%- if wanted is string -%}
    {%- set wanted = wanted | lower not in ['false', '0', 'no', 'off'] -%}
  {%- endif -%}
  {{ return(wanted and ecom_synth.fast_seeds_supported() and (config.get('column_types') or {}) | length > 0) }}
{% endmacro %}


{% macro fast_seeds_supported() %}
  {{ return(adapter.dispatch('fast_seeds_supported', 'ecom_synth')()) }}
{% endmacro %}

{% macro default__fast_seeds_supported() %}
  {{ return(false) }}
{% endmacro %}

{% macro duckdb__fast_seeds_supported() %}
  {{ return(true) }}
{% endmacro %}

{% macro postgres__fast_seeds_supported() %}
  {{ return(true) }}
{% endmacro %}


{#- A dataset is loaded whole or not at all: when one of the generated CSVs is missing (never
    generated, or deleted), every seed of the project refuses to load and says how to get them. -#}
{% macro check_seed_files_present(model) %}
  {%- set expected = ecom_synth.generated_seed_names() -%}
  {%- if model['name'] not in expected -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set present = [] -%}
  {%- for node in graph.nodes.values() -%}
    {%- if node.resource_type == 'seed' and node.package_name == model['package_name'] -%}
      {%- do present.append(node.name) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set missing = [] -%}
  {%- for name in expected if name not in present -%}
    {%- do missing.append(name ~ '.csv') -%}
  {%- endfor -%}
  {%- if missing -%}
    {%- set seed_dir = model['original_file_path'].rsplit('/', 1)[0] if '/' in model['original_file_path'] else '.' -%}
    {{ exceptions.raise_compiler_error(
        "The generated dataset in " ~ seed_dir ~ "/ is incomplete: missing " ~ (missing | join(', ')) ~ ". "
        ~ "Run `python -m seeds_gen` (same options as before, e.g. --scale) to write all the CSVs, then `dbt seed` again. "
        ~ "Nothing was loaded; the existing seed tables are unchanged."
    ) }}
  {%- endif -%}
{% endmacro %}

{#- SQL Server: batched multi-row inserts sized to its parameter limit (sqlserver__load_seed_file) -#}
{% macro sqlserver__fast_seeds_supported() %}
  {{ return(true) }}
{% endmacro %}

{#- MySQL/MariaDB: the adapter's LOAD DATA loader, behind the project's checks (materialization_seed.sql) -#}
{% macro mysql__fast_seeds_supported() %}
  {{ return(true) }}
{% endmacro %}
