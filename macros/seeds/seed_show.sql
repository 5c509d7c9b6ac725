{#- Reading a sample of a loaded seed back for `dbt seed --show` (only then: stock dbt keeps the
    whole file in memory for it, this loader does not). -#}
{% macro seed_show_sample(relation) %}
  {%- if not invocation_args_dict.get('show') -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(run_query('select * from ' ~ relation.render() ~ ' order by random() limit 10')) }}
{% endmacro %}
