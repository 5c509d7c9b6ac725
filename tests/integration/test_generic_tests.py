"""The project's generic tests pass on good rows and fail on exactly the bad ones.

`row_count_equals_expected` is exercised on every model by the other suites; the helper
generic tests (`sums_match`, `is_leaf_of_tree`, `expression_is_true`) are proven here on
probe models added to a copy of the built project: ephemeral models (nothing is created in
the database) that read the typed tables, once as built and once with one row spoiled.
"""

from __future__ import annotations

import shutil

import pytest
from dbt_harness import BuiltProject, Project

PROBES: dict[str, str] = {
    "probe_orders_good": """
        select order_id, subtotal_amount, discount_amount from {{ ref('orders') }}
    """,
    "probe_orders_bad": """
        select
            order_id,
            case when order_id = 1 then subtotal_amount + 0.01 else subtotal_amount end
                as subtotal_amount,
            case when order_id = 1 then discount_amount + 0.01 else discount_amount end
                as discount_amount
        from {{ ref('orders') }}
    """,
    "probe_product_good": """
        select product_id, category_id, unit_price, cost_price from {{ ref('product') }}
    """,
    "probe_product_bad": """
        select
            product_id,
            case
                when product_id = 1
                    then (select min(parent_category_id) from {{ ref('category') }})
                else category_id
            end as category_id,
            unit_price,
            case when product_id = 1 then unit_price else cost_price end as cost_price
        from {{ ref('product') }}
    """,
}

ORDERS_TESTS = """
  - name: {name}
    config: {{materialized: ephemeral, contract: {{enforced: false}}}}
    columns:
      - name: subtotal_amount
        data_tests:
          - sums_match:
              arguments:
                child_model: ref('order_item')
                key: order_id
                child_expression: "quantity * unit_price"
      - name: discount_amount
        data_tests:
          - sums_match:
              arguments:
                child_model: ref('order_item')
                key: order_id
                child_expression: discount_amount
"""

PRODUCT_TESTS = """
  - name: {name}
    config: {{materialized: ephemeral, contract: {{enforced: false}}}}
    data_tests:
      - expression_is_true:
          arguments:
            expression: "cost_price < unit_price"
    columns:
      - name: category_id
        data_tests:
          - is_leaf_of_tree:
              arguments:
                tree_model: ref('category')
                tree_key: category_id
                parent_column: parent_category_id
"""


@pytest.fixture(scope="module")
def probed(built_project: BuiltProject, tmp_path_factory: pytest.TempPathFactory) -> Project:
    assert built_project.first_build.success, built_project.first_build.summary()
    source = built_project.project
    path = tmp_path_factory.mktemp("probe") / "project"
    shutil.copytree(source.path, path, ignore=shutil.ignore_patterns("target", "logs"))
    probes = path / "models" / "probe"
    probes.mkdir()
    for name, sql in PROBES.items():
        (probes / f"{name}.sql").write_text(sql)
    models = "".join(ORDERS_TESTS.format(name=n) for n in PROBES if n.startswith("probe_orders"))
    models += "".join(PRODUCT_TESTS.format(name=n) for n in PROBES if n.startswith("probe_product"))
    (probes / "_probe__models.yml").write_text("version: 2\nmodels:\n" + models)
    return Project(path, source.target)


def test_generic_tests_pass_on_good_rows_and_fail_on_the_one_bad_row(probed: Project) -> None:
    run = probed.dbt("test", "--select", "path:models/probe")
    by_name = {r.name: r for r in run.results}
    assert len(by_name) == 8, run.summary()
    for name, result in by_name.items():
        if "_good" in name:
            assert result.status == "pass", run.summary()
        else:
            assert (result.status, result.failures) == ("fail", 1), run.summary()
