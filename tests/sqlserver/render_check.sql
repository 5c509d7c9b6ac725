{#- Written into a temp copy of the project by tests/sqlserver: renders the project's macros for
    the sqlserver target at compile time (no connection) and prints what they return as JSON. -#}
{%- if execute -%}
{%- set orders = api.Relation.create(database=target.database, schema=target.schema, identifier='orders', type='table') -%}
{%- set order_item = api.Relation.create(database=target.database, schema=target.schema, identifier='order_item', type='table') -%}
{%- set out = {} -%}

{%- do out.update({'dispatch': {
    'column_type_int': ecom_synth.column_type('int'),
    'column_type_bigint': ecom_synth.column_type('bigint'),
    'column_type_text_100': ecom_synth.column_type('text', 100),
    'column_type_decimal': ecom_synth.column_type('decimal'),
    'column_type_rating': ecom_synth.column_type('rating'),
    'column_type_date': ecom_synth.column_type('date'),
    'column_type_timestamp': ecom_synth.column_type('timestamp'),
    'column_type_boolean': ecom_synth.column_type('boolean'),
    'with_recursive': ecom_synth.with_recursive() | trim,
    'fast_seeds_supported': ecom_synth.fast_seeds_supported(),
    'seed_sample_sql': ecom_synth.seed_sample_sql(order_item),
    'add_self_referencing_foreign_key': ecom_synth.add_self_referencing_foreign_key('category_parent_category_id_fkey', 'parent_category_id', 'category_id') | trim,
}}) -%}

{#- every declared seed column type, as the sqlserver seed table gets it -#}
{%- set seed_types = {} -%}
{%- for node in graph.nodes.values() if node.resource_type == 'seed' and node.package_name == 'ecom_synth' -%}
  {%- set mapped = {} -%}
  {%- for name, type in (node.config.column_types or {}).items() -%}
    {%- do mapped.update({name: [type, ecom_synth.seed_column_type(type)]}) -%}
  {%- endfor -%}
  {%- do seed_types.update({node.name: mapped}) -%}
{%- endfor -%}
{%- do out.update({'seed_types': seed_types}) -%}

{%- set batch_rows = {} -%}
{%- for columns in range(1, 41) -%}
  {%- do batch_rows.update({columns: ecom_synth.sqlserver_seed_batch_rows(columns)}) -%}
{%- endfor -%}
{%- do out.update({'batch_rows': batch_rows}) -%}
{%- do out.update({'seed_insert': ecom_synth.sqlserver_seed_insert(order_item, '"a", "b", "c"', [['1', none, 'x'], [none, '2', 'y']])}) -%}

{#- the staged build and its publish -#}
{%- set staged = ecom_synth.in_dependency_order(graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
      | selectattr('package_name', 'equalto', 'ecom_synth') | list) -%}
{%- set fk = {'relation': order_item, 'name': 'order_item_order_id_fkey', 'columns': ['"order_id"'],
              'to_columns': ['"order_id"'], 'on_delete': 'NO ACTION', 'on_update': 'CASCADE', 'not_for_replication': false,
              'parent': staged | selectattr('name', 'equalto', 'orders') | first} -%}
{%- set models = {} -%}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'ecom_synth' -%}
  {%- set relation = api.Relation.create(database=target.database, schema=target.schema, identifier=node.alias or node.name, type='table') -%}
  {%- set constraints = [] -%}
  {%- for constraint in ecom_synth.model_constraints(node) -%}
    {%- set copy = {} -%}
    {%- do copy.update(constraint) -%}
    {%- if copy.get('to') -%}
      {#- what dbt hands the materialization: the rendered relation, database included -#}
      {%- set parent = copy['to'] | replace("ref('", '') | replace("')", '') -%}
      {%- do copy.update({'to': api.Relation.create(database=target.database, schema=target.schema, identifier=parent, type='table') | string}) -%}
    {%- endif -%}
    {%- do constraints.append(copy) -%}
  {%- endfor -%}
  {%- set table_body = adapter.render_raw_columns_constraints(raw_columns=ecom_synth.inline_columns(node))
        + adapter.render_raw_model_constraints(raw_constraints=constraints) -%}
  {%- do models.update({node.name: {
      'create_table': 'create table ' ~ relation.include(database=False) ~ ' (\n    ' ~ table_body | join(',\n    ') ~ '\n)',
      'named_constraints': ecom_synth.sqlserver_add_named_constraints_sql(relation,
          adapter.render_raw_model_alter_constraints(raw_constraints=ecom_synth.sqlserver_local_references(constraints, target.database))),
      'foreign_key_indexes': ecom_synth.sqlserver_foreign_key_indexes_sql(relation, constraints),
  }}) -%}
{%- endfor -%}
{%- do out.update({'rebuild': {
    'referencing_foreign_keys': ecom_synth.sqlserver_referencing_foreign_keys_sql(orders),
    'add_foreign_key': ecom_synth.sqlserver_add_foreign_key_sql(fk, orders),
    'publish': ecom_synth.sqlserver_publish_sql(staged, [fk]),
    'release_staged_foreign_keys': ecom_synth.sqlserver_release_foreign_keys_sql(
        api.Relation.create(database=target.database, schema=ecom_synth.staging_schema(target.schema))),
    'publish_order': staged | map(attribute='name') | list,
    'orphan_count': ecom_synth.orphan_count_sql(order_item, ['"order_id"'], orders, ['"order_id"']),
    'models': models,
}}) -%}
{#- the in-place build: merge of a delta, the view tests read, the state record -#}
{%- set by_name = {} -%}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'ecom_synth' -%}
  {%- do by_name.update({node.name: node}) -%}
{%- endfor -%}
{%- set orders_columns = [] -%}
{%- for name in by_name['orders'].columns %}{% do orders_columns.append(adapter.quote(name)) %}{% endfor -%}
{%- do out.update({'in_place': {
    'merge_orders': ecom_synth.merge_delta_sql(by_name['orders']),
    'merge_customer': ecom_synth.merge_delta_sql(by_name['customer']),
    'published_view_orders': ecom_synth.published_view_sql(by_name['orders'], orders,
        ecom_synth.delta_relation_of(by_name['orders']), orders_columns),
    'record_state': ecom_synth.record_build_state_sql([by_name['orders']], [by_name['customer']],
        {'world': 'a' * 64, 'as_of': '2025-12-31 23:59:59'}, 'incremental', {by_name['orders'].unique_id: {'inserted': 3, 'updated': 4}}),
}}) -%}
{%- do out.update({'target': {'type': target.type, 'database': target.database, 'schema': target.schema}}) -%}
{{ tojson(out) }}
{%- endif -%}
