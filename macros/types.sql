{#-
  Column types of the typed OLTP tables, one dispatched macro per logical type of seeds_gen/schema.py.
  Why they also appear in dbt_project.yml: docs/dbt_layer.md, "Column types".
-#}

{#- integer surrogate key (brand, category, seller, product, promotion) and small counts -#}
{% macro type_key() -%}
    {{ return(adapter.dispatch('type_key', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_key() -%}
    {{ return('integer') }}
{%- endmacro %}

{% macro sqlserver__type_key() -%}
    {{ return('int') }}
{%- endmacro %}


{#- 64-bit key of the tables that grow with --scale (customer, orders, order_item) -#}
{% macro type_big_key() -%}
    {{ return(adapter.dispatch('type_big_key', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_big_key() -%}
    {{ return('bigint') }}
{%- endmacro %}


{#- bounded text; the bound matters on MySQL and SQL Server, which index only bounded text -#}
{% macro type_text(length) -%}
    {{ return(adapter.dispatch('type_text', 'ecom_synth')(length)) }}
{%- endmacro %}

{% macro default__type_text(length) -%}
    {{ return('varchar(' ~ length ~ ')') }}
{%- endmacro %}

{#- nvarchar: names and cities carry accents, and varchar follows the (often non-UTF-8) collation -#}
{% macro sqlserver__type_text(length) -%}
    {{ return('nvarchar(' ~ length ~ ')') }}
{%- endmacro %}


{#- money: exact decimal, 2 places, never float -#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_money() -%}
    {{ return('decimal(12,2)') }}
{%- endmacro %}


{#- seller rating, 1.0 to 5.0 with one place -#}
{% macro type_rating() -%}
    {{ return(adapter.dispatch('type_rating', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_rating() -%}
    {{ return('decimal(3,1)') }}
{%- endmacro %}


{% macro type_date() -%}
    {{ return(adapter.dispatch('type_date', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_date() -%}
    {{ return('date') }}
{%- endmacro %}


{#- timestamp without time zone, meaning UTC, whole seconds -#}
{% macro type_timestamp() -%}
    {{ return(adapter.dispatch('type_timestamp', 'ecom_synth')()) }}
{%- endmacro %}

{% macro default__type_timestamp() -%}
    {{ return('timestamp') }}
{%- endmacro %}

{#- SQL Server's timestamp is rowversion, not a point in time; datetime2(0) holds whole seconds -#}
{% macro sqlserver__type_timestamp() -%}
    {{ return('datetime2(0)') }}
{%- endmacro %}

{#- MySQL's timestamp converts through the session time zone and stops in 2038 -#}
{% macro mysql__type_timestamp() -%}
    {{ return('datetime') }}
{%- endmacro %}


{% macro type_bool() -%}
    {{ return(adapter.dispatch('type_bool', 'ecom_synth')()) }}
{%- endmacro %}

{#- MySQL reads boolean as tinyint(1) -#}
{% macro default__type_bool() -%}
    {{ return('boolean') }}
{%- endmacro %}

{% macro sqlserver__type_bool() -%}
    {{ return('bit') }}
{%- endmacro %}
