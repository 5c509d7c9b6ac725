{#-
  The tables whose foreign keys point at a table being replaced ("referencing tables"), taken
  out of the way before the drop and put back after the create, for the project's `table`
  materialization (table.sql). Each adapter reads its own catalog: the database, not the dbt
  graph, knows which foreign keys exist (including ones a user added by hand).

  detach_referencing_tables(relation, existing_relation) -> a dict that only the same adapter's
  reattach_referencing_tables(relation, detached) reads back.
-#}

{% macro detach_referencing_tables(relation, existing_relation) %}
  {{ return(adapter.dispatch('detach_referencing_tables', 'ecom_synth')(relation, existing_relation)) }}
{% endmacro %}

{% macro reattach_referencing_tables(relation, detached) %}
  {{ return(adapter.dispatch('reattach_referencing_tables', 'ecom_synth')(relation, detached)) }}
{% endmacro %}

{#- Targets without their own versions keep nothing: their materialization is the adapter's -#}
{% macro default__detach_referencing_tables(relation, existing_relation) %}
  {{ return({}) }}
{% endmacro %}

{% macro default__reattach_referencing_tables(relation, detached) %}
{% endmacro %}


{#- ---------------------------------------------------------------- shared helpers -#}

{#- The model of this project that builds table `table_name` in `schema`, or none -#}
{% macro model_building_table(schema, table_name) %}
  {% for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.package_name == project_name
        and node.schema | lower == schema | lower
        and (node.alias or node.name) | lower == table_name | lower %}
    {{ return(node) }}
  {% endfor %}
  {{ return(none) }}
{% endmacro %}

{#- The tables of `tables` ({schema, name}) that no model selected in this run rebuilds -#}
{% macro tables_not_rebuilt_in_this_run(tables) %}
  {% set problems = [] %}
  {% for table in tables %}
    {% set node = ecom_synth.model_building_table(table.schema, table.name) %}
    {% if node is none %}
      {% do problems.append(table.schema ~ '.' ~ table.name ~ ' (no model of this project builds it)') %}
    {% elif node.unique_id not in selected_resources %}
      {% do problems.append(table.schema ~ '.' ~ table.name ~ ' (model ' ~ node.name ~ ' is not selected)') %}
    {% endif %}
  {% endfor %}
  {{ return(problems) }}
{% endmacro %}

{#-
  The new `relation` no longer fits rows that referencing tables kept (a new dataset): empty
  them, which is only safe when this run rebuilds every one of them right after. `tables` is a
  list of {schema, name}. Raises, rolling the model back, when that is not the case.
-#}
{% macro ensure_referencing_tables_are_rebuilt(relation, tables, reason) %}
  {% set problems = ecom_synth.tables_not_rebuilt_in_this_run(tables) %}
  {% if problems %}
    {% do exceptions.raise_compiler_error(
        'Cannot replace ' ~ relation ~ ': ' ~ reason ~ ', and these tables would have to be emptied '
        ~ 'without being rebuilt in this run: ' ~ problems | join('; ') ~ '. Nothing was changed. '
        ~ 'Rebuild them together, e.g. `dbt build -s ' ~ model.name ~ '+`.') %}
  {% endif %}
  {{ log('ecom_synth: ' ~ relation ~ ': ' ~ reason ~ '; emptying ' ~ tables | map(attribute='name') | join(', ')
         ~ ', which this run rebuilds next', info=True) }}
{% endmacro %}

{#- SQL: rows of `from_relation` whose non-null key `columns` has no match in `to_relation` -#}
{% macro orphan_count_sql(from_relation, columns, to_relation, to_columns) %}
  select count(*) as orphans
  from {{ from_relation }} as kept
  where
    {%- for column in columns %}
    kept.{{ adapter.quote(column) }} is not null and
    {%- endfor %}
    not exists (
      select 1
      from {{ to_relation }} as referenced
      where
        {%- for column in columns %}
        referenced.{{ adapter.quote(to_columns[loop.index0]) }} = kept.{{ adapter.quote(column) }}{{ ' and' if not loop.last }}
        {%- endfor %}
    )
{% endmacro %}

{#- Kept rows that a rebuilt table no longer matches, as a message ('' when there are none):
    every target's reattach step asks this question of each foreign key it puts back. -#}
{% macro orphan_message(from_relation, owner, columns, to_relation, to_columns) %}
  {% set orphans = run_query(ecom_synth.orphan_count_sql(from_relation, columns, to_relation, to_columns)).columns[0].values()[0] %}
  {{ return((owner ~ ' has ' ~ orphans ~ ' rows whose ' ~ columns | join(', ') ~ ' ' ~ to_relation.identifier ~ ' lacks') if orphans > 0 else '') }}
{% endmacro %}

{% macro foreign_key_misfits(foreign_keys, to_relation) %}
  {% set misfits = [] %}
  {% for fk in foreign_keys %}
    {% set message = ecom_synth.orphan_message(fk.relation, fk.relation.identifier, fk.columns, to_relation, fk.to_columns) %}
    {% if message %}{% do misfits.append(message) %}{% endif %}
  {% endfor %}
  {{ return(misfits) }}
{% endmacro %}


{#- ---------------------------------------------------------------- PostgreSQL -#}
{#-
  PostgreSQL can drop and add a foreign key inside a transaction, so the referencing tables
  stay in place with their rows: drop their foreign keys on this table, and add the very same
  definitions (pg_get_constraintdef) back once the new table exists; adding one validates every
  row. Lock order: the tables involved are locked up front in name order, so two models that
  share referencing tables (product and promotion both have order_item) wait for each other
  instead of deadlocking.
-#}
{% macro postgres__detach_referencing_tables(relation, existing_relation) %}
  {% if existing_relation is none %}
    {{ return({'foreign_keys': [], 'tables': []}) }}
  {% endif %}
  {% set regclass = "to_regclass('" ~ existing_relation.include(database=False) ~ "')" %}

  {% set foreign_keys_sql %}
    select
        n.nspname as table_schema,
        t.relname as table_name,
        c.conname as constraint_name,
        pg_get_constraintdef(c.oid) as definition,
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
    where c.contype = 'f'
        and c.confrelid = {{ regclass }}
        and c.conrelid <> c.confrelid
    order by 1, 2, 3
  {% endset %}
  {% set foreign_keys = [] %}
  {% for row in run_query(foreign_keys_sql) %}
    {% do foreign_keys.append({
        'relation': api.Relation.create(database=relation.database, schema=row['table_schema'], identifier=row['table_name'], type='table'),
        'name': row['constraint_name'],
        'definition': row['definition'],
        'columns': row['column_names'].split(','),
        'to_columns': row['referenced_column_names'].split(','),
    }) %}
  {% endfor %}
  {% if not foreign_keys %}
    {{ return({'foreign_keys': [], 'tables': []}) }}
  {% endif %}

  {#- Everything below the referencing tables too: emptying one needs its own referencers emptied -#}
  {% set closure_sql %}
    with recursive references_to(relid) as (
        select c.conrelid
        from pg_constraint as c
        where c.contype = 'f' and c.confrelid = {{ regclass }} and c.conrelid <> c.confrelid
        union
        select c.conrelid
        from pg_constraint as c
        join references_to as r on c.confrelid = r.relid
        where c.contype = 'f' and c.conrelid <> c.confrelid
    )
    select n.nspname as table_schema, t.relname as table_name
    from references_to as r
    join pg_class as t on t.oid = r.relid
    join pg_namespace as n on n.oid = t.relnamespace
    order by 1, 2
  {% endset %}
  {% set tables = [] %}
  {% for row in run_query(closure_sql) %}
    {% do tables.append({'schema': row['table_schema'], 'name': row['table_name']}) %}
  {% endfor %}

  {% set to_lock = [existing_relation.include(database=False) | string] %}
  {% for fk in foreign_keys %}
    {% set name = fk.relation.include(database=False) | string %}
    {% if name not in to_lock %}{% do to_lock.append(name) %}{% endif %}
  {% endfor %}
  {% call statement('lock_referencing_tables') -%}
    lock table {{ to_lock | sort | join(', ') }} in access exclusive mode
  {%- endcall %}

  {% for fk in foreign_keys %}
    {% call statement('detach_foreign_key_' ~ loop.index) -%}
      alter table {{ fk.relation }} drop constraint {{ adapter.quote(fk.name) }}
    {%- endcall %}
  {% endfor %}
  {{ return({'foreign_keys': foreign_keys, 'tables': tables}) }}
{% endmacro %}

{% macro postgres__reattach_referencing_tables(relation, detached) %}
  {% set foreign_keys = detached.get('foreign_keys', []) %}
  {% set misfits = ecom_synth.foreign_key_misfits(foreign_keys, relation) %}
  {% if misfits %}
    {% do ecom_synth.ensure_referencing_tables_are_rebuilt(relation, detached.tables, misfits | join('; ')) %}
    {% call statement('empty_referencing_tables') -%}
      truncate table
      {%- for table in detached.tables %}
        {{ adapter.quote(table.schema) }}.{{ adapter.quote(table.name) }}{{ ',' if not loop.last }}
      {%- endfor %}
    {%- endcall %}
  {% endif %}
  {% for fk in foreign_keys %}
    {% call statement('reattach_foreign_key_' ~ loop.index) -%}
      alter table {{ fk.relation }} add constraint {{ adapter.quote(fk.name) }} {{ fk.definition }}
    {%- endcall %}
  {% endfor %}
{% endmacro %}


{#- ---------------------------------------------------------------- DuckDB -#}
{#-
  DuckDB can neither drop a referenced table nor drop or add a foreign key, so every table that
  references this one, directly or through another, is copied aside and dropped (deepest
  first); after the create it is recreated from its own DDL (duckdb_tables().sql, with all its
  constraints) and refilled (shallowest first), which checks each row again. Foreign keys cannot
  cross schemas in DuckDB, so only this schema is searched. The copies are plain tables named
  <table>__ecom_keep, created and dropped inside the model's transaction, so nobody else sees
  them; dbt-duckdb runs models in foreign key relationships one at a time.

  Cost: putting a million order lines back (every key checked again) takes DuckDB about 20
  seconds, and a full `dbt build` does it once per parent table. With
  `--vars '{keep_referencing_rows: false}'`, referencing tables that this run rebuilds anyway are
  recreated empty instead of refilled (about three times faster at the default scale); the price
  is that if a later model fails, they stay empty (with all their constraints) until the next
  successful run. Tables this run does not rebuild are always refilled.
-#}
{% macro duckdb__detach_referencing_tables(relation, existing_relation) %}
  {% if existing_relation is none %}
    {{ return({'tables': []}) }}
  {% endif %}
  {% set database = relation.database | replace("'", "''") %}
  {% set schema = relation.schema | replace("'", "''") %}
  {% set identifier = relation.identifier | replace("'", "''") %}
  {% set closure_sql %}
    with recursive fks as (
        select table_name, referenced_table
        from duckdb_constraints()
        where constraint_type = 'FOREIGN KEY'
            and lower(database_name) = lower('{{ database }}')
            and lower(schema_name) = lower('{{ schema }}')
            and lower(table_name) <> lower(referenced_table)
    ),
    referencing(table_name, depth) as (
        select table_name, 1
        from fks
        where lower(referenced_table) = lower('{{ identifier }}')
        union
        select fks.table_name, referencing.depth + 1
        from fks
        join referencing on lower(fks.referenced_table) = lower(referencing.table_name)
    ),
    deepest as (
        select table_name, max(depth) as depth
        from referencing
        group by table_name
    )
    select
        deepest.table_name,
        t.sql as ddl
    from deepest
    join duckdb_tables() as t
        on lower(t.database_name) = lower('{{ database }}')
        and lower(t.schema_name) = lower('{{ schema }}')
        and t.table_name = deepest.table_name
    order by deepest.depth desc, deepest.table_name
  {% endset %}
  {% set tables = [] %}
  {% for row in run_query(closure_sql) %}
    {% set table = api.Relation.create(database=relation.database, schema=relation.schema, identifier=row['table_name'], type='table') %}
    {% set foreign_keys_sql %}
        select
            array_to_string(constraint_column_names, ',') as column_names,
            referenced_table,
            array_to_string(referenced_column_names, ',') as referenced_column_names
        from duckdb_constraints()
        where constraint_type = 'FOREIGN KEY'
            and lower(database_name) = lower('{{ database }}')
            and lower(schema_name) = lower('{{ schema }}')
            and table_name = '{{ row["table_name"] | replace("'", "''") }}'
        order by 1, 2
    {% endset %}
    {% set foreign_keys = [] %}
    {% for fk in run_query(foreign_keys_sql) %}
      {% do foreign_keys.append({
          'columns': fk['column_names'].split(','),
          'to': relation.incorporate(path={'identifier': fk['referenced_table']}),
          'to_columns': fk['referenced_column_names'].split(','),
      }) %}
    {% endfor %}
    {% do tables.append({
        'relation': table,
        'keep': table.incorporate(path={'identifier': row['table_name'] ~ '__ecom_keep'}),
        'ddl': row['ddl'],
        'foreign_keys': foreign_keys,
        'schema': relation.schema,
        'name': row['table_name'],
    }) %}
  {% endfor %}

  {% set keep_rows = var('keep_referencing_rows', true)
        or ecom_synth.tables_not_rebuilt_in_this_run(tables) | length > 0 %}
  {% if tables and not keep_rows %}
    {{ log('ecom_synth: ' ~ relation ~ ': recreating ' ~ tables | map(attribute='name') | join(', ')
           ~ ' empty (keep_referencing_rows is false); this run rebuilds them next', info=True) }}
  {% endif %}
  {% for table in tables %}
    {% call statement('set_aside_' ~ loop.index) -%}
      {% if keep_rows -%}
      drop table if exists {{ table.keep }};
      create table {{ table.keep }} as select * from {{ table.relation }};
      {% endif -%}
      drop table {{ table.relation }};
    {%- endcall %}
  {% endfor %}
  {{ return({'tables': tables, 'keep_rows': keep_rows}) }}
{% endmacro %}

{% macro duckdb__reattach_referencing_tables(relation, detached) %}
  {% set tables = detached.get('tables', []) | reverse | list %}
  {% set state = {'emptying': not detached.get('keep_rows', true)} %}
  {% for table in tables %}
    {% call statement('recreate_' ~ loop.index) -%}
      {{ table.ddl }}
    {%- endcall %}
    {% if not state.emptying %}
      {% set misfits = [] %}
      {% for fk in table.foreign_keys %}
        {% set message = ecom_synth.orphan_message(table.keep, table.name, fk.columns, fk.to, fk.to_columns) %}
        {% if message %}{% do misfits.append(message) %}{% endif %}
      {% endfor %}
      {% if misfits %}
        {#- this table and every one after it (they come later because they sit deeper) stay empty -#}
        {% do ecom_synth.ensure_referencing_tables_are_rebuilt(relation, tables[loop.index0:], misfits | join('; ')) %}
        {% do state.update({'emptying': true}) %}
      {% endif %}
    {% endif %}
    {% if detached.get('keep_rows', true) %}
      {% call statement('refill_' ~ loop.index) -%}
        {% if not state.emptying -%}
        insert into {{ table.relation }} select * from {{ table.keep }};
        {% endif -%}
        drop table {{ table.keep }};
      {%- endcall %}
    {% endif %}
  {% endfor %}
{% endmacro %}


{#- ---------------------------------------------------------------- SQL Server -#}
{#-
  SQL Server, like PostgreSQL, drops and adds foreign keys inside a transaction (the flag
  dbt_sqlserver_use_dbt_transactions in dbt_project.yml makes dbt's BEGIN/COMMIT real, and the
  adapter's XACT_ABORT ON rolls the whole model back on any error). It refuses to drop a table
  that a foreign key references (Msg 3726) and sp_rename keeps such keys on the renamed table,
  which is why the adapter's rename-and-swap materialization fails on the second build here.
  So: the foreign keys held on this table are read from sys.foreign_keys, dropped (in schema,
  table, name order, so two models sharing a referencing table wait rather than deadlock), and
  added back WITH CHECK once the new table exists, which validates every kept row and leaves
  them trusted. SQL Server has no pg_get_constraintdef: the definition is rebuilt from the
  catalog (columns in key order, ON DELETE / ON UPDATE actions, NOT FOR REPLICATION).

  The new table's own named constraints (primary key first) are added by
  sqlserver__reattach_referencing_tables before anything references it again: dbt-sqlserver
  creates only anonymous constraints in CREATE TABLE (its create_table_as) and adds the named
  ones with ALTER TABLE after its swap, which this materialization does not run. Needs SQL
  Server 2017+ or Azure SQL (string_agg).
-#}
{% macro sqlserver__detach_referencing_tables(relation, existing_relation) %}
  {% if existing_relation is none %}
    {{ return({'foreign_keys': [], 'tables': []}) }}
  {% endif %}
  {% set foreign_keys = [] %}
  {% for row in run_query(ecom_synth.sqlserver_referencing_foreign_keys_sql(existing_relation)) %}
    {% do foreign_keys.append({
        'relation': api.Relation.create(database=relation.database, schema=row['table_schema'], identifier=row['table_name'], type='table'),
        'name': row['constraint_name'],
        'columns': row['column_names'].split('\x1f'),
        'to_columns': row['referenced_column_names'].split('\x1f'),
        'on_delete': row['on_delete'],
        'on_update': row['on_update'],
        'not_for_replication': row['is_not_for_replication'] in (1, true),
    }) %}
  {% endfor %}
  {% if not foreign_keys %}
    {{ return({'foreign_keys': [], 'tables': []}) }}
  {% endif %}

  {% set tables = [] %}
  {% for row in run_query(ecom_synth.sqlserver_referencing_closure_sql(existing_relation)) %}
    {% do tables.append({
        'relation': api.Relation.create(database=relation.database, schema=row['table_schema'], identifier=row['table_name'], type='table'),
        'schema': row['table_schema'],
        'name': row['table_name'],
        'is_referenced': row['is_referenced'] in (1, true),
    }) %}
  {% endfor %}

  {% call statement('detach_foreign_keys') -%}
    {{ get_use_database_sql(relation.database) }}
    {%- for fk in foreign_keys %}
    alter table {{ fk.relation.include(database=False) }} drop constraint {{ adapter.quote(fk.name) }};
    {%- endfor %}
  {%- endcall %}
  {{ return({'foreign_keys': foreign_keys, 'tables': tables}) }}
{% endmacro %}

{% macro sqlserver__reattach_referencing_tables(relation, detached) %}
  {#- the new table's named constraints first: the keys below need its primary key -#}
  {% set named = adapter.render_raw_model_alter_constraints(
      raw_constraints=ecom_synth.sqlserver_local_references(model.get('constraints') or [], relation.database)) %}
  {% if named %}
    {% call statement('add_named_constraints') -%}
      {{ ecom_synth.sqlserver_add_named_constraints_sql(relation, named) }}
    {%- endcall %}
  {% endif %}

  {% set foreign_keys = detached.get('foreign_keys', []) %}
  {% set misfits = ecom_synth.foreign_key_misfits(foreign_keys, relation) %}
  {% if misfits %}
    {% do ecom_synth.ensure_referencing_tables_are_rebuilt(relation, detached.tables, misfits | join('; ')) %}
    {% call statement('empty_referencing_tables') -%}
      {{ ecom_synth.sqlserver_empty_tables_sql(relation, detached.tables) }}
    {%- endcall %}
  {% endif %}
  {% if foreign_keys %}
    {% call statement('reattach_foreign_keys') -%}
      {{ get_use_database_sql(relation.database) }}
      {%- for fk in foreign_keys %}
      {{ ecom_synth.sqlserver_add_foreign_key_sql(fk, relation) }};
      {%- endfor %}
    {%- endcall %}
  {% endif %}
{% endmacro %}

{#- The foreign keys of other tables that reference `relation`, one row each, in lock order -#}
{% macro sqlserver_referencing_foreign_keys_sql(relation) %}
  {%- set object_name = relation.include(database=False) | string | replace("'", "''") -%}
{{ get_use_database_sql(relation.database) }}
select
    object_schema_name(fk.parent_object_id) as table_schema,
    object_name(fk.parent_object_id) as table_name,
    fk.name as constraint_name,
    replace(fk.delete_referential_action_desc, '_', ' ') as on_delete,
    replace(fk.update_referential_action_desc, '_', ' ') as on_update,
    cast(fk.is_not_for_replication as int) as is_not_for_replication,
    (
        select string_agg(pc.name, char(31)) within group (order by fkc.constraint_column_id)
        from sys.foreign_key_columns as fkc
        inner join sys.columns as pc
            on pc.object_id = fkc.parent_object_id and pc.column_id = fkc.parent_column_id
        where fkc.constraint_object_id = fk.object_id
    ) as column_names,
    (
        select string_agg(rc.name, char(31)) within group (order by fkc.constraint_column_id)
        from sys.foreign_key_columns as fkc
        inner join sys.columns as rc
            on rc.object_id = fkc.referenced_object_id and rc.column_id = fkc.referenced_column_id
        where fkc.constraint_object_id = fk.object_id
    ) as referenced_column_names
from sys.foreign_keys as fk
where fk.referenced_object_id = object_id(N'{{ object_name }}')
    and fk.parent_object_id <> fk.referenced_object_id
order by table_schema, table_name, constraint_name
{%- endmacro %}

{#- Every table below `relation` in foreign keys (directly or through others), deepest first, and
    whether another table still references it (then it is emptied with delete, not truncate) -#}
{% macro sqlserver_referencing_closure_sql(relation) %}
  {%- set object_name = relation.include(database=False) | string | replace("'", "''") -%}
{{ get_use_database_sql(relation.database) }}
with references_to (object_id, depth) as (
    select fk.parent_object_id, 1
    from sys.foreign_keys as fk
    where fk.referenced_object_id = object_id(N'{{ object_name }}')
        and fk.parent_object_id <> fk.referenced_object_id
    union all
    select fk.parent_object_id, references_to.depth + 1
    from sys.foreign_keys as fk
    inner join references_to
        on fk.referenced_object_id = references_to.object_id
    where fk.parent_object_id <> fk.referenced_object_id
        and references_to.depth < 32
),
deepest as (
    select object_id, max(depth) as depth
    from references_to
    group by object_id
)
select
    object_schema_name(deepest.object_id) as table_schema,
    object_name(deepest.object_id) as table_name,
    deepest.depth,
    case
        when exists (
            select 1
            from sys.foreign_keys as other
            where other.referenced_object_id = deepest.object_id
                and other.parent_object_id <> other.referenced_object_id
        ) then 1
        else 0
    end as is_referenced
from deepest
order by deepest.depth desc, table_schema, table_name
{%- endmacro %}

{#- ALTER TABLE ... WITH CHECK ADD CONSTRAINT for a foreign key read by sqlserver__detach_referencing_tables -#}
{% macro sqlserver_add_foreign_key_sql(fk, relation) %}
  {%- set columns = [] -%}{%- for c in fk.columns -%}{%- do columns.append(adapter.quote(c)) -%}{%- endfor -%}
  {%- set to_columns = [] -%}{%- for c in fk.to_columns -%}{%- do to_columns.append(adapter.quote(c)) -%}{%- endfor -%}
alter table {{ fk.relation.include(database=False) }} with check
        add constraint {{ adapter.quote(fk.name) }} foreign key ({{ columns | join(', ') }})
        references {{ relation.include(database=False) }} ({{ to_columns | join(', ') }})
        on delete {{ fk.on_delete }} on update {{ fk.on_update }}{{ ' not for replication' if fk.not_for_replication }}
{%- endmacro %}

{#- The constraints with each foreign key's `to` (dbt renders database.schema.table) in two parts:
    SQL Server keeps foreign keys inside one database, where schema.table is always valid -#}
{% macro sqlserver_local_references(constraints, database) %}
  {%- set prefix = adapter.quote(database) ~ '.' -%}
  {%- set local = [] -%}
  {%- for constraint in constraints -%}
    {%- set copy = {} -%}
    {%- do copy.update(constraint) -%}
    {%- if copy.get('to') and (copy['to'] | string).startswith(prefix) -%}
      {%- do copy.update({'to': (copy['to'] | string)[prefix | length:]}) -%}
    {%- endif -%}
    {%- do local.append(copy) -%}
  {%- endfor -%}
  {{ return(local) }}
{% endmacro %}

{#- The model's named constraints ({name, clause} from adapter.render_raw_model_alter_constraints) -#}
{% macro sqlserver_add_named_constraints_sql(relation, named) %}
{{ get_use_database_sql(relation.database) }}
{%- for constraint in named %}
alter table {{ relation.include(database=False) }} {{ constraint.clause }};
{%- endfor %}
{%- endmacro %}

{#- Empty `tables` (deepest first): truncate where nothing references a table any more, delete
    where a foreign key still does (SQL Server refuses to truncate a referenced table) -#}
{% macro sqlserver_empty_tables_sql(relation, tables) %}
{{ get_use_database_sql(relation.database) }}
{%- for table in tables %}
{{ 'delete from' if table.is_referenced else 'truncate table' }} {{ adapter.quote(table.schema) }}.{{ adapter.quote(table.name) }};
{%- endfor %}
{%- endmacro %}
