{#-
  `dbt run-operation reset_snapshot_history`: drop the project's snapshot tables, so that the
  next `dbt snapshot` starts their history again. dbt never drops a snapshot (it is history), and
  a rebuild from an earlier as-of or of another world leaves it as it was: its versions then lie
  after, or outside, the shop the tables hold. `make week` starts with this.
-#}
{% macro reset_snapshot_history() %}
  {% set dropped = [] %}
  {% for node in graph.nodes.values() if node.resource_type == 'snapshot' and node.package_name == project_name %}
    {% set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
    {% if relation is not none %}
      {% do adapter.drop_relation(relation) %}
      {% do dropped.append(relation) %}
      {{ log('ecom_synth: dropped ' ~ relation ~ '; its history starts again at the next dbt snapshot', info=True) }}
    {% endif %}
  {% endfor %}
  {#- PostgreSQL and DuckDB drop inside dbt's transaction; MySQL's DDL commits on its own -#}
  {% if dropped and target.type != 'mysql' %}
    {% do adapter.commit() %}
  {% endif %}
{% endmacro %}
