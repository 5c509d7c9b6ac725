{#-
  Checks each generated seed file against data/manifest.json before the seed table is replaced
  (docs/dbt_layer.md, "The manifest check").
-#}

{% macro check_seed_manifest_enabled() %}
  {%- set wanted = var('check_seed_manifest', true) -%}
  {%- if wanted is string -%}
    {%- set wanted = wanted | lower not in ['false', '0', 'no', 'off'] -%}
  {%- endif -%}
  {{ return(wanted) }}
{% endmacro %}


{#- The manifest's entry for this seed, or none when the seed is not checked (not a generated seed,
    or not named). Raises when the manifest is missing.
    {'rows', 'bytes', 'sha256': the table's (one file: that file's sha256; parts: the table
     fingerprint, docs/dataset_layout.md), 'format': csv|parquet, 'stub': true when the seed's own
     CSV is a header-only stub and the data is in 'files', 'files': [{'path': absolute, 'label':
     as the user names it, 'rows', 'bytes', 'sha256'}] in key order}. The row-count seed has no
    bytes or sha256 and its own file as data. -#}
{% macro seed_manifest_entry(model) %}
  {%- if not ecom_synth.check_seed_manifest_enabled() or model['name'] not in ecom_synth.generated_seed_names() -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set label = model['original_file_path'] -%}
  {%- set folder = label.rsplit('/', 1)[0] if '/' in label else '.' -%}
  {%- set file_name = label.rsplit('/', 1)[-1] -%}
  {%- set manifest_label = folder ~ '/manifest.json' -%}
  {%- set fix = "run python -m seeds_gen again, or pass --vars '{check_seed_manifest: false}' to load files the generator did not write, unchecked. The existing seed table is unchanged." -%}
  {%- set manifest = ecom_synth.read_seed_manifest(model['root_path'] ~ '/' ~ manifest_label,
        manifest_label ~ ": missing or unreadable, so the generated dataset in " ~ folder ~ "/ is incomplete (the generator writes it with the CSVs); " ~ fix) -%}
  {%- if manifest is not mapping or manifest.get('tables') is not mapping -%}
    {{ exceptions.raise_compiler_error(manifest_label ~ ": not a manifest written by the generator (no \"tables\"); " ~ fix) }}
  {%- endif -%}
  {%- set own_file = {'path': ecom_synth.seed_file_path(model), 'label': label} -%}
  {%- if manifest.get('row_counts_file') == file_name -%}
    {%- set rows = manifest['tables'] | length -%}
    {%- do own_file.update({'rows': rows, 'bytes': none, 'sha256': none}) -%}
    {{ return({'rows': rows, 'bytes': none, 'sha256': none, 'format': 'csv', 'stub': false, 'files': [own_file]}) }}
  {%- endif -%}
  {%- for entry in manifest['tables'].values() if entry is mapping and (entry.get('file') == file_name or entry.get('stub') == file_name) -%}
    {%- set table = {'rows': entry.get('rows') | int, 'bytes': entry.get('bytes'), 'sha256': (entry.get('sha256') or '') | lower or none,
                     'format': entry.get('format') or 'csv', 'stub': entry.get('stub') == file_name, 'files': []} -%}
    {%- if table['stub'] -%}
      {%- for part in entry.get('files') or [] -%}
        {%- do table['files'].append({'path': model['root_path'] ~ '/' ~ folder ~ '/' ~ part['file'], 'label': folder ~ '/' ~ part['file'],
              'rows': part.get('rows') | int, 'bytes': part.get('bytes'), 'sha256': (part.get('sha256') or '') | lower or none}) -%}
      {%- endfor -%}
      {%- if not table['files'] -%}
        {{ exceptions.raise_compiler_error(manifest_label ~ ": " ~ file_name ~ " is a stub but the manifest lists no data files for it; " ~ fix) }}
      {%- endif -%}
    {%- else -%}
      {%- do own_file.update({'rows': table['rows'], 'bytes': table['bytes'], 'sha256': table['sha256']}) -%}
      {%- do table['files'].append(own_file) -%}
    {%- endif -%}
    {{ return(table) }}
  {%- endfor -%}
  {{ return(none) }}
{% endmacro %}


{#- The files that hold a seed's data: the manifest's, else the seed's own CSV. -#}
{% macro seed_data_files(model, expected) %}
  {%- if expected is not none -%}
    {{ return(expected['files']) }}
  {%- endif -%}
  {{ return([{'path': ecom_synth.seed_file_path(model), 'label': model['original_file_path'], 'rows': none, 'bytes': none, 'sha256': none}]) }}
{% endmacro %}


{#- A seed whose data the seed's own loader cannot read on this target (a stub whose files are
    parts or Parquet, e.g. a remote server): one line that says why and what to run instead. -#}
{% macro raise_seed_needs_loader(model, expected, reason) %}
  {%- set files = expected['files'] -%}
  {%- set where = files[0]['label'] ~ ((' and ' ~ (files | length - 1) ~ ' more part(s)') if files | length > 1 else '') -%}
  {{ exceptions.raise_compiler_error(
      model['original_file_path'] ~ ": the data is in " ~ where ~ " (" ~ expected['format'] ~ "), which this seed cannot load here: " ~ reason ~ ". "
      ~ "Load it with `python -m seeds_gen load --target " ~ target.name ~ "` (streams the files to the server), then run dbt as before: "
      ~ "seeds that already hold the manifest's data are kept. The existing seed table is unchanged."
  ) }}
{% endmacro %}


{#- The manifest as a dict: the file read through agate line by line (one text column, no quoting, a
    delimiter that json.dumps never writes), then parsed by fromjson (none if it is not JSON).
    Missing or unreadable: raises `missing_message`. -#}
{% macro read_seed_manifest(path, missing_message) %}
  {%- set reader = ecom_synth.agate_reader() -%}
  {%- set lines = try_or_compiler_error(missing_message, reader.from_csv, path,
        header=false, column_names=['line'], column_types=[ecom_synth.verbatim_text_type()],
        delimiter='%c' | format(31), quoting=3, encoding='utf-8-sig') -%}
  {{ return(fromjson(lines.columns['line'].values() | join('\n'))) }}
{% endmacro %}


{#- The checks before anything is created: returns nothing, raises on a mismatch. -#}
{% macro check_seed_file(model, seed_label, path, seed_file, expected) %}
  {%- if expected is not none -%}
    {{ return(adapter.dispatch('check_seed_file', 'ecom_synth')(model, seed_label, path, seed_file, expected)) }}
  {%- endif -%}
{% endmacro %}

{#- Loaders that hold the parsed file (agate): its row count, before any SQL runs. -#}
{% macro default__check_seed_file(model, seed_label, path, seed_file, expected) %}
  {%- if seed_file['data'] is not none -%}
    {%- do ecom_synth.check_seed_rows(seed_label, expected, seed_file['data'].rows | length, none) -%}
  {%- endif -%}
{% endmacro %}

{#- SQL Server: the agate reader's row count before any SQL runs; with sqlserver_data_path the server
    reads the files (no agate table) and each file's rows are counted after its BULK INSERT, before
    they reach the side table (sqlserver_bulk_insert.sql). -#}
{% macro sqlserver__check_seed_file(model, seed_label, path, seed_file, expected) %}
  {%- do ecom_synth.default__check_seed_file(model, seed_label, path, seed_file, expected) -%}
{% endmacro %}

{#- DuckDB: for each data file the size (free), then the sha256 of the bytes. A file of another size
    is usually cut: its records are counted (error path only) to say so in rows. read_blob holds the
    whole file in memory, so a file above 256 MB (use --parts to keep them smaller) is checked by
    size here and by rows after the load. -#}
{% macro duckdb__check_seed_file(model, seed_label, path, seed_file, expected) %}
  {%- for file in expected['files'] if file['bytes'] is not none -%}
    {%- set file_sql = "read_blob('" ~ (file['path'] | replace("'", "''")) ~ "')" -%}
    {%- set size = run_query('select size from ' ~ file_sql).rows[0][0] | int -%}
    {%- if size != file['bytes'] | int -%}
      {%- if expected['format'] == 'csv' -%}
        {%- set counted = run_query(ecom_synth.duckdb_count_records_sql(file['path'])).rows[0][0] | int -%}
        {%- do ecom_synth.check_seed_rows(file['label'], file, counted, none) -%}
      {%- endif -%}
      {%- do ecom_synth.raise_seed_manifest_mismatch(file['label'], 'size differs', file['bytes'] ~ ' bytes', size) -%}
    {%- endif -%}
    {%- if file['sha256'] is not none and size <= 256 * 1024 * 1024 -%}
      {%- set sha256 = run_query('select sha256(content) from ' ~ file_sql).rows[0][0] -%}
      {%- if sha256 != file['sha256'] -%}
        {%- do ecom_synth.raise_seed_manifest_mismatch(file['label'], 'content differs', 'sha256 ' ~ file['sha256'][:16] ~ '...', 'sha256 ' ~ sha256[:16] ~ '...') -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
{% endmacro %}

{#- Data records of a CSV whatever its fields (each record as one text column, quoted newlines kept) -#}
{% macro duckdb_count_records_sql(path) %}
  {{ return("select count(*) from read_csv('" ~ (path | replace("'", "''")) ~ "', header = true, auto_detect = false, "
      ~ "columns = {'record': 'varchar'}, delim = '" ~ ('%c' | format(31)) ~ "', quote = '\"', escape = '\"', "
      ~ "strict_mode = false, null_padding = true, ignore_errors = true)") }}
{% endmacro %}


{#- After a load into `relation` (dropped on a mismatch), or before one when `relation` is none. -#}
{% macro check_seed_rows(seed_label, expected, rows, relation) %}
  {%- if expected is not none and rows | int != expected['rows'] | int -%}
    {%- if relation is not none -%}
      {%- do adapter.drop_relation(relation) -%}
    {%- endif -%}
    {%- do ecom_synth.raise_seed_manifest_mismatch(seed_label, 'row count differs', expected['rows'] ~ ' rows', rows) -%}
  {%- endif -%}
{% endmacro %}

{#- One line, the same on every target (the MySQL adapter words it so too). -#}
{% macro raise_seed_manifest_mismatch(seed_label, what, manifest_says, file_has) %}
  {{ exceptions.raise_compiler_error(
      seed_label ~ ": " ~ what ~ " (manifest says " ~ manifest_says ~ ", file has " ~ file_has ~ "); "
      ~ "the file is not the one the generator wrote: run python -m seeds_gen again. The existing seed table is unchanged."
  ) }}
{% endmacro %}
