{% macro mysql__get_catalog(information_schema, schemas) -%}
  {% set query %}
    select
      null as table_database,
      t.table_schema as table_schema,
      t.table_name as table_name,
      case when t.table_type = 'VIEW' then 'view' else 'table' end as table_type,
      case when t.table_type = 'VIEW' then null else nullif(t.table_comment, '') end as table_comment,
      null as table_owner,
      c.column_name as column_name,
      c.ordinal_position as column_index,
      -- integer display widths (MariaDB's bigint(20)) say nothing about the type
      case when c.data_type in ('tinyint', 'smallint', 'mediumint', 'int', 'bigint')
             and c.column_type not like '%(1)%'
           then c.data_type else c.column_type end as column_type,
      nullif(c.column_comment, '') as column_comment
    from information_schema.tables as t
    join information_schema.columns as c
      on c.table_schema = t.table_schema
     and c.table_name = t.table_name
    where t.table_schema in (
      {%- for schema in schemas -%}
        '{{ schema }}'{% if not loop.last %}, {% endif %}
      {%- endfor -%}
    )
    order by t.table_schema, t.table_name, c.ordinal_position
  {% endset %}
  {{ return(run_query(query)) }}
{%- endmacro %}
