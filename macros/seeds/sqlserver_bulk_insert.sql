{#-
  SQL Server: BULK INSERT of the seed files as text, then a checked conversion into the side table
  (with sqlserver_data_path; docs/dbt_layer.md, "SQL Server: BULK INSERT").
-#}

{% macro sqlserver_data_path() %}
  {%- set path = (var('sqlserver_data_path', '') or '') | string | trim -%}
  {{ return(path.rstrip('/\\') if path else none) }}
{% endmacro %}

{#- Where the server sees a data file: sqlserver_data_path + the file's path relative to the seed
    folder (data/), with the separator the configured path uses. -#}
{% macro sqlserver_server_file(model, file) %}
  {%- set folder = model['original_file_path'].rsplit('/', 1)[0] ~ '/' if '/' in model['original_file_path'] else '' -%}
  {%- set relative = file['label'][folder | length:] if file['label'].startswith(folder) else file['label'] -%}
  {%- set base = ecom_synth.sqlserver_data_path() -%}
  {%- if '\\' in base and '/' not in base -%}
    {{ return(base ~ '\\' ~ relative.replace('/', '\\')) }}
  {%- endif -%}
  {{ return(base ~ '/' ~ relative) }}
{% endmacro %}

{% macro sqlserver_sql_string(text) %}
  {{ return("'" ~ (text | replace("'", "''")) ~ "'") }}
{% endmacro %}

{#- The first line of a data file as the server reads it (a one-column temp table, LASTROW = 1):
    proves the server can open the file before anything is created. -#}
{% macro sqlserver_bulk_header_sql(server_path) %}
  {{ return("set nocount on;
if object_id(N'tempdb..#ecom_synth_header') is not null drop table #ecom_synth_header;
create table #ecom_synth_header (line varchar(max) collate Latin1_General_100_BIN2_UTF8 null);
bulk insert #ecom_synth_header from " ~ ecom_synth.sqlserver_sql_string(server_path) ~ "
    with (datafiletype = 'char', codepage = 'RAW', rowterminator = '0x0a', lastrow = 1);
select line from #ecom_synth_header;") }}
{% endmacro %}

{% macro sqlserver_bulk_read_header(model, file) %}
  {%- set server_path = ecom_synth.sqlserver_server_file(model, file) -%}
  {%- set rows = try_or_compiler_error(
        file['label'] ~ ": SQL Server cannot read " ~ server_path ~ " (var sqlserver_data_path = '" ~ ecom_synth.sqlserver_data_path()
        ~ "' must be where the SQL Server machine sees this project's data/ folder, e.g. /data for docker-compose's sqlserver service; "
        ~ "the login needs ADMINISTER BULK OPERATIONS; the server's reason is in logs/dbt.log). The existing seed table is unchanged.",
        run_query, ecom_synth.sqlserver_bulk_header_sql(server_path)).rows -%}
  {%- do log(model['name'] ~ ': the server reads ' ~ server_path ~ ' itself (BULK INSERT)') -%}
  {{ return((rows[0][0] if rows | length > 0 else '') or '') }}
{% endmacro %}

{#- One entry per column: quoted name, the side table's type, the staging text type, whether text -#}
{% macro sqlserver_bulk_columns(column_types, quote_columns) %}
  {%- set columns = [] -%}
  {%- for name, type in column_types.items() -%}
    {%- set target_type = ecom_synth.seed_column_type(type) | trim | lower -%}
    {%- set sized = modules.re.match('^nvarchar\((\d+)\)$', target_type) -%}
    {%- set text = target_type.startswith('nvarchar') -%}
    {%- set length = sized.group(1) | int if sized else none -%}
    {%- set staging_type = ('varchar(' ~ length * 4 ~ ')') if length and length * 4 <= 8000 else ('varchar(max)' if text else 'varchar(100)') -%}
    {%- do columns.append({'name': name, 'quoted': adapter.quote_seed_column(name, quote_columns), 'type': target_type,
          'staging_type': staging_type, 'text': text, 'length': length}) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}

{% macro sqlserver_bulk_staging_sql(staging, columns) %}
  {%- set defs = [] -%}
  {%- for c in columns -%}
    {%- do defs.append(c['quoted'] ~ ' ' ~ c['staging_type'] ~ ' collate Latin1_General_100_BIN2_UTF8 null') -%}
  {%- endfor -%}
  {{ return('create table ' ~ staging.render() ~ ' (' ~ defs | join(', ') ~ ')') }}
{% endmacro %}

{% macro sqlserver_bulk_insert_sql(staging, server_path) %}
  {{ return('bulk insert ' ~ staging.render() ~ ' from ' ~ ecom_synth.sqlserver_sql_string(server_path) ~ "
    with (format = 'CSV', firstrow = 2, fieldquote = '\"', fieldterminator = ',', rowterminator = '0x0a',
          codepage = 'RAW', datafiletype = 'char', keepnulls, tablock)") }}
{% endmacro %}

{#- The staged value with only an empty field as NULL, and the test of a value that is refused -#}
{% macro sqlserver_bulk_field(c) %}
  {{ return('case when datalength(' ~ c['quoted'] ~ ') = 0 then null else ' ~ c['quoted'] ~ ' end') }}
{% endmacro %}

{% macro sqlserver_bulk_bad_value(c) %}
  {%- if c['text'] -%}
    {{ return(('datalength(convert(nvarchar(max), ' ~ c['quoted'] ~ ')) > ' ~ c['length'] * 2) if c['length'] else none) }}
  {%- endif -%}
  {{ return('datalength(' ~ c['quoted'] ~ ') > 0 and (len(' ~ c['quoted'] ~ ') = 0 or try_convert(' ~ c['type'] ~ ', ' ~ c['quoted'] ~ ') is null)') }}
{% endmacro %}

{#- One scan of the staged file: its rows, then per checked column the values that are refused -#}
{% macro sqlserver_bulk_check_sql(staging, columns) %}
  {%- set parts = ['count_big(*)'] -%}
  {%- for c in columns if ecom_synth.sqlserver_bulk_bad_value(c) is not none -%}
    {%- do parts.append('sum(case when ' ~ ecom_synth.sqlserver_bulk_bad_value(c) ~ ' then 1 else 0 end)') -%}
  {%- endfor -%}
  {{ return('select ' ~ parts | join(', ') ~ ' from ' ~ staging.render()) }}
{% endmacro %}

{% macro sqlserver_bulk_move_sql(staging, relation, columns) %}
  {%- set names = [] -%}
  {%- set values = [] -%}
  {%- for c in columns -%}
    {%- do names.append(c['quoted']) -%}
    {%- do values.append('convert(' ~ c['type'] ~ ', ' ~ ecom_synth.sqlserver_bulk_field(c) ~ ')') -%}
  {%- endfor -%}
  {{ return('insert into ' ~ relation.render() ~ ' with (tablock) (' ~ names | join(', ') ~ ')\nselect ' ~ values | join(',\n       ') ~ '\nfrom ' ~ staging.render()) }}
{% endmacro %}

{#- What the load runs, as SQL (rendered without a connection by tests/sqlserver): the staging
    table, and for each data file its server path and BULK INSERT; then the check and the move. -#}
{% macro sqlserver_bulk_plan(model, relation, files, column_types, quote_columns) %}
  {%- set staging = relation.incorporate(path={'identifier': relation.identifier ~ '_bulk'}) -%}
  {%- set columns = ecom_synth.sqlserver_bulk_columns(column_types, quote_columns) -%}
  {%- set checked = [] -%}
  {%- for c in columns if ecom_synth.sqlserver_bulk_bad_value(c) is not none -%}{%- do checked.append(c) -%}{%- endfor -%}
  {%- set loads = [] -%}
  {%- for file in files -%}
    {%- set server_path = ecom_synth.sqlserver_server_file(model, file) -%}
    {%- do loads.append({'file': file, 'server_path': server_path, 'sql': ecom_synth.sqlserver_bulk_insert_sql(staging, server_path)}) -%}
  {%- endfor -%}
  {{ return({'staging': staging, 'columns': columns, 'checked': checked, 'loads': loads,
             'create': ecom_synth.sqlserver_bulk_staging_sql(staging, columns),
             'check': ecom_synth.sqlserver_bulk_check_sql(staging, columns),
             'move': ecom_synth.sqlserver_bulk_move_sql(staging, relation, columns)}) }}
{% endmacro %}

{#- Every data file, in key order: BULK INSERT into the staging table, count and check, convert into
    `relation`. Returns {'rows', 'sql': the first BULK INSERT, 'method'}. -#}
{% macro sqlserver_bulk_insert_seed_files(model, relation, files, column_types, quote_columns) %}
  {%- set plan = ecom_synth.sqlserver_bulk_plan(model, relation, files, column_types, quote_columns) -%}
  {%- set staging = plan['staging'] -%}
  {%- do adapter.drop_relation(staging) -%}
  {%- do adapter.execute(plan['create']) -%}
  {%- set rows = [] -%}
  {%- for load in plan['loads'] -%}
    {%- set file = load['file'] -%}
    {%- do adapter.execute(load['sql']) -%}
    {%- set counts = run_query(plan['check']).rows[0] -%}
    {%- if file['rows'] is not none and counts[0] | int != file['rows'] | int -%}
      {%- do adapter.drop_relation(staging) -%}
      {%- do ecom_synth.check_seed_rows(file['label'], file, counts[0], relation) -%}
    {%- endif -%}
    {%- for c in plan['checked'] -%}
      {%- if (counts[loop.index] or 0) | int > 0 -%}
      {%- set example = run_query('select top (1) ' ~ c['quoted'] ~ ' from ' ~ staging.render() ~ ' where ' ~ ecom_synth.sqlserver_bulk_bad_value(c)).rows[0][0] -%}
      {%- do adapter.drop_relation(staging) -%}
      {%- do adapter.drop_relation(relation) -%}
      {{ exceptions.raise_compiler_error(file['label'] ~ ": column " ~ c['name'] ~ " has " ~ counts[loop.index] ~ " value(s) that are not "
          ~ (c['type'] ~ ' (longer than ' ~ c['length'] ~ ' characters)' if c['text'] else c['type']) ~ ", e.g. '" ~ example ~ "'; "
          ~ "fix or regenerate the file (python -m seeds_gen). The existing seed table is unchanged.") }}
      {%- endif -%}
    {%- endfor -%}
    {%- do adapter.execute(plan['move']) -%}
    {%- do adapter.execute('truncate table ' ~ staging.render()) -%}
    {%- do rows.append(counts[0] | int) -%}
  {%- endfor -%}
  {%- do adapter.drop_relation(staging) -%}
  {%- set method = 'server-side BULK INSERT' ~ ((', ' ~ files | length ~ ' parts') if files | length > 1 else '') -%}
  {{ return({'rows': rows | sum, 'sql': plan['loads'][0]['sql'], 'method': method}) }}
{% endmacro %}
