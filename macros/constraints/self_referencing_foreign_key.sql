{#-
  A foreign key from a table to itself (category.parent_category_id -> category.category_id),
  added once the table is filled, as a post-hook of that model.

  Why not in the contract with the other constraints: a model cannot `ref()` itself, and DuckDB
  checks a foreign key against the rows already stored before it appends a batch, so one insert
  that carries a root and its children fails there ("key ... does not exist in the referenced
  table"), although PostgreSQL, which checks at the end of the statement, accepts it. Adding the
  key afterwards works wherever ALTER TABLE can add one, and it checks every existing row.

  DuckDB cannot add a foreign key to an existing table at all: there the reference is proven by
  the relationships test on parent_category_id and by rule 2 (the category tree), not by the
  database. The default version is plain SQL that PostgreSQL, SQL Server and MySQL all accept.
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
