{#- Refusals with a message that names the file and the problem, raised before the seed table is touched. -#}

{#- The CSV header must be exactly the declared columns, in order: a missing, renamed, extra or
    reordered column means the file comes from another version of the generator. -#}
{% macro check_seed_header(model, seed_label, header, column_types) %}
  {%- set declared = column_types.keys() | list -%}
  {%- set found = [] -%}
  {%- for name in header -%}
    {%- do found.append(name | trim | lower) -%}
  {%- endfor -%}
  {%- set wanted = [] -%}
  {%- for name in declared -%}
    {%- do wanted.append(name | lower) -%}
  {%- endfor -%}
  {%- if found != wanted -%}
    {%- set missing = [] -%}
    {%- set unexpected = [] -%}
    {%- for name in wanted if name not in found -%}{%- do missing.append(name) -%}{%- endfor -%}
    {%- for name in found if name not in wanted -%}{%- do unexpected.append(name) -%}{%- endfor -%}
    {%- set problems = [] -%}
    {%- if missing -%}{%- do problems.append('missing column(s) ' ~ (missing | join(', '))) -%}{%- endif -%}
    {%- if unexpected -%}{%- do problems.append('unexpected column(s) ' ~ (unexpected | join(', '))) -%}{%- endif -%}
    {%- if not problems -%}{%- do problems.append('the columns are in another order') -%}{%- endif -%}
    {{ exceptions.raise_compiler_error(
        seed_label ~ ": the header does not match the columns declared for seed " ~ model['name']
        ~ " (column_types): " ~ (problems | join('; ')) ~ ".\n"
        ~ "  expected: " ~ (wanted | join(',')) ~ "\n"
        ~ "  found:    " ~ (found | join(',')) ~ "\n"
        ~ "The file was probably written by another version of the generator: run `python -m seeds_gen` again. "
        ~ "The existing seed table is unchanged."
    ) }}
  {%- endif -%}
{% endmacro %}


{#- Columns the seed YAML marks `meta: {nullable: true}` may be empty; any other empty value is refused.
    A row with fewer fields than the header ends up here too (its last column, never nullable, is empty). -#}
{% macro seed_required_columns(model, column_types) %}
  {%- set required = [] -%}
  {%- for name in column_types.keys() -%}
    {%- set col = model['columns'].get(name, {}) -%}
    {%- set meta = col.get('meta', {}) or {} -%}
    {%- set col_config_meta = (col.get('config', {}) or {}).get('meta', {}) or {} -%}
    {%- if not (meta.get('nullable', false) or col_config_meta.get('nullable', false)) -%}
      {%- do required.append(name) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(required) }}
{% endmacro %}


{% macro check_seed_not_null(model, seed_label, relation, seed_file, column_types, quote_columns) %}
  {%- set required = ecom_synth.seed_required_columns(model, column_types) -%}
  {%- set empties = ecom_synth.find_empty_seed_values(relation, seed_file, required, quote_columns) -%}
  {%- if empties -%}
    {%- set lines = [] -%}
    {%- for e in empties -%}
      {%- do lines.append("  column " ~ e['column'] ~ " is empty on " ~ e['rows'] ~ " row(s)"
          ~ ((", first at line " ~ e['first_line']) if e['first_line'] is not none else "")) -%}
    {%- endfor -%}
    {%- do adapter.drop_relation(relation) -%}
    {{ exceptions.raise_compiler_error(
        seed_label ~ ": empty values in columns that may not be empty (only columns with meta nullable: true in the seed YAML may be):\n"
        ~ (lines | join("\n")) ~ "\n"
        ~ "A row with fewer fields than the header (a ragged or truncated row) shows up this way too. "
        ~ "Fix or regenerate the file (`python -m seeds_gen`). The existing seed table is unchanged."
    ) }}
  {%- endif -%}
{% endmacro %}


{#- Returns [{column, rows, first_line}] for the required columns that hold NULLs.
    Default: one SQL pass over the loaded table (no line numbers). -#}
{% macro find_empty_seed_values(relation, seed_file, required, quote_columns) %}
  {{ return(adapter.dispatch('find_empty_seed_values', 'ecom_synth')(relation, seed_file, required, quote_columns)) }}
{% endmacro %}

{% macro default__find_empty_seed_values(relation, seed_file, required, quote_columns) %}
  {{ return(ecom_synth.count_empty_seed_values(relation, required, quote_columns, none)) }}
{% endmacro %}

{#- DuckDB keeps the file's row order on insert and numbers the rows of the fresh table consecutively
    (from a large offset while the transaction is open), so rowid - min(rowid) + 2 is the line of the
    CSV (the header is line 1), as long as no quoted field spans lines. -#}
{% macro duckdb__find_empty_seed_values(relation, seed_file, required, quote_columns) %}
  {%- set line_expr = 'rowid - (select min(rowid) from ' ~ relation.render() ~ ') + 2' -%}
  {{ return(ecom_synth.count_empty_seed_values(relation, required, quote_columns, line_expr)) }}
{% endmacro %}

{#- PostgreSQL: the values are already in memory, column by column, as written: '' for an empty
    field, none for a missing one (a short row); tuple lookups find the first without a query.
    After a server-side COPY (no agate table) the loaded table is counted instead. -#}
{% macro postgres__find_empty_seed_values(relation, seed_file, required, quote_columns) %}
  {%- if seed_file['data'] is none -%}
    {{ return(ecom_synth.postgres_copied_empty_values(relation, required, quote_columns)) }}
  {%- endif -%}
  {%- set table = seed_file['data'] -%}
  {%- set empties = [] -%}
  {%- for name in required -%}
    {%- set values = table.columns[name].values() -%}
    {%- set rows = values.count('') + values.count(none) -%}
    {%- if rows > 0 -%}
      {%- set first = [values.index('') if '' in values else values | length, values.index(none) if none in values else values | length] | min -%}
      {%- do empties.append({'column': name, 'rows': rows, 'first_line': first + 2}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(empties) }}
{% endmacro %}

{% macro count_empty_seed_values(relation, required, quote_columns, line_expr) %}
  {%- if not required -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set sql -%}
    select
    {%- for name in required %}
      sum(case when {{ adapter.quote_seed_column(name, quote_columns) }} is null then 1 else 0 end) as n_{{ loop.index }},
      {% if line_expr %}min(case when {{ adapter.quote_seed_column(name, quote_columns) }} is null then {{ line_expr }} end){% else %}null{% endif %} as l_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
  {%- endset -%}
  {%- set row = run_query(sql).rows[0] -%}
  {%- set empties = [] -%}
  {%- for name in required -%}
    {%- set n = row[2 * loop.index0] -%}
    {%- if n is not none and n > 0 -%}
      {%- set line = row[2 * loop.index0 + 1] -%}
      {%- do empties.append({'column': name, 'rows': n | int, 'first_line': (line | int) if line is not none else none}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(empties) }}
{% endmacro %}

{#- SQL Server: like PostgreSQL, the loader holds the file's values in memory (agate), so the first
    empty value of each column is found there, with its line, without a query. -#}
{% macro sqlserver__find_empty_seed_values(relation, seed_file, required, quote_columns) %}
  {{ return(ecom_synth.postgres__find_empty_seed_values(relation, seed_file, required, quote_columns)) }}
{% endmacro %}
