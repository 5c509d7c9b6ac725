{#- Refusals with a message that names the file and the problem, raised before the seed table is touched.
    Empty values are the typed models' to refuse: their contracts declare NOT NULL (docs/dbt_layer.md). -#}

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
