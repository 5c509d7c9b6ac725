{#- Reading a seed file: open it (header, and the parsed data where the adapter needs it in memory),
    then bulk-load it into a relation created with the declared column types. -#}

{#- read_seed_file returns {'header': [column names], 'data': agate table or none}. -#}
{% macro read_seed_file(model, path, column_types) %}
  {{ return(adapter.dispatch('read_seed_file', 'ecom_synth')(model, path, column_types)) }}
{% endmacro %}

{#- dbt's own reader. With every column in column_types, agate reads each one as text and infers nothing,
    so the values reach the database exactly as written; '' and 'null' become NULL as with stock seeds. -#}
{% macro default__read_seed_file(model, path, column_types) %}
  {%- set table = load_agate_table() -%}
  {{ return({'header': table.column_names | list, 'data': table}) }}
{% endmacro %}

{#- DuckDB reads only the first line here (the whole file is read once, by load_seed_file): each line is
    one field when the delimiter is a control character the file cannot contain and quoting is off. -#}
{% macro duckdb__read_seed_file(model, path, column_types) %}
  {%- set sql -%}
    select line
    from read_csv('{{ path | replace("'", "''") }}', columns = {'line': 'varchar'}, header = false,
                  auto_detect = false, delim = '\x1f', quote = '', escape = '', strict_mode = false)
    limit 1
  {%- endset -%}
  {%- set rows = run_query(sql).rows -%}
  {%- set first = (rows[0][0] if rows | length > 0 else '') or '' -%}
  {%- set header = [] -%}
  {%- for name in first.replace('\ufeff', '').rstrip('\r').split(',') -%}
    {%- do header.append(name | trim | replace('"', '')) -%}
  {%- endfor -%}
  {{ return({'header': header, 'data': none}) }}
{% endmacro %}


{% macro create_seed_table(relation, column_types, quote_columns) %}
  {%- set sql -%}
    create table {{ relation.render() }} (
    {%- for name, type in column_types.items() %}
        {{ adapter.quote_seed_column(name, quote_columns) }} {{ type }}{{ "," if not loop.last }}
    {%- endfor %}
    )
  {%- endset -%}
  {%- call statement('create_seed_table') -%}{{ sql }}{%- endcall -%}
  {{ return(sql) }}
{% endmacro %}


{#- load_seed_file fills `relation` (created by create_seed_table) from the file and returns
    {'rows': rows loaded, 'sql': one statement to show in the compiled/run SQL}. -#}
{% macro load_seed_file(model, relation, path, seed_file, column_types, quote_columns) %}
  {{ return(adapter.dispatch('load_seed_file', 'ecom_synth')(model, relation, path, seed_file, column_types, quote_columns)) }}
{% endmacro %}

{#- Any other adapter: dbt's own batched inserts of the agate rows (only reached if an adapter opts in
    through fast_seeds_supported without a loader of its own). -#}
{% macro default__load_seed_file(model, relation, path, seed_file, column_types, quote_columns) %}
  {%- set table = seed_file['data'] -%}
  {%- set rows = table.rows | length -%}
  {%- set sql = '' -%}
  {%- if rows > 0 -%}
    {%- set sql = load_csv_rows(model, table) -%}
  {%- endif -%}
  {{ return({'rows': rows, 'sql': sql}) }}
{% endmacro %}

{#- DuckDB: its own parallel CSV reader, typed by the declared column_types, straight into the table;
    no row passes through Python. Conversion errors and rows with the wrong number of fields stop the
    load with DuckDB's message, which gives the line. -#}
{% macro duckdb__load_seed_file(model, relation, path, seed_file, column_types, quote_columns) %}
  {%- set delimiter = config.get('delimiter', ',') -%}
  {%- set sql -%}
    insert into {{ relation.render() }}
    select *
    from read_csv(
        '{{ path | replace("'", "''") }}',
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
  {%- endset -%}
  {%- set result = run_query(sql) -%}
  {%- set counted = run_query('select count(*) from ' ~ relation.render()).rows[0][0] -%}
  {{ return({'rows': counted | int, 'sql': sql}) }}
{% endmacro %}

{#- PostgreSQL: no per-cell macro. The file's columns are bound in batches, one JSON array per column
    per batch (json.dumps is C code), and the server zips the arrays back into rows with
    `rows from (json_array_elements_text(...), ...)`, casting each text value to its declared type.
    About 50x faster than stock load_csv_rows on 1M rows. -#}
{% macro postgres__load_seed_file(model, relation, path, seed_file, column_types, quote_columns) %}
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
        cast(v.c{{ loop.index }} as {{ type }}){{ "," if not loop.last }}
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
  {{ return({'rows': rows, 'sql': sql}) }}
{% endmacro %}

{% macro seed_batch_rows() %}
  {{ return(var('fast_seeds_batch_rows', 50000) | int) }}
{% endmacro %}
