{#-
  PostgreSQL publish, one transaction: foreign keys follow a table by its identity, not its
  name, so each staged table moves into the live schema whole (ALTER TABLE ... SET SCHEMA, no
  copy), with the keys it was built with. The live tables it replaces are dropped first; the
  tables this run does not rebuild keep their rows: their foreign keys on a replaced table are
  dropped and added back on the new one, which checks every row.
-#}

{#- Foreign keys that tables outside `nodes` hold on the live tables of `nodes` -#}
{% macro postgres_foreign_keys_on(nodes) %}
  {% set regclasses = [] %}
  {% for node in nodes %}
    {% do regclasses.append("to_regclass('" ~ (ecom_synth.live_relation_of(node).include(database=False) | string | replace("'", "''")) ~ "')") %}
  {% endfor %}
  {% set sql %}
    with replaced as (
        select oid from pg_class where oid in ({{ regclasses | join(', ') }})
    )
    select
        n.nspname as table_schema,
        t.relname as table_name,
        c.conname as constraint_name,
        pg_get_constraintdef(c.oid) as definition,
        pn.nspname as parent_schema,
        p.relname as parent_table,
        (
            select string_agg(quote_ident(a.attname), ',' order by k.ord)
            from unnest(c.conkey) with ordinality as k(attnum, ord)
            join pg_attribute as a on a.attrelid = c.conrelid and a.attnum = k.attnum
        ) as column_names,
        (
            select string_agg(quote_ident(a.attname), ',' order by k.ord)
            from unnest(c.confkey) with ordinality as k(attnum, ord)
            join pg_attribute as a on a.attrelid = c.confrelid and a.attnum = k.attnum
        ) as referenced_column_names
    from pg_constraint as c
    join pg_class as t on t.oid = c.conrelid
    join pg_namespace as n on n.oid = t.relnamespace
    join pg_class as p on p.oid = c.confrelid
    join pg_namespace as pn on pn.oid = p.relnamespace
    where c.contype = 'f'
        and c.confrelid in (select oid from replaced)
        and c.conrelid not in (select oid from replaced)
    order by 1, 2, 3
  {% endset %}
  {% set fks = [] %}
  {% for row in run_query(sql) %}
    {% do fks.append({
        'relation': api.Relation.create(database=nodes[0].database, schema=row['table_schema'], identifier=row['table_name'], type='table'),
        'name': row['constraint_name'],
        'definition': row['definition'],
        'columns': row['column_names'].split(','),
        'to_columns': row['referenced_column_names'].split(','),
        'parent': ecom_synth.node_named(nodes, row['parent_schema'], row['parent_table']),
    }) %}
  {% endfor %}
  {{ return(fks) }}
{% endmacro %}

{% macro postgres__orphans_of_unbuilt_tables(nodes) %}
  {{ return(ecom_synth.orphan_messages(ecom_synth.postgres_foreign_keys_on(nodes))) }}
{% endmacro %}

{% macro postgres__publish_tables(nodes) %}
  {% set fks = ecom_synth.postgres_foreign_keys_on(nodes) %}
  {% set live = [] %}
  {% for node in nodes %}
    {% set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
    {% if relation is not none %}{% do live.append(relation.include(database=False) | string) %}{% endif %}
  {% endfor %}
  {% set to_lock = live[:] %}
  {% for fk in fks %}{% do to_lock.append(fk.relation.include(database=False) | string) %}{% endfor %}

  {% call statement('publish') -%}
    {% if to_lock %}
    lock table {{ to_lock | unique | sort | join(', ') }} in access exclusive mode;
    {% endif %}
    {%- for fk in fks %}
    alter table {{ fk.relation }} drop constraint {{ adapter.quote(fk.name) }};
    {%- endfor %}
    {% if live %}
    drop table {{ live | join(', ') }};
    {% endif %}
    {%- for node in nodes %}
    alter table {{ ecom_synth.staged_relation_of(node) }} set schema {{ adapter.quote(node.schema) }};
    {%- endfor %}
    {%- for fk in fks %}
    alter table {{ fk.relation }} add constraint {{ adapter.quote(fk.name) }} {{ fk.definition }};
    {%- endfor %}
  {%- endcall %}
  {{ adapter.commit() }}
{% endmacro %}
