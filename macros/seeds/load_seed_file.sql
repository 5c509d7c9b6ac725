{#- Reading a seed file: open it (header, and the parsed data where the adapter needs it in memory),
    then bulk-load it into a relation created with the declared column types. -#}

{#- read_seed_file returns {'header': [column names], 'data': agate table or none}. `path` is the
    seed's own CSV (a header-only stub when `expected` says the data is in parts or Parquet). -#}
{% macro read_seed_file(model, path, column_types, expected=none) %}
  {{ return(adapter.dispatch('read_seed_file', 'ecom_synth')(model, path, column_types, expected)) }}
{% endmacro %}

{#- agate, as dbt's own seed reader, but with every declared column read as text exactly as written
    (verbatim_text_type, below): dbt's reader turns '', 'null', 'Null', 'NULL' and blank
    values into NULL, and DATA_SPEC says only an empty field is NULL. So '' stays '' here and the
    loaders make exactly '' NULL; agate pads a row with too few fields with none, which is how it is
    found and refused here. agate's own reason for a file it cannot read (e.g. "Row 2 has 9 values")
    counts rows from 0 and names no file: the refusal names the file instead. -#}
{% macro default__read_seed_file(model, path, column_types, expected=none) %}
  {%- if expected is not none and expected['stub'] -%}
    {%- do ecom_synth.raise_seed_needs_loader(model, expected, 'this target loads one CSV per seed through dbt') -%}
  {%- endif -%}
  {%- set text = ecom_synth.verbatim_text_type() -%}
  {%- set force = {} -%}
  {%- for name in column_types -%}
    {%- do force.update({name: text}) -%}
  {%- endfor -%}
  {%- set table = try_or_compiler_error(
        model['original_file_path'] ~ ": cannot be read as a CSV with the header's columns (a row with more fields than the header, "
        ~ "or a byte that is not UTF-8); fix or regenerate the file (python -m seeds_gen). The existing seed table is unchanged.",
        ecom_synth.agate_reader().from_csv, path, column_types=force, delimiter=config.get('delimiter', ','), encoding='utf-8-sig') -%}
  {%- set last = table.columns[table.column_names | last].values() if table.column_names else [] -%}
  {%- if none in last -%}
    {{ exceptions.raise_compiler_error(
        model['original_file_path'] ~ ": line " ~ (last.index(none) + 2) ~ " has fewer fields than the header (a ragged or truncated row); "
        ~ "fix or regenerate the file (python -m seeds_gen). The existing seed table is unchanged.") }}
  {%- endif -%}
  {{ return({'header': table.column_names | list, 'data': table}) }}
{% endmacro %}

{#- An empty agate table, whose class methods (from_csv) read files without dbt's type guessing;
    no query runs. -#}
{% macro agate_reader() %}
  {%- do store_result('ecom_synth_agate_reader', response='OK') -%}
  {{ return(load_result('ecom_synth_agate_reader')['table']) }}
{% endmacro %}

{#- agate's Text type with no null words: every value stays the text written, '' included (dbt's own
    reader turns '', 'null', 'Null', 'NULL' and blanks into NULL; DATA_SPEC: only an empty field is
    NULL, and the loaders map exactly '' to NULL). Built from a fresh one-value table, its null list
    emptied, and checked, so a future agate or dbt that builds it otherwise fails here, not silently. -#}
{% macro verbatim_text_type() %}
  {%- set text = ecom_synth.agate_reader().from_object([{'value': 'text'}]).column_types[0] -%}
  {%- do text.null_values.clear() -%}
  {%- for probe in ['', ' ', 'null', 'Null', 'NULL', 'None', 'NA', 'N/A', 'nan', '\\N', '.', 'text'] -%}
    {%- if text.cast(probe) != probe -%}
      {{ exceptions.raise_compiler_error("ecom_synth.verbatim_text_type: agate's Text type turns '" ~ probe ~ "' into " ~ text.cast(probe) ~ "; the seed reader cannot keep text as written with this agate/dbt version.") }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(text) }}
{% endmacro %}

{#- DuckDB reads only the first line here (the whole file is read once, by load_seed_file): with quoting
    off and a delimiter no header contains (the four characters \x1f, taken literally by DuckDB),
    each line comes back whole as one field, and the header is split here. -#}
{% macro duckdb__read_seed_file(model, path, column_types, expected=none) %}
  {%- set sql -%}
    select line
    from read_csv('{{ path | replace("'", "''") }}', columns = {'line': 'varchar'}, header = false,
                  auto_detect = false, delim = '\x1f', quote = '', escape = '', strict_mode = false)
    limit 1
  {%- endset -%}
  {%- set rows = run_query(sql).rows -%}
  {{ return({'header': ecom_synth.seed_header_names((rows[0][0] if rows | length > 0 else '') or ''), 'data': none}) }}
{% endmacro %}

{#- The column names of a header line read as one string (a BOM, the CR of a CRLF and quotes
    dropped; the generator's names never hold the delimiter) -#}
{% macro seed_header_names(line) %}
  {%- set header = [] -%}
  {%- for name in line.replace('\ufeff', '').rstrip('\r').split(config.get('delimiter', ',')) -%}
    {%- do header.append(name | trim | replace('"', '')) -%}
  {%- endfor -%}
  {{ return(header) }}
{% endmacro %}


{% macro create_seed_table(relation, column_types, quote_columns) %}
  {%- set sql -%}
    create table {{ relation.render() }} (
    {%- for name, type in column_types.items() %}
        {{ adapter.quote_seed_column(name, quote_columns) }} {{ ecom_synth.seed_column_type(type) }}{{ "," if not loop.last }}
    {%- endfor %}
    )
  {%- endset -%}
  {%- call statement('create_seed_table') -%}{{ sql }}{%- endcall -%}
  {{ return(sql) }}
{% endmacro %}


{#- load_seed_file fills `relation` (created by create_seed_table) from the data files (seed_data_files:
    [{'path', 'label', ...}], one or the parts in key order) and returns {'rows': rows loaded, 'sql':
    one statement to show in the compiled/run SQL}. -#}
{% macro load_seed_file(model, relation, files, seed_file, column_types, quote_columns) %}
  {{ return(adapter.dispatch('load_seed_file', 'ecom_synth')(model, relation, files, seed_file, column_types, quote_columns)) }}
{% endmacro %}

{#- Any other adapter: dbt's own batched inserts of the agate rows (only reached if an adapter opts in
    through fast_seeds_supported without a loader of its own; it must make '' NULL, as the loaders below do). -#}
{% macro default__load_seed_file(model, relation, files, seed_file, column_types, quote_columns) %}
  {%- set table = seed_file['data'] -%}
  {%- set rows = table.rows | length -%}
  {%- set sql = '' -%}
  {%- if rows > 0 -%}
    {%- set sql = load_csv_rows(model, table) -%}
  {%- endif -%}
  {{ return({'rows': rows, 'sql': sql}) }}
{% endmacro %}

{#- DuckDB: its own parallel CSV (or Parquet) reader over every data file at once, typed by the
    declared column_types, straight into the table; no row passes through Python. Conversion errors
    and rows with the wrong number of fields stop the load with DuckDB's message, which gives the line. -#}
{% macro duckdb__load_seed_file(model, relation, files, seed_file, column_types, quote_columns) %}
  {%- set delimiter = config.get('delimiter', ',') -%}
  {%- set paths = [] -%}
  {%- for file in files -%}
    {%- do paths.append("'" ~ (file['path'] | replace("'", "''")) ~ "'") -%}
  {%- endfor -%}
  {%- set parquet = files[0]['path'].endswith('.parquet') -%}
  {%- set sql -%}
    insert into {{ relation.render() }}
    {% if parquet -%}
    select
    {%- for name, type in column_types.items() %}
        cast("{{ name }}" as {{ type }}){{ "," if not loop.last }}
    {%- endfor %}
    from read_parquet([{{ paths | join(', ') }}])
    {%- else -%}
    select *
    from read_csv(
        [{{ paths | join(', ') }}],
        columns = {
        {%- for name, type in column_types.items() %}
            '{{ name }}': '{{ type }}'{{ "," if not loop.last }}
        {%- endfor %}
        },
        header = true,
        auto_detect = false,
        delim = '{{ delimiter }}',
        quote = '"',
        escape = '"',
        nullstr = '',
        strict_mode = true,
        null_padding = false
    )
    {%- endif %}
  {%- endset -%}
  {%- set result = run_query(sql) -%}
  {%- set counted = run_query('select count(*) from ' ~ relation.render()).rows[0][0] | int -%}
  {{ return({'rows': counted, 'sql': sql}) }}
{% endmacro %}

{#- PostgreSQL: no per-cell macro. The file's columns are bound in batches, one JSON array per column
    per batch (json.dumps is C code), and the server zips the arrays back into rows with
    `rows from (json_array_elements_text(...), ...)`, casting each text value to its declared type
    (an empty value, and only that, is NULL).
    bench/seed_bench.py measured 20-30 s for the default 1.1M rows, against 584 s for stock load_csv_rows
    (28x) on the same machine. What remains is mostly agate reading the file (~1 GB of client memory
    per million order lines): when the server can read the file itself, read_seed_file left no agate
    table and the server COPYs it instead (postgres_server_copy.sql). -#}
{% macro postgres__load_seed_file(model, relation, files, seed_file, column_types, quote_columns) %}
  {%- if seed_file['data'] is none -%}
    {{ return(ecom_synth.postgres_copy_seed_files(relation, files, column_types, quote_columns)) }}
  {%- endif -%}
  {%- set table = seed_file['data'] -%}
  {%- set rows = table.rows | length -%}
  {%- set batch_rows = ecom_synth.seed_batch_rows() -%}
  {%- set names = column_types.keys() | list -%}
  {%- set values = [] -%}
  {%- for name in names -%}
    {%- do values.append(table.columns[name].values()) -%}
  {%- endfor -%}
  {%- set sql -%}
    insert into {{ relation.render() }} (
    {%- for name in names %}
        {{ adapter.quote_seed_column(name, quote_columns) }}{{ "," if not loop.last }}
    {%- endfor %}
    )
    select
    {%- for name, type in column_types.items() %}
        cast(nullif(v.c{{ loop.index }}, '') as {{ type }}){{ "," if not loop.last }}
    {%- endfor %}
    from rows from (
    {%- for name in names %}
        json_array_elements_text(%s::json){{ "," if not loop.last }}
    {%- endfor %}
    ) as v (
    {%- for name in names -%}
        c{{ loop.index }}{{ ", " if not loop.last }}
    {%- endfor -%}
    )
  {%- endset -%}
  {%- for start in range(0, rows, batch_rows) -%}
    {%- set bindings = [] -%}
    {%- for column in values -%}
      {%- do bindings.append(tojson(column[start:start + batch_rows] | list)) -%}
    {%- endfor -%}
    {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
  {%- endfor -%}
  {{ return({'rows': rows, 'sql': sql, 'method': 'client-side batches'}) }}
{% endmacro %}

{% macro seed_batch_rows() %}
  {{ return(var('fast_seeds_batch_rows', 50000) | int) }}
{% endmacro %}


{#- The column type a seed's declared (portable) column_types entry means on the target. The seed YAML
    spells types once, in SQL that DuckDB, PostgreSQL and MySQL take as written; SQL Server differs. -#}
{% macro seed_column_type(type) %}
  {{ return(adapter.dispatch('seed_column_type', 'ecom_synth')(type)) }}
{% endmacro %}

{% macro default__seed_column_type(type) %}
  {{ return(type) }}
{% endmacro %}

{#- SQL Server: `timestamp` is rowversion there (not a point in time), there is no `boolean`, and
    varchar follows the database collation's code page, so text is nvarchar (Unicode). -#}
{% macro sqlserver__seed_column_type(type) %}
  {%- set spelled = type | trim | lower -%}
  {%- set sized = modules.re.match('^(?:varchar|character varying|text|string)\s*\(\s*(\d+)\s*\)$', spelled) -%}
  {%- if sized -%}
    {{ return('nvarchar(' ~ sized.group(1) ~ ')') }}
  {%- elif spelled in ('varchar', 'character varying', 'text', 'string') -%}
    {{ return('nvarchar(max)') }}
  {%- elif spelled in ('timestamp', 'timestamp without time zone', 'datetime') -%}
    {{ return('datetime2(0)') }}
  {%- elif spelled in ('boolean', 'bool') -%}
    {{ return('bit') }}
  {%- elif spelled == 'integer' -%}
    {{ return('int') }}
  {%- elif spelled in ('double', 'double precision') -%}
    {{ return('float') }}
  {%- endif -%}
  {{ return(type) }}
{% endmacro %}

{#- SQL Server: with the var sqlserver_data_path the server reads the CSV data files itself
    (sqlserver_bulk_insert.sql: the header here, by the server, and no agate table); without it, dbt's
    agate read of a one-file CSV, and data in parts or Parquet refused with the loader command. -#}
{% macro sqlserver__read_seed_file(model, path, column_types, expected=none) %}
  {%- set stub = expected is not none and expected['stub'] -%}
  {%- if ecom_synth.sqlserver_data_path() is none -%}
    {%- if stub -%}
      {%- do ecom_synth.raise_seed_needs_loader(model, expected, "SQL Server loads such data only with BULK INSERT of CSV files it can read itself: "
            ~ "set --vars '{sqlserver_data_path: <where the server sees data/>}' (/data for docker-compose's sqlserver service)") -%}
    {%- endif -%}
    {{ return(ecom_synth.default__read_seed_file(model, path, column_types, expected)) }}
  {%- endif -%}
  {%- if stub and expected['format'] != 'csv' -%}
    {%- do ecom_synth.raise_seed_needs_loader(model, expected, "SQL Server's BULK INSERT reads CSV, not " ~ expected['format']) -%}
  {%- endif -%}
  {%- set first = ecom_synth.seed_data_files(model, expected)[0] -%}
  {{ return({'header': ecom_synth.seed_header_names(ecom_synth.sqlserver_bulk_read_header(model, first)), 'data': none}) }}
{% endmacro %}

{#- SQL Server, with the server reading the files (no agate table): BULK INSERT (sqlserver_bulk_insert.sql).
    Otherwise dbt's agate rows in multi-row `insert ... values` statements, the largest batches the
    server takes (sqlserver_seed_batch_rows); an empty value (and a missing one) is written as `null`,
    and only those (`Null` and `NULL` are text), every other value is bound
    as a parameter and converted by the server to the column's type on insert (ISO dates and
    timestamps convert the same under any language setting for date and datetime2; 'true'/'false'
    convert to bit). -#}
{% macro sqlserver__load_seed_file(model, relation, files, seed_file, column_types, quote_columns) %}
  {%- if seed_file['data'] is none -%}
    {{ return(ecom_synth.sqlserver_bulk_insert_seed_files(model, relation, files, column_types, quote_columns)) }}
  {%- endif -%}
  {%- set table = seed_file['data'] -%}
  {%- set rows = table.rows | length -%}
  {%- set names = column_types.keys() | list -%}
  {%- set batch_rows = ecom_synth.sqlserver_seed_batch_rows(names | length) -%}
  {%- set columns_sql -%}
    {%- for name in names -%}
      {{ adapter.quote_seed_column(name, quote_columns) }}{{ ", " if not loop.last }}
    {%- endfor -%}
  {%- endset -%}
  {%- set first_sql = [] -%}
  {%- for start in range(0, rows, batch_rows) -%}
    {%- set insert = ecom_synth.sqlserver_seed_insert(relation, columns_sql, table.rows[start:start + batch_rows]) -%}
    {%- do adapter.add_query(insert.sql, bindings=insert.bindings, abridge_sql_log=True) -%}
    {%- if not first_sql -%}{%- do first_sql.append(insert.sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return({'rows': rows, 'sql': first_sql[0] if first_sql else '', 'method': 'client-side batches'}) }}
{% endmacro %}

{#- One multi-row insert: {'sql': ..., 'bindings': [...]}, a binding for each non-empty value, in row order -#}
{% macro sqlserver_seed_insert(relation, columns_sql, rows) %}
  {%- set bindings = [] -%}
  {%- set tuples = [] -%}
  {%- for row in rows -%}
    {%- set cells = [] -%}
    {%- for value in row -%}
      {%- if value is none or value == '' -%}
        {%- do cells.append('null') -%}
      {%- else -%}
        {%- do cells.append(get_binding_char()) -%}
        {%- do bindings.append(value) -%}
      {%- endif -%}
    {%- endfor -%}
    {%- do tuples.append('(' ~ cells | join(', ') ~ ')') -%}
  {%- endfor -%}
  {{ return({'sql': 'insert into ' ~ relation.render() ~ ' (' ~ columns_sql ~ ') values ' ~ tuples | join(', '), 'bindings': bindings}) }}
{% endmacro %}

{#- Rows per insert on SQL Server: a statement takes at most 2,100 parameters, two of which the driver's
    sp_executesql call uses itself, and a VALUES list at most 1,000 rows. Every row binds at most one
    parameter per column, so floor(2098 / columns) rows always fit. -#}
{% macro sqlserver_seed_batch_rows(columns) %}
  {{ return([1000, [1, (2098 // columns) | int] | max] | min) }}
{% endmacro %}
