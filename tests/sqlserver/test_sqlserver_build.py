"""`dbt build --target sqlserver` against a real SQL Server, when one answers.

Skipped (with the reason) when nothing listens at DBT_MSSQL_SERVER:DBT_MSSQL_PORT (default
127.0.0.1:1433), which is the case in CI here. On a workstation:

    docker compose up -d --wait sqlserver
    .venv/bin/python -m pytest tests/sqlserver

It builds a small dataset (--scale 0.01) twice and then rebuilds `orders` alone, which proves
what compile checks cannot: SQL Server accepts the seeds, the contracts, the constraints, every
data test, and the project's table materialization replaces tables that others reference
while keeping their foreign keys (trusted). Everything lives in two schemas of its own,
dropped at the end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from scripts.db_targets import mssql_native_provider, sqlserver, sqlserver_unreachable_reason

from .conftest import SqlServerProject, make_project

# Run-operation helpers, written into the temp copy of the project only.
TEST_MACROS = """
{% macro sqlserver_test_foreign_keys(table) %}
  {% set sql %}
    select
        fk.name,
        cast(fk.is_not_trusted as int) as not_trusted,
        cast(fk.is_disabled as int) as disabled
    from sys.foreign_keys as fk
    where fk.parent_object_id = object_id(N'{{ target.schema }}.{{ table }}')
    order by fk.name
  {% endset %}
  {% for row in run_query(sql) %}
    {{ log('FOREIGN_KEY ' ~ row[0] ~ ' not_trusted=' ~ row[1] ~ ' disabled=' ~ row[2], info=true) }}
  {% endfor %}
{% endmacro %}

{% macro sqlserver_test_drop_schemas(schemas) %}
  {% for schema in schemas %}
    {% set sql %}
      declare @sql nvarchar(max) = N'';
      select @sql = @sql + N'alter table ' + quotename(schema_name(t.schema_id)) + N'.'
          + quotename(t.name) + N' drop constraint ' + quotename(fk.name) + N'; '
      from sys.foreign_keys as fk
      inner join sys.tables as t on t.object_id = fk.parent_object_id
      where schema_name(t.schema_id) = N'{{ schema }}';
      select @sql = @sql + N'drop view ' + quotename(schema_name(schema_id)) + N'.'
          + quotename(name) + N'; '
      from sys.views where schema_name(schema_id) = N'{{ schema }}';
      select @sql = @sql + N'drop table ' + quotename(schema_name(schema_id)) + N'.'
          + quotename(name) + N'; '
      from sys.tables where schema_name(schema_id) = N'{{ schema }}';
      exec sp_executesql @sql;
      if schema_id(N'{{ schema }}') is not null exec (N'drop schema ' + N'[{{ schema }}]');
    {% endset %}
    {% do run_query(sql) %}
  {% endfor %}
{% endmacro %}
"""


@pytest.fixture(scope="module")
def server_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlServerProject]:
    reason = sqlserver_unreachable_reason()
    if reason:
        pytest.skip(reason)
    settings = sqlserver()
    server_env = {k: v for k, v in os.environ.items() if k.startswith("DBT_MSSQL_")}
    server_env.update({"DBT_MSSQL_SERVER": str(settings["server"]),
                       "DBT_MSSQL_PORT": str(settings["port"]), **mssql_native_provider()})
    project = make_project(
        tmp_path_factory.mktemp("sqlserver-build"), {},
        macros={"sqlserver_test_operations.sql": TEST_MACROS}, server_env=server_env,
    )
    schema = project.env["DBT_SCHEMA"]
    try:
        yield project
    finally:
        project.dbt(
            "run-operation", "sqlserver_test_drop_schemas",
            "--args", f"{{schemas: [{schema}_raw, {schema}]}}",
        )


def foreign_keys(project: SqlServerProject, table: str) -> dict[str, str]:
    run = project.dbt(
        "run-operation", "sqlserver_test_foreign_keys", "--args", f"{{table: {table}}}"
    )
    run.assert_ok()
    return dict(re.findall(r"FOREIGN_KEY (\S+) (not_trusted=\d+ disabled=\d+)", run.output))


def test_build_rebuild_and_replace_a_referenced_table(server_project: SqlServerProject) -> None:
    first = server_project.dbt("build").assert_ok()
    assert "ERROR=0" in first.output
    expected = {
        "order_item_order_id_fkey": "not_trusted=0 disabled=0",
        "order_item_product_id_fkey": "not_trusted=0 disabled=0",
        "order_item_promotion_id_fkey": "not_trusted=0 disabled=0",
    }
    assert foreign_keys(server_project, "order_item") == expected

    # again: every referenced table is replaced while order_item & co. hold keys on it
    server_project.dbt("build").assert_ok()
    assert foreign_keys(server_project, "order_item") == expected

    # orders alone: order_item keeps its rows and its (re-checked) key on the new orders
    server_project.dbt("run", "-s", "orders").assert_ok()
    assert foreign_keys(server_project, "order_item") == expected
    server_project.dbt("test", "-s", "order_item").assert_ok()
