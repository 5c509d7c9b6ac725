{#-
    The keyword that opens a `with` clause holding a recursive common table expression.
    Standard SQL (PostgreSQL, DuckDB, MySQL 8, MariaDB) spells it `with recursive`; SQL Server
    has no `recursive` keyword and detects the recursion itself.

    Usage: {{ ecom_synth.with_recursive() }} tree as (... union all ...)
-#}
{% macro with_recursive() -%}
    {{ return(adapter.dispatch('with_recursive', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__with_recursive() -%}
    with recursive
{%- endmacro %}

{% macro sqlserver__with_recursive() -%}
    with
{%- endmacro %}
