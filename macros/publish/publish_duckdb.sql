{#-
  DuckDB publish, one transaction: the live tables are recreated from their contracts and refilled
  (DuckDB cannot rename a referenced table; docs/dbt_layer.md, "Publish on each target").
-#}

{#- Foreign keys of the schemas `nodes` live in: {schema, table, columns, parent, to_columns} -#}
{% macro duckdb_foreign_keys(nodes) %}
  {% set schemas = [] %}
  {% for node in nodes %}{% do schemas.append("'" ~ (node.schema | lower | replace("'", "''")) ~ "'") %}{% endfor %}
  {% set sql %}
    select
        schema_name,
        table_name,
        referenced_table,
        array_to_string(list_transform(constraint_column_names, c -> '"' || replace(c, '"', '""') || '"'), ',') as columns,
        array_to_string(list_transform(referenced_column_names, c -> '"' || replace(c, '"', '""') || '"'), ',') as to_columns
    from duckdb_constraints()
    where constraint_type = 'FOREIGN KEY'
        and lower(database_name) = lower('{{ nodes[0].database | replace("'", "''") }}')
        and lower(schema_name) in ({{ schemas | unique | join(', ') }})
        and lower(table_name) <> lower(referenced_table)
    order by 1, 2, 3
  {% endset %}
  {% set fks = [] %}
  {% for row in run_query(sql) %}
    {% do fks.append({'schema': row[0], 'table': row[1], 'parent_table': row[2],
                      'columns': row[3].split(','), 'to_columns': row[4].split(',')}) %}
  {% endfor %}
  {{ return(fks) }}
{% endmacro %}

{#- The live tables that no node rebuilds but that reference a node's table, directly or
    through each other: [{schema, table}] -#}
{% macro duckdb_unbuilt_referencing_tables(nodes, fks) %}
  {% set closure = [] %}
  {% set keys = [] %}
  {% for node in nodes %}{% do keys.append((node.schema ~ '.' ~ node.alias) | lower) %}{% endfor %}
  {% for _ in fks %}
    {% for fk in fks if ((fk.schema ~ '.' ~ fk.parent_table) | lower) in keys
                      and ((fk.schema ~ '.' ~ fk.table) | lower) not in keys %}
      {% do keys.append((fk.schema ~ '.' ~ fk.table) | lower) %}
      {% do closure.append({'schema': fk.schema, 'table': fk.table}) %}
    {% endfor %}
  {% endfor %}
  {{ return(closure) }}
{% endmacro %}

{#- Two kinds of rows publish would refuse: rows of unbuilt tables whose parent this run replaces,
    and staged rows whose parent this run does not build (DuckDB staged no key on that one). -#}
{% macro duckdb__orphans_of_unbuilt_tables(nodes) %}
  {% set fks = ecom_synth.duckdb_foreign_keys(nodes) %}
  {% set checks = [] %}
  {% for fk in fks if not ecom_synth.is_one_of(nodes, fk.schema, fk.table)
                    and ecom_synth.is_one_of(nodes, fk.schema, fk.parent_table) %}
    {% do checks.append({
        'relation': api.Relation.create(database=nodes[0].database, schema=fk.schema, identifier=fk.table),
        'columns': fk.columns, 'to_columns': fk.to_columns,
        'parent': ecom_synth.node_named(nodes, fk.schema, fk.parent_table)}) %}
  {% endfor %}
  {% set messages = ecom_synth.orphan_messages(checks) %}

  {% set live_parents = ecom_synth.models_by_relation_name() %}
  {% for node in nodes %}
    {% for constraint in ecom_synth.model_constraints(node) if constraint.type == 'foreign_key'
          and live_parents.get(constraint.to) is not none
          and not ecom_synth.is_one_of(nodes, live_parents[constraint.to].schema, live_parents[constraint.to].alias) %}
      {% set parent = live_parents[constraint.to] %}
      {% set columns = [] %}{% for c in constraint.columns %}{% do columns.append(adapter.quote(c)) %}{% endfor %}
      {% set to_columns = [] %}{% for c in constraint.to_columns %}{% do to_columns.append(adapter.quote(c)) %}{% endfor %}
      {% set count = run_query(ecom_synth.orphan_count_sql(ecom_synth.staged_relation_of(node), columns,
          ecom_synth.live_relation_of(parent), to_columns)).columns[0].values()[0] %}
      {% if count > 0 %}
        {% do messages.append('the new ' ~ node.alias ~ ' has ' ~ count ~ (' row' if count == 1 else ' rows') ~ ' whose '
            ~ constraint.columns | join(', ') ~ ' the live ' ~ parent.alias ~ ' lacks') %}
      {% endif %}
    {% endfor %}
  {% endfor %}
  {{ return(messages) }}
{% endmacro %}

{% macro duckdb__publish_tables(nodes) %}
  {% set database = nodes[0].database %}
  {% set fks = ecom_synth.duckdb_foreign_keys(nodes) %}
  {% set kept = ecom_synth.duckdb_unbuilt_referencing_tables(nodes, fks) %}

  {#- every live table involved, with what it becomes -#}
  {% set tables = [] %}
  {% for node in nodes %}
    {% do tables.append({'schema': node.schema, 'table': node.alias, 'node': node}) %}
  {% endfor %}
  {% for table in kept %}
    {% set ddl = run_query("select sql from duckdb_tables() where lower(database_name) = lower('"
        ~ database | replace("'", "''") ~ "') and schema_name = '" ~ table.schema | replace("'", "''")
        ~ "' and table_name = '" ~ table.table | replace("'", "''") ~ "'").columns[0].values()[0] %}
    {% do tables.append({'schema': table.schema, 'table': table.table, 'ddl': ddl,
                         'keep': '"__ecom_keep_' ~ loop.index ~ '"'}) %}
  {% endfor %}

  {#- children before parents: a table goes once nothing left references it -#}
  {% set drop_order = [] %}
  {% set dropped = [] %}
  {% for _ in tables %}
    {% for table in tables if ((table.schema ~ '.' ~ table.table) | lower) not in dropped %}
      {% set key = (table.schema ~ '.' ~ table.table) | lower %}
      {% set ns = namespace(referenced=false) %}
      {% for fk in fks if ((fk.schema ~ '.' ~ fk.parent_table) | lower) == key
                        and ((fk.schema ~ '.' ~ fk.table) | lower) not in dropped %}
        {% for other in tables if ((other.schema ~ '.' ~ other.table) | lower) == ((fk.schema ~ '.' ~ fk.table) | lower) %}
          {% set ns.referenced = true %}
        {% endfor %}
      {% endfor %}
      {% if not ns.referenced %}
        {% do drop_order.append(table) %}
        {% do dropped.append(key) %}
      {% endif %}
    {% endfor %}
  {% endfor %}

  {% do adapter.ensure_transaction() %}
  {% for table in kept %}
    {% set entry = tables[nodes | length + loop.index0] %}
    {% call statement('keep_' ~ loop.index) -%}
      create or replace temp table {{ entry.keep }} as
      select * from {{ api.Relation.create(database=database, schema=entry.schema, identifier=entry.table) }}
    {%- endcall %}
  {% endfor %}
  {% for table in drop_order %}
    {% call statement('drop_live_' ~ loop.index) -%}
      drop table if exists {{ api.Relation.create(database=database, schema=table.schema, identifier=table.table) }}
    {%- endcall %}
  {% endfor %}
  {#- parents first, by the keys the tables will have: a published table may reference a kept one,
      and the other way round -#}
  {% set models = ecom_synth.models_by_relation_name() %}
  {% set create_order = [] %}
  {% set created = [] %}
  {% for _ in tables %}
    {% for table in tables if ((table.schema ~ '.' ~ table.table) | lower) not in created %}
      {% set key = (table.schema ~ '.' ~ table.table) | lower %}
      {% set parents = [] %}
      {% if table.node is defined %}
        {% for constraint in ecom_synth.model_constraints(table.node) if constraint.type == 'foreign_key' %}
          {% set parent = models.get(constraint.to) %}
          {% if parent is not none %}{% do parents.append((parent.schema ~ '.' ~ parent.alias) | lower) %}{% endif %}
        {% endfor %}
      {% else %}
        {% for fk in fks if ((fk.schema ~ '.' ~ fk.table) | lower) == key %}
          {% do parents.append((fk.schema ~ '.' ~ fk.parent_table) | lower) %}
        {% endfor %}
      {% endif %}
      {% set ns = namespace(ready=true) %}
      {% for parent in parents if parent != key and parent not in created %}
        {% for other in tables if ((other.schema ~ '.' ~ other.table) | lower) == parent %}
          {% set ns.ready = false %}
        {% endfor %}
      {% endfor %}
      {% if ns.ready %}
        {% do create_order.append(table) %}
        {% do created.append(key) %}
      {% endif %}
    {% endfor %}
  {% endfor %}
  {% for table in create_order %}
    {% set live = api.Relation.create(database=database, schema=table.schema, identifier=table.table) %}
    {% if table.node is defined %}
      {% set columns = adapter.render_raw_columns_constraints(raw_columns=ecom_synth.inline_columns(table.node)) %}
      {% set constraints = adapter.render_raw_model_constraints(raw_constraints=ecom_synth.model_constraints(table.node)) %}
      {% call statement('publish_' ~ loop.index) -%}
        create table {{ live }} (
          {{ (columns + constraints) | join(',\n          ') }}
        );
        insert into {{ live }} select * from {{ ecom_synth.staged_relation_of(table.node) }}
      {%- endcall %}
    {% else %}
      {% call statement('restore_' ~ loop.index) -%}
        {{ table.ddl }}
        insert into {{ live }} select * from {{ table.keep }};
        drop table {{ table.keep }}
      {%- endcall %}
    {% endif %}
  {% endfor %}
  {{ adapter.commit() }}
{% endmacro %}
