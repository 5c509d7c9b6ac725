{#-
  Stage, test, publish: the staging schema, ref() to staged tables, and the all-or-nothing publish
  at on-run-end (docs/dbt_layer.md, "Stage, test, publish").
-#}

{#- The schema a run stages its new tables in, beside `schema` -#}
{% macro staging_schema(schema) %}
  {{ return(schema ~ '__ecom_next') }}
{% endmacro %}

{#- True when this command builds models (materializations run only there) -#}
{% macro is_building_command() %}
  {{ return(flags.WHICH in ('run', 'build', 'retry')) }}
{% endmacro %}

{#- True when `node` is a model that this run stages: a selected `table` or `incremental` model
    of this project -#}
{% macro is_staged_node(node) %}
  {{ return(
      node.resource_type == 'model'
      and node.package_name == project_name
      and node.config.materialized in ('table', 'incremental')
      and node.unique_id in selected_resources
      and ecom_synth.is_building_command()) }}
{% endmacro %}

{#- The project's staged models of this run, in graph order: parents before children -#}
{% macro staged_nodes() %}
  {% set nodes = [] %}
  {% if execute and ecom_synth.is_building_command() %}
    {% for node in graph.nodes.values() if ecom_synth.is_staged_node(node) %}
      {% do nodes.append(node) %}
    {% endfor %}
  {% endif %}
  {{ return(ecom_synth.in_dependency_order(nodes)) }}
{% endmacro %}

{#- `nodes` sorted so that every node comes after the nodes it depends on -#}
{% macro in_dependency_order(nodes) %}
  {% set ids = nodes | map(attribute='unique_id') | list %}
  {% set ordered = [] %}
  {% set placed = [] %}
  {% for _ in nodes %}
    {% for node in nodes if node.unique_id not in placed %}
      {% set ns = namespace(ready=true) %}
      {% for parent in node.depends_on.nodes if parent in ids and parent not in placed and parent != node.unique_id %}
        {% set ns.ready = false %}
      {% endfor %}
      {% if ns.ready %}
        {% do ordered.append(node) %}
        {% do placed.append(node.unique_id) %}
      {% endif %}
    {% endfor %}
  {% endfor %}
  {{ return(ordered) }}
{% endmacro %}

{#- The live relation of a model node -#}
{% macro live_relation_of(node) %}
  {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias, type='table')) }}
{% endmacro %}

{#- The staged relation of a model node -#}
{% macro staged_relation_of(node) %}
  {{ return(api.Relation.create(database=node.database, schema=ecom_synth.staging_schema(node.schema), identifier=node.alias, type='table')) }}
{% endmacro %}

{#- The table the running model writes: its staged relation when staged, else `this`.
    Hooks use it where they would say `this` (foreign key indexes, the self-referencing key). -#}
{% macro building_relation() %}
  {% if ecom_synth.is_staged_node(model) %}
    {{ return(this.incorporate(path={'schema': ecom_synth.staging_schema(this.schema)})) }}
  {% endif %}
  {{ return(this) }}
{% endmacro %}

{#- `relation` (a live model table) as the running node should read it: staged when this run
    stages that model, and the reader is itself staged, a test or a snapshot of this run (a
    snapshot in `dbt build` records what the run publishes). -#}
{% macro as_read_in_this_run(relation) %}
  {% if not execute or relation is string or relation.identifier is not defined
        or not ecom_synth.is_building_command()
        or model.resource_type not in ('model', 'test', 'snapshot')
        or (model.resource_type == 'model' and not ecom_synth.is_staged_node(model)) %}
    {{ return(relation) }}
  {% endif %}
  {% for node in graph.nodes.values() if ecom_synth.is_staged_node(node)
        and (node.alias | lower) == (relation.identifier | lower)
        and (node.schema | lower) == (relation.schema | lower) %}
    {{ return(relation.incorporate(path={'schema': ecom_synth.staging_schema(relation.schema)})) }}
  {% endfor %}
  {{ return(relation) }}
{% endmacro %}

{#- Every ref() of the project goes through dbt's own (which records the dependency), then reads
    the staged table where this run stages it (see the top of this file). -#}
{% macro ref() %}
  {% set relation = builtins.ref(*varargs, **kwargs) %}
  {{ return(ecom_synth.as_read_in_this_run(relation)) }}
{% endmacro %}
