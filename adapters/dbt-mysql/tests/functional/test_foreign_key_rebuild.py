"""Tables that other tables reference through enforced foreign keys can be rebuilt:
`dbt build` twice and `--full-refresh` keep every foreign key attached and enforced."""

import pytest
from dbt.tests.util import run_dbt

customer_sql = "select 1 as customer_id, 'Zoë' as name union all select 2, '東京'"
orders_sql = "select 10 as order_id, 1 as customer_id union all select 20, 2"
order_item_sql = """
{{ config(materialized='incremental', unique_key='order_item_id',
          incremental_strategy='merge', on_schema_change='fail') }}
select 100 as order_item_id, 10 as order_id union all select 200, 20
"""

schema_yml = """
models:
  - name: customer
    config: {contract: {enforced: true}}
    columns:
      - name: customer_id
        data_type: int
        constraints: [{type: not_null}, {type: primary_key}]
      - name: name
        data_type: varchar(100)
        constraints: [{type: unique}]
  - name: orders
    config: {contract: {enforced: true}}
    columns:
      - name: order_id
        data_type: bigint
        constraints: [{type: primary_key}]
      - name: customer_id
        data_type: int
        constraints:
          - type: foreign_key
            name: fk_orders_customer
            to: ref('customer')
            to_columns: [customer_id]
  - name: order_item
    config: {contract: {enforced: true}}
    columns:
      - name: order_item_id
        data_type: bigint
        constraints: [{type: primary_key}]
      - name: order_id
        data_type: bigint
        constraints:
          - type: foreign_key
            to: ref('orders')
            to_columns: [order_id]
"""


class TestForeignKeyRebuild:
    @pytest.fixture(scope="class")
    def models(self):
        return {
            "customer.sql": customer_sql,
            "orders.sql": orders_sql,
            "order_item.sql": order_item_sql,
            "schema.yml": schema_yml,
        }

    @pytest.fixture(scope="class")
    def project_config_update(self):
        return {"models": {"+materialized": "table"}}

    def _foreign_keys(self, project):
        rows = project.run_sql(
            "select table_name, referenced_table_name "
            "from information_schema.referential_constraints "
            f"where constraint_schema = '{project.test_schema}' order by table_name",
            fetch="all",
        )
        return sorted(tuple(r) for r in rows)

    def _assert_enforced(self, project):
        with pytest.raises(Exception, match="foreign key constraint fails"):
            project.run_sql(f"insert into {project.test_schema}.orders values (99, 42)")
        with pytest.raises(Exception, match="foreign key constraint fails"):
            project.run_sql(f"insert into {project.test_schema}.order_item values (999, 42)")

    def test_build_twice_and_full_refresh_keep_foreign_keys(self, project):
        expected = [("order_item", "orders"), ("orders", "customer")]
        for args in (["build"], ["build"], ["build", "--full-refresh"], ["run", "-s", "customer"]):
            results = run_dbt(args)
            assert all(r.status in ("success", "pass") for r in results)
            assert self._foreign_keys(project) == expected
            self._assert_enforced(project)
        leftovers = project.run_sql(
            "select table_name from information_schema.tables "
            f"where table_schema = '{project.test_schema}' and table_name like '%%dbt%%'",
            fetch="all",
        )
        assert list(leftovers) == []
