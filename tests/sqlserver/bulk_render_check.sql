{#- Written into a temp copy of the project by tests/sqlserver/test_sqlserver_bulk_insert.py:
    renders, at compile time (no connection), the SQL Server seed load that BULK INSERTs the
    data files (macros/seeds/sqlserver_bulk_insert.sql) for every generated seed, as JSON. -#}
{%- if execute -%}
{%- set seeds = {} -%}
{%- for node in graph.nodes.values() if node.resource_type == 'seed' and node.package_name == 'ecom_synth'
      and node.name in ecom_synth.generated_seed_names() -%}
  {%- set expected = ecom_synth.seed_manifest_entry(node) -%}
  {%- set files = ecom_synth.seed_data_files(node, expected) -%}
  {%- set relation = ecom_synth.loader_relations(node)['side'] -%}
  {%- set plan = ecom_synth.sqlserver_bulk_plan(node, relation, files, node.config.column_types, node.config.quote_columns) -%}
  {%- set loads = [] -%}
  {%- for load in plan['loads'] -%}
    {%- do loads.append({'label': load['file']['label'], 'rows': load['file']['rows'], 'server_path': load['server_path'], 'sql': load['sql']}) -%}
  {%- endfor -%}
  {%- do seeds.update({node.name: {
      'side': relation.render(), 'staging': plan['staging'].render(), 'stub': expected['stub'],
      'loads': loads, 'create': plan['create'], 'check': plan['check'], 'move': plan['move'],
      'header': ecom_synth.sqlserver_bulk_header_sql(plan['loads'][0]['server_path']),
      'checked': plan['checked'] | map(attribute='name') | list,
      'columns': plan['columns'],
  }}) -%}
{%- endfor -%}
{{ tojson({'data_path': ecom_synth.sqlserver_data_path(), 'seeds': seeds}) }}
{%- endif -%}
