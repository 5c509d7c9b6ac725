{#-
  MySQL/MariaDB publish: one atomic RENAME TABLE, then the kept tables' keys moved onto the new
  parents (no transactional DDL; the gap this leaves: docs/dbt_layer.md, "Publish on each target").
-#}

{% macro mysql_previous_schema(schema) %}
  {{ return(schema ~ '__ecom_prev') }}
{% endmacro %}

{#- Foreign keys that tables outside `nodes` hold on the live tables of `nodes` -#}
{% macro mysql_foreign_keys_on(nodes) %}
  {#- also keys still on the old tables of an interrupted publish (in __ecom_prev): they are
      moved onto the new tables like the others -#}
  {% set parents = [] %}
  {% set previous = [] %}
  {% for node in nodes %}
    {% do parents.append("('" ~ node.schema | replace("'", "''") ~ "', '" ~ node.alias | replace("'", "''") ~ "')") %}
    {% do previous.append("('" ~ ecom_synth.mysql_previous_schema(node.schema) | replace("'", "''") ~ "', '" ~ node.alias | replace("'", "''") ~ "')") %}
  {% endfor %}
  {% set sql %}
    select
        k.table_schema,
        k.table_name,
        k.constraint_name,
        k.referenced_table_schema,
        k.referenced_table_name,
        group_concat(concat('`', replace(k.column_name, '`', '``'), '`') order by k.ordinal_position separator ',') as column_names,
        group_concat(concat('`', replace(k.referenced_column_name, '`', '``'), '`') order by k.ordinal_position separator ',') as referenced_column_names,
        max(r.update_rule) as update_rule,
        max(r.delete_rule) as delete_rule
    from information_schema.key_column_usage as k
    join information_schema.referential_constraints as r
        on r.constraint_schema = k.constraint_schema
        and r.constraint_name = k.constraint_name
        and r.table_name = k.table_name
    where (
            (k.referenced_table_schema, k.referenced_table_name) in ({{ parents | join(', ') }})
            or (k.referenced_table_schema, k.referenced_table_name) in ({{ previous | join(', ') }})
        )
        and (k.table_schema, k.table_name) not in ({{ parents | join(', ') }})
        and (k.table_schema, k.table_name) not in ({{ previous | join(', ') }})
    group by k.table_schema, k.table_name, k.constraint_name, k.referenced_table_schema, k.referenced_table_name
    order by 1, 2, 3
  {% endset %}
  {% set fks = [] %}
  {% for row in run_query(sql) %}
    {% do fks.append({
        'relation': api.Relation.create(schema=row[0], identifier=row[1], type='table'),
        'name': row[2],
        'parent': ecom_synth.node_named(nodes, row[3][:-('__ecom_prev' | length)] if row[3].endswith('__ecom_prev') else row[3], row[4]),
        'columns': row[5].split(','),
        'to_columns': row[6].split(','),
        'on_update': row[7],
        'on_delete': row[8],
    }) %}
  {% endfor %}
  {{ return(fks) }}
{% endmacro %}

{% macro mysql__orphans_of_unbuilt_tables(nodes) %}
  {{ return(ecom_synth.orphan_messages(ecom_synth.mysql_foreign_keys_on(nodes))) }}
{% endmacro %}

{% macro mysql__publish_tables(nodes) %}
  {% set fks = ecom_synth.mysql_foreign_keys_on(nodes) %}
  {% set renames = [] %}
  {% set previous_schemas = [] %}
  {% for node in nodes %}
    {% set live = ecom_synth.live_relation_of(node) %}
    {% set previous = api.Relation.create(schema=ecom_synth.mysql_previous_schema(node.schema), identifier=node.alias, type='table') %}
    {% if adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) is not none %}
      {% do renames.append(live ~ ' to ' ~ previous) %}
    {% endif %}
    {% do renames.append(ecom_synth.staged_relation_of(node) ~ ' to ' ~ live) %}
    {% if previous.schema not in previous_schemas %}{% do previous_schemas.append(previous.schema) %}{% endif %}
  {% endfor %}

  {#- an interrupted publish may have left keys on tables there (re-pointed below) -#}
  {% for schema in previous_schemas %}
    {% do run_query('set foreign_key_checks = 0') %}
    {% do run_query('drop database if exists ' ~ adapter.quote(schema)) %}
    {% do run_query('set foreign_key_checks = 1') %}
    {% do run_query('create database ' ~ adapter.quote(schema)) %}
  {% endfor %}
  {% do run_query('rename table ' ~ renames | join(', ')) %}
  {% for fk in fks %}
    {% do run_query('alter table ' ~ fk.relation ~ ' drop foreign key ' ~ adapter.quote(fk.name)) %}
    {% do run_query('alter table ' ~ fk.relation ~ ' add constraint ' ~ adapter.quote(fk.name)
        ~ ' foreign key (' ~ fk.columns | join(', ') ~ ') references ' ~ ecom_synth.live_relation_of(fk.parent)
        ~ ' (' ~ fk.to_columns | join(', ') ~ ') on update ' ~ fk.on_update ~ ' on delete ' ~ fk.on_delete) %}
  {% endfor %}
  {#- the old tables reference only each other now -#}
  {% for schema in previous_schemas %}
    {% do run_query('set foreign_key_checks = 0') %}
    {% do run_query('drop database ' ~ adapter.quote(schema)) %}
    {% do run_query('set foreign_key_checks = 1') %}
  {% endfor %}
{% endmacro %}
