{#-
  category's foreign key to itself, added by a post-hook once the table is filled (not on DuckDB).
  Why not in the contract: docs/dbt_layer.md, "Constraints".
-#}
{% macro add_self_referencing_foreign_key(name, column, to_column) %}
  {{ return(adapter.dispatch('add_self_referencing_foreign_key', 'ecom_synth')(name, column, to_column)) }}
{% endmacro %}

{% macro default__add_self_referencing_foreign_key(name, column, to_column) %}
alter table {{ ecom_synth.building_relation() }}
    add constraint {{ name }} foreign key ({{ column }}) references {{ ecom_synth.building_relation() }} ({{ to_column }})
{% endmacro %}

{% macro duckdb__add_self_referencing_foreign_key(name, column, to_column) %}
{% endmacro %}

{#- SQL Server keeps a foreign key inside one database: the table in two parts, after USE -#}
{% macro sqlserver__add_self_referencing_foreign_key(name, column, to_column) %}
{{ get_use_database_sql(ecom_synth.building_relation().database) }}
alter table {{ ecom_synth.building_relation().include(database=False) }}
    add constraint {{ adapter.quote(name) }} foreign key ({{ adapter.quote(column) }}) references {{ ecom_synth.building_relation().include(database=False) }} ({{ adapter.quote(to_column) }})
{% endmacro %}
