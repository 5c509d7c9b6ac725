{#- Cross-database helpers that differ on MySQL/MariaDB. -#}

{% macro mysql__concat(fields) -%}
  concat({{ fields | join(', ') }})
{%- endmacro %}

{% macro mysql__hash(field) -%}
  md5(cast({{ field }} as char))
{%- endmacro %}

{% macro mysql__dateadd(datepart, interval, from_date_or_timestamp) -%}
  date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }})
{%- endmacro %}

{% macro mysql__datediff(first_date, second_date, datepart) -%}
  timestampdiff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{% macro mysql__split_part(string_text, delimiter_text, part_number) -%}
  substring_index(substring_index({{ string_text }}, {{ delimiter_text }}, {{ part_number }}), {{ delimiter_text }}, -1)
{%- endmacro %}

{% macro mysql__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  group_concat({{ measure }} {% if order_by_clause %}{{ order_by_clause }} {% endif %}separator {{ delimiter_text }})
{%- endmacro %}

{% macro mysql__bool_or(expression) -%}
  max({{ expression }})
{%- endmacro %}

{% macro mysql__any_value(expression) -%}
  min({{ expression }})
{%- endmacro %}

{% macro mysql__position(substring_text, string_text) -%}
  locate({{ substring_text }}, {{ string_text }})
{%- endmacro %}

{% macro mysql__last_day(date, datepart) -%}
  {%- if datepart == 'month' -%}
    last_day({{ date }})
  {%- else -%}
    {{ dbt.default_last_day(date, datepart) }}
  {%- endif -%}
{%- endmacro %}

{% macro mysql__cast_bool_to_text(field) -%}
  case when {{ field }} is null then null when {{ field }} then 'true' else 'false' end
{%- endmacro %}

{% macro mysql__type_string() -%} char {%- endmacro %}
{% macro mysql__type_timestamp() -%} datetime {%- endmacro %}
{% macro mysql__type_float() -%} double {%- endmacro %}
{% macro mysql__type_numeric() -%} decimal(28,6) {%- endmacro %}
{% macro mysql__type_bigint() -%} signed {%- endmacro %}
{% macro mysql__type_int() -%} signed {%- endmacro %}
{% macro mysql__type_boolean() -%} signed {%- endmacro %}

{% macro mysql__snapshot_hash_arguments(args) -%}
  md5(concat_ws('|', {%- for arg in args -%}
    coalesce(cast({{ arg }} as char), ''){% if not loop.last %}, {% endif %}
  {%- endfor -%}))
{%- endmacro %}

{% macro mysql__snapshot_string_as_time(timestamp) -%}
  cast('{{ timestamp }}' as datetime(6))
{%- endmacro %}
