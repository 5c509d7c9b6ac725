{#-
    Rule 1, referential integrity: every foreign key of the typed tables points at an existing
    row. The databases enforce these keys too (contract constraints) and each key has its own
    `relationships` test; this one test sweeps the whole schema at once so that a single
    failure names every broken reference together.

    The references are the contracts' foreign keys of the models in models/oltp/, read from the
    graph when the test compiles, plus category's reference to itself, which is no contract
    constraint but a post-hook (see the category model) and is read from that hook.

    Failing rows: one per (reference, missing key value), with the number of orphan rows.
-#}
{%- set references = [] -%}
{%- if execute -%}
  {%- set oltp_models = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and node.package_name == 'ecom_synth' and 'oltp' in node.fqn[1:-1] -%}
    {%- do oltp_models.append(node) -%}
  {%- endfor -%}
  {%- set model_by_relation = {} -%}
  {%- for node in oltp_models -%}
    {%- do model_by_relation.update({(node.relation_name or '') | lower: node.name}) -%}
  {%- endfor -%}
  {%- for node in oltp_models -%}
    {%- for constraint in ecom_synth.model_constraints(node) if constraint.type == 'foreign_key' -%}
      {#- `to` is `ref('x')` as written in the YAML, or the relation once dbt has rendered it -#}
      {%- set to = (constraint.to or '') | string -%}
      {%- set ref_args = modules.re.findall("['\"]([^'\"]+)['\"]", to) if to.strip().startswith('ref(') else [] -%}
      {%- set parent = ref_args[-1] if ref_args else model_by_relation.get(to | lower) -%}
      {%- if parent is none or (constraint.columns | length) != 1 or (constraint.to_columns | length) != 1 -%}
        {{ exceptions.raise_compiler_error("rule 1 cannot sweep the foreign key " ~ constraint.name ~ " of "
            ~ node.name ~ ": it checks one-column keys to a model of models/oltp/, not `to: " ~ to ~ "`") }}
      {%- endif -%}
      {%- do references.append((node.name, constraint.columns[0], parent, constraint.to_columns[0])) -%}
    {%- endfor -%}
    {%- for hook in node.config.get('post-hook', []) if 'add_self_referencing_foreign_key' in hook.sql -%}
      {%- set hook_args = modules.re.findall("['\"]([^'\"]+)['\"]", hook.sql.split('add_self_referencing_foreign_key', 1)[1].split(')', 1)[0]) -%}
      {%- if hook_args | length != 3 -%}
        {{ exceptions.raise_compiler_error("rule 1 cannot read the self-reference of " ~ node.name
            ~ " from its post-hook: expected (name, column, to_column) as quoted strings in " ~ hook.sql) }}
      {%- endif -%}
      {%- do references.append((node.name, hook_args[1], node.name, hook_args[2])) -%}
    {%- endfor -%}
  {%- endfor -%}
{%- endif -%}
{%- set references = references | sort -%}
{#- dbt accepts only the refs it saw at parse, when the graph is empty: there, one ref per table of the schema (macros/schema.sql) -#}
{%- set tables = [] -%}
{%- if execute -%}
  {%- for child, fk, parent, pk in references -%}
    {%- do tables.extend([child, parent]) -%}
  {%- endfor -%}
{%- else -%}
  {%- do tables.extend(ecom_synth.schema_columns().keys()) -%}
{%- endif -%}

with

{% for table in tables | unique | sort %}
{{ table }} as (

    select * from {{ ref(table) }}

),

{% endfor %}
orphans as (

    {% for child, fk, parent, pk in references %}
    select
        '{{ child }}.{{ fk }} -> {{ parent }}.{{ pk }}' as broken_reference,
        child_rows.{{ fk }} as missing_key,
        count(*) as orphan_rows
    from {{ child }} as child_rows
    where child_rows.{{ fk }} is not null
        and not exists (
            select 1
            from {{ parent }} as parent_rows
            where parent_rows.{{ pk }} = child_rows.{{ fk }}
        )
    group by child_rows.{{ fk }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from orphans
