{#-
  The run-level half of stage, test, publish (staging.sql has the design): on-run-start empties
  the staging schemas, on-run-end publishes the staged tables together or not at all.
-#}

{#- on-run-start: an empty staging schema beside each schema this run builds tables in -#}
{% macro prepare_staging() %}
  {% do ecom_synth.drop_staging_schemas() %}
  {% for relation in ecom_synth.staging_schemas() %}
    {% do adapter.create_schema(relation) %}
  {% endfor %}
  {% do ecom_synth.prepare_build_state() %}
  {% do ecom_synth.announce_build_mode() %}
  {{ return('') }}
{% endmacro %}

{#- The staging schemas of this run, as relations without identifier -#}
{% macro staging_schemas() %}
  {% set seen = [] %}
  {% set schemas = [] %}
  {% for node in ecom_synth.staged_nodes() %}
    {% set key = node.database ~ '.' ~ node.schema %}
    {% if key not in seen %}
      {% do seen.append(key) %}
      {% do schemas.append(api.Relation.create(database=node.database, schema=ecom_synth.staging_schema(node.schema))) %}
    {% endif %}
  {% endfor %}
  {{ return(schemas) }}
{% endmacro %}

{% macro drop_staging_schemas() %}
  {% for relation in ecom_synth.staging_schemas() %}
    {% do adapter.dispatch('release_staged_foreign_keys', 'ecom_synth')(relation) %}
    {% do adapter.drop_schema(relation) %}
  {% endfor %}
{% endmacro %}

{#- DuckDB, PostgreSQL and MySQL drop a schema with every key in it -#}
{% macro default__release_staged_foreign_keys(relation) %}
{% endmacro %}

{#- SQL Server drops a schema's tables one by one and refuses a table another references
    (Msg 3726): the staged tables' keys go first -#}
{% macro sqlserver__release_staged_foreign_keys(relation) %}
  {% call statement('release_staged_foreign_keys') -%}
    {{ ecom_synth.sqlserver_release_foreign_keys_sql(relation) }}
  {%- endcall %}
{% endmacro %}

{#-
  on-run-end: publish every staged table of this run, or none. None when any node of the run
  failed, errored or was skipped, or when a staged model has no successful result (an
  interrupted run): then the live tables are exactly as before the run.
-#}
{% macro publish_staged_tables(results) %}
  {% set nodes = ecom_synth.staged_nodes() %}
  {% if not nodes %}
    {{ return('') }}
  {% endif %}

  {% set built = {} %}
  {% set failed = [] %}
  {% set skipped = [] %}
  {% for result in results %}
    {% set status = result.status | string %}
    {% if status == 'success' %}
      {% do built.update({result.node.unique_id: result.node}) %}
    {% elif status == 'skipped' %}
      {% do skipped.append(result.node.name) %}
    {% elif status in ('error', 'fail', 'runtime error') %}
      {% do failed.append(result.node.name ~ ' (' ~ status ~ ')') %}
    {% endif %}
  {% endfor %}
  {% set missing = [] %}
  {% for node in nodes if node.unique_id not in built and node.name not in skipped
        and (node.name ~ ' (error)') not in failed %}
    {% do missing.append(node.name) %}
  {% endfor %}
  {% if failed or skipped or missing %}
    {% set reasons = [] %}
    {% if failed %}{% do reasons.append(failed | join(', ')) %}{% endif %}
    {% if skipped %}{% do reasons.append(skipped | length ~ ' skipped') %}{% endif %}
    {% if missing %}{% do reasons.append('not built: ' ~ missing | join(', ')) %}{% endif %}
    {{ log('ecom_synth: nothing was published, the live tables are as before this run ('
           ~ reasons | join('; ') ~ ')', info=True) }}
    {% do ecom_synth.drop_staging_schemas() %}
    {{ return('') }}
  {% endif %}

  {#- compiled nodes: their foreign keys name the live parents -#}
  {% set compiled = [] %}
  {% for node in nodes %}
    {% do compiled.append(built[node.unique_id].to_dict(omit_none=True)) %}
  {% endfor %}

  {#- in place (incremental.sql): every delta merged and the state recorded in one transaction -#}
  {% set mode = ecom_synth.build_mode() %}
  {% if mode.incremental %}
    {% set changes = ecom_synth.staged_changes(compiled, true) %}
    {% do ecom_synth.publish_deltas(compiled, mode, changes) %}
    {{ log('ecom_synth: merged as of ' ~ mode.dataset.as_of ~ ' (rows +inserted ~updated): '
        ~ ecom_synth.log_changes(compiled, changes), info=True) }}
    {% do ecom_synth.drop_staging_schemas() %}
    {{ return('') }}
  {% endif %}

  {% set orphans = adapter.dispatch('orphans_of_unbuilt_tables', 'ecom_synth')(compiled) %}
  {% if orphans %}
    {% do ecom_synth.drop_staging_schemas() %}
    {% do exceptions.raise_compiler_error(
        'ecom_synth: nothing was published, the live tables are as before this run: '
        ~ orphans | join('; ') ~ '. Build tables that reference each other together, e.g. `dbt build -s '
        ~ compiled[0].name ~ '+`.') %}
  {% endif %}

  {% set changes = ecom_synth.staged_changes(compiled, false) %}
  {% do ecom_synth.forget_build_state(compiled, mode) %}
  {% do adapter.dispatch('publish_tables', 'ecom_synth')(compiled) %}
  {% do ecom_synth.record_full_build(compiled, mode, changes) %}
  {{ log('ecom_synth: published ' ~ compiled | map(attribute='name') | join(', '), info=True) }}
  {% do ecom_synth.drop_staging_schemas() %}
  {{ return('') }}
{% endmacro %}


{#- ---------------------------------------------------------------- shared helpers -#}

{#- Is `schema`.`table` (catalog spelling) one of the nodes? -#}
{% macro is_one_of(nodes, schema, table) %}
  {{ return(ecom_synth.node_named(nodes, schema, table) is not none) }}
{% endmacro %}

{#- The node of `nodes` that builds `schema`.`table`, or none -#}
{% macro node_named(nodes, schema, table) %}
  {% for node in nodes if (node.schema | lower) == (schema | lower) and (node.alias | lower) == (table | lower) %}
    {{ return(node) }}
  {% endfor %}
  {{ return(none) }}
{% endmacro %}

{#- Every model of the graph by its relation name (the spelling of a compiled key's `to`) -#}
{% macro models_by_relation_name() %}
  {% set models = {} %}
  {% for node in graph.nodes.values() if node.resource_type == 'model' %}
    {% do models.update({node.relation_name: node}) %}
  {% endfor %}
  {{ return(models) }}
{% endmacro %}

{#- SQL: rows of `from_relation` whose non-null key `columns` has no match in `to_relation` -#}
{% macro orphan_count_sql(from_relation, columns, to_relation, to_columns) %}
  select count(*) as orphans
  from {{ from_relation }} as kept
  where
    {%- for column in columns %}
    kept.{{ column }} is not null and
    {%- endfor %}
    not exists (
      select 1
      from {{ to_relation }} as referenced
      where
        {%- for column in columns %}
        referenced.{{ to_columns[loop.index0] }} = kept.{{ column }}{{ ' and' if not loop.last }}
        {%- endfor %}
    )
{% endmacro %}

{#- One message per foreign key of a table this run does not rebuild that the new parent would
    break. `foreign_keys`: {relation, name, columns, to_columns (quoted), parent (a node)}. -#}
{% macro orphan_messages(foreign_keys) %}
  {% set messages = [] %}
  {% for fk in foreign_keys %}
    {% set to_relation = ecom_synth.staged_relation_of(fk.parent) %}
    {% set count = run_query(ecom_synth.orphan_count_sql(fk.relation, fk.columns, to_relation, fk.to_columns)).columns[0].values()[0] %}
    {% if count > 0 %}
      {% do messages.append(fk.relation.identifier ~ ' has ' ~ count ~ (' row' if count == 1 else ' rows') ~ ' whose '
          ~ fk.columns | join(', ') | replace('"', '') | replace('`', '') ~ ' the new ' ~ fk.parent.alias ~ ' lacks') %}
    {% endif %}
  {% endfor %}
  {{ return(messages) }}
{% endmacro %}
