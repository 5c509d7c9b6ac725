{#-
  SQL Server publish, one transaction: staged tables move in whole, kept tables' keys re-added WITH
  CHECK (SQL Server 2017+; docs/dbt_layer.md, "Publish on each target").
-#}

{#- Foreign keys that tables outside `nodes` hold on the live tables of `nodes` -#}
{% macro sqlserver_foreign_keys_on(nodes) %}
  {% set fks = [] %}
  {% for node in nodes %}
    {% for row in run_query(ecom_synth.sqlserver_referencing_foreign_keys_sql(ecom_synth.live_relation_of(node)))
          if not ecom_synth.is_one_of(nodes, row['table_schema'], row['table_name']) %}
      {% set columns = [] %}{% for c in row['column_names'].split('\x1f') %}{% do columns.append(adapter.quote(c)) %}{% endfor %}
      {% set to_columns = [] %}{% for c in row['referenced_column_names'].split('\x1f') %}{% do to_columns.append(adapter.quote(c)) %}{% endfor %}
      {% do fks.append({
          'relation': api.Relation.create(database=node.database, schema=row['table_schema'], identifier=row['table_name'], type='table'),
          'name': row['constraint_name'],
          'columns': columns,
          'to_columns': to_columns,
          'on_delete': row['on_delete'],
          'on_update': row['on_update'],
          'not_for_replication': row['is_not_for_replication'] in (1, true),
          'parent': node,
      }) %}
    {% endfor %}
  {% endfor %}
  {{ return(fks) }}
{% endmacro %}

{% macro sqlserver__orphans_of_unbuilt_tables(nodes) %}
  {{ return(ecom_synth.orphan_messages(ecom_synth.sqlserver_foreign_keys_on(nodes))) }}
{% endmacro %}

{% macro sqlserver__publish_tables(nodes) %}
  {% set fks = ecom_synth.sqlserver_foreign_keys_on(nodes) %}
  {% call statement('publish') -%}
    {{ ecom_synth.sqlserver_publish_sql(nodes, fks) }}
  {%- endcall %}
  {{ adapter.commit() }}
{% endmacro %}

{% macro sqlserver_publish_sql(nodes, fks) %}
{{ get_use_database_sql(nodes[0].database) }}
{%- for fk in fks %}
alter table {{ fk.relation.include(database=False) }} drop constraint {{ adapter.quote(fk.name) }};
{%- endfor %}
{%- for node in nodes | reverse %}
{%- set live = ecom_synth.live_relation_of(node).include(database=False) %}
if object_id(N'{{ live | string | replace("'", "''") }}', N'U') is not null drop table {{ live }};
{%- endfor %}
{%- for node in nodes %}
alter schema {{ adapter.quote(node.schema) }} transfer {{ ecom_synth.staged_relation_of(node).include(database=False) }};
{%- endfor %}
{%- for fk in fks %}
{{ ecom_synth.sqlserver_add_foreign_key_sql(fk, ecom_synth.live_relation_of(fk.parent)) }};
{%- endfor %}
{%- endmacro %}

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

{#- ALTER TABLE ... WITH CHECK ADD CONSTRAINT for a key read by sqlserver_foreign_keys_on (columns quoted) -#}
{% macro sqlserver_add_foreign_key_sql(fk, relation) %}
alter table {{ fk.relation.include(database=False) }} with check
        add constraint {{ adapter.quote(fk.name) }} foreign key ({{ fk.columns | join(', ') }})
        references {{ relation.include(database=False) }} ({{ fk.to_columns | join(', ') }})
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

{#- Drop every foreign key held by a table of schema `relation.schema` (one batch) -#}
{% macro sqlserver_release_foreign_keys_sql(relation) %}
{{ get_use_database_sql(relation.database) }}
declare @ecom_sql nvarchar(max) = N'';
select @ecom_sql = @ecom_sql + N'alter table ' + quotename(schema_name(t.schema_id)) + N'.'
    + quotename(t.name) + N' drop constraint ' + quotename(fk.name) + N'; '
from sys.foreign_keys as fk
inner join sys.tables as t on t.object_id = fk.parent_object_id
where t.schema_id = schema_id(N'{{ relation.schema | replace("'", "''") }}');
exec sp_executesql @ecom_sql;
{%- endmacro %}
