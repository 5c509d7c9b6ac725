{#-
  PostgreSQL: COPY the seed file on the server when the server provably reads this very file.
  The five checks, and why they are safe: docs/dbt_layer.md, "PostgreSQL: the server reads the file".
-#}

{#- The path at which the server opens a file of data/ (label: data/<...>) -#}
{% macro postgres_server_file(path, label) %}
  {%- set mounted = var('postgres_data_path', '') | string | trim -%}
  {%- if mounted and '/' in label -%}
    {{ return(mounted.rstrip('/') ~ '/' ~ label.split('/', 1)[1]) }}
  {%- endif -%}
  {{ return(path) }}
{% endmacro %}

{#- {'header': the file's first line, or none; 'reason': why the client path, or none}; `path` is
    the server's (postgres_server_file) -#}
{% macro postgres_server_seed_probe(path) %}
  {%- set wanted = var('server_side_seeds', true) -%}
  {%- if wanted is string -%}
    {%- set wanted = wanted | lower not in ['false', '0', 'no', 'off'] -%}
  {%- endif -%}
  {%- set host = (target.host or '') | trim | lower -%}
  {%- if not wanted -%}
    {{ return({'header': none, 'reason': 'server_side_seeds is false'}) }}
  {%- elif not (host in ['127.0.0.1', 'localhost', '::1', ''] or host.startswith('/') or var('postgres_data_path', '')) -%}
    {{ return({'header': none, 'reason': 'the server ' ~ host ~ ' is not this machine'}) }}
  {%- elif not path.startswith('/') or '\\' in path or '$ecom_synth_probe$' in path -%}
    {{ return({'header': none, 'reason': 'the path ' ~ path ~ ' cannot be given to the server as written'}) }}
  {%- endif -%}

  {%- set role = run_query(ecom_synth.postgres_server_reads_files_sql()).rows[0] -%}
  {%- if not role[0] -%}
    {{ return({'header': none, 'reason': 'the role ' ~ role[2] ~ ' may not read server files (superuser, or pg_read_server_files and EXECUTE on pg_read_binary_file)'}) }}
  {%- elif not role[1] and not var('postgres_data_path', '') -%}
    {{ return({'header': none, 'reason': 'the server answers on ' ~ role[3] ~ ', not on loopback or a unix socket (a container or a forwarded port)'}) }}
  {%- endif -%}

  {%- set probe = run_query(ecom_synth.postgres_read_seed_header_sql(path)).rows[0] -%}
  {%- if not probe[0] -%}
    {{ return({'header': none, 'reason': 'the server cannot open ' ~ path ~ ': ' ~ probe[1]}) }}
  {%- endif -%}
  {{ return({'header': probe[1], 'reason': none}) }}
{% endmacro %}


{#- One row: may read server files, reached on loopback or a socket, current_user, server address -#}
{% macro postgres_server_reads_files_sql() %}
  {{ return("
    select
        (select rolsuper from pg_roles where rolname = current_user)
        or (case when exists (select 1 from pg_roles where rolname = 'pg_read_server_files')
                 then pg_has_role(current_user, 'pg_read_server_files', 'USAGE') else false end
            and has_function_privilege('pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)', 'EXECUTE')),
        coalesce(inet_server_addr() <<= inet '127.0.0.0/8' or inet_server_addr() = inet '::1'
                 or inet_server_addr() <<= inet '::ffff:127.0.0.0/104', true),
        current_user::text,
        coalesce(host(inet_server_addr()), 'a unix socket')
  ") }}
{% endmacro %}

{#- The first line of the file as the server reads it: (true, line) or (false, why not). Opening
    errors are caught in the DO block (dbt's transaction must survive a "no"); a first line that is
    not UTF-8 is not caught: the seed fails with the server's reason, naming the file. -#}
{% macro postgres_read_seed_header_sql(path) %}
  {%- set literal = "'" ~ (path | replace("'", "''")) ~ "'" -%}
  {%- set sql -%}
    do $ecom_synth_probe$
    declare
        head bytea;
    begin
        head := pg_read_binary_file({{ literal }}, 0, 65536, true);
        if head is null then
            perform set_config('ecom_synth.seed_probe', 'eno such file on the server', false);
        else
            if position(decode('0a', 'hex') in head) > 0 then
                head := substring(head from 1 for position(decode('0a', 'hex') in head) - 1);
            end if;
            perform set_config('ecom_synth.seed_probe', 'h' || encode(head, 'hex'), false);
        end if;
    exception when others then
        perform set_config('ecom_synth.seed_probe', 'e' || sqlerrm, false);
    end
    $ecom_synth_probe$;
    select
        left(probe, 1) = 'h',
        case when left(probe, 1) = 'h' then convert_from(decode(substr(probe, 2), 'hex'), 'UTF8')
             else substr(probe, 2) end
    from (select current_setting('ecom_synth.seed_probe') as probe) as p
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}


{#- COPY into the side table, file by file (the parts in key order): only an empty field is NULL
    (unquoted by NULL '', quoted "" by FORCE_NULL), every other value is text for the column's input
    function, as the client path's casts. Returns {'rows': rows copied, 'sql': the first statement}. -#}
{% macro postgres_copy_seed_files(relation, files, column_types, quote_columns) %}
  {%- set columns = [] -%}
  {%- for name in column_types -%}
    {%- do columns.append(adapter.quote_seed_column(name, quote_columns)) -%}
  {%- endfor -%}
  {%- set statements = [] -%}
  {%- set rows = [] -%}
  {%- for file in files -%}
    {%- set sql -%}
      copy {{ relation.render() }} ({{ columns | join(', ') }})
      from '{{ ecom_synth.postgres_server_file(file['path'], file['label']) | replace("'", "''") }}'
      with (format csv, header true, delimiter '{{ config.get('delimiter', ',') | replace("'", "''") }}', null '',
            force_null ({{ columns | join(', ') }}), encoding 'UTF8')
    {%- endset -%}
    {%- set response = adapter.execute(sql)[0] -%}
    {%- do ecom_synth.check_seed_rows(file['label'], file if file['rows'] is not none else none, response.rows_affected, relation) -%}
    {%- do rows.append(response.rows_affected | int) -%}
    {%- do statements.append(sql) -%}
  {%- endfor -%}
  {%- set method = 'server-side COPY' ~ ((', ' ~ files | length ~ ' parts') if files | length > 1 else '') -%}
  {{ return({'rows': rows | sum, 'sql': statements[0], 'method': method}) }}
{% endmacro %}


{#- The header from the server's probe when it can read the data files (then no agate table: 'data'
    is none and load_seed_file COPYs them), else dbt's agate read of a seed's own CSV; data in parts
    or Parquet that the server cannot read is refused with the loader command. The debug log says
    which and why. -#}
{% macro postgres__read_seed_file(model, path, column_types, expected=none) %}
  {%- set stub = expected is not none and expected['stub'] -%}
  {%- if stub and expected['format'] != 'csv' -%}
    {%- do ecom_synth.raise_seed_needs_loader(model, expected, "PostgreSQL's COPY reads CSV, not " ~ expected['format']) -%}
  {%- endif -%}
  {%- set first = expected['files'][0] if stub else {'path': path, 'label': model['original_file_path']} -%}
  {%- set server_path = ecom_synth.postgres_server_file(first['path'], first['label']) -%}
  {%- set probe = ecom_synth.postgres_server_seed_probe(server_path) -%}
  {%- if probe['header'] is not none -%}
    {%- do log(model['name'] ~ ': the server reads ' ~ server_path ~ ' itself (server-side COPY)') -%}
    {{ return({'header': ecom_synth.seed_header_names(probe['header']), 'data': none}) }}
  {%- endif -%}
  {%- if stub -%}
    {%- do ecom_synth.raise_seed_needs_loader(model, expected, probe['reason']) -%}
  {%- endif -%}
  {%- do log(model['name'] ~ ': loading through dbt (client-side batches): ' ~ probe['reason']) -%}
  {{ return(ecom_synth.default__read_seed_file(model, path, column_types, expected)) }}
{% endmacro %}
