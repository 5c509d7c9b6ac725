{#- Reading a sample of a loaded seed back for `dbt seed --show` (only then: stock dbt keeps the
    whole file in memory for it, this loader does not). -#}
{% macro seed_show_sample(relation) %}
  {%- if not invocation_args_dict.get('show') -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(run_query(ecom_synth.seed_sample_sql(relation))) }}
{% endmacro %}

{#- Ten random rows of `relation` -#}
{% macro seed_sample_sql(relation) %}
  {{ return(adapter.dispatch('seed_sample_sql', 'ecom_synth')(relation)) }}
{% endmacro %}

{% macro default__seed_sample_sql(relation) %}
  {{ return('select * from ' ~ relation.render() ~ ' order by random() limit 10') }}
{% endmacro %}

{#- SQL Server: TOP instead of LIMIT, newid() instead of random() -#}
{% macro sqlserver__seed_sample_sql(relation) %}
  {{ return('select top (10) * from ' ~ relation.render() ~ ' order by newid()') }}
{% endmacro %}
