"""A clean dataset builds and passes every test; reruns of every kind succeed.

Runs the real generator output through real dbt on each target (duckdb, postgres, mysql,
sqlserver; a server target is skipped when its server does not answer, see conftest.py).
"""

from __future__ import annotations

from dbt_harness import TABLES, BuiltProject

RULE_TESTS = {
    "rule_1_foreign_keys_have_no_orphans",
    "rule_2_category_tree_is_consistent",
    "rule_3_line_price_equals_product_price",
    "rule_4_promotions_are_eligible_best_and_exact",
    "rule_5_order_sums_match_lines_to_the_cent",
    "rule_6_timestamps_follow_life_cycle",
    "rule_7_stock_is_received_minus_sold",
    "rule_8_orders_have_distinct_lines_with_spread",
}


def test_clean_build_passes_every_seed_model_and_test(built_project: BuiltProject) -> None:
    run = built_project.first_build
    assert run.success, run.summary()
    statuses = {r.status for r in run.results}
    assert statuses <= {"success", "pass"}, run.summary()

    seeds = run.by_status("success", resource_type="seed")
    models = run.by_status("success", resource_type="model")
    tests = run.by_status("pass", resource_type="test")
    assert seeds == {f"raw_{t}" for t in TABLES} | {"raw_row_counts"}
    assert models == set(TABLES)
    assert tests >= RULE_TESTS, sorted(RULE_TESTS - tests)
    # the exact row count of every model is asserted against raw_row_counts
    row_count_tests = {t for t in tests if t.startswith("row_count_equals_expected_")}
    assert len(row_count_tests) == len(TABLES), sorted(row_count_tests)


def test_build_again_on_a_built_schema_succeeds(built_project: BuiltProject) -> None:
    run = built_project.project.dbt("build")
    assert run.success, run.summary()
    assert run.by_status("pass", resource_type="test") >= RULE_TESTS


def test_run_order_item_alone_succeeds(built_project: BuiltProject) -> None:
    run = built_project.project.dbt("run", "--select", "order_item")
    assert run.success, run.summary()
    assert run.by_status("success", resource_type="model") == {"order_item"}


def test_run_orders_alone_while_order_item_references_it_succeeds(
    built_project: BuiltProject,
) -> None:
    run = built_project.project.dbt("run", "--select", "orders")
    assert run.success, run.summary()
    assert run.by_status("success", resource_type="model") == {"orders"}
    # the rebuilt table is still the one order_item's foreign key points at, with all rows
    tests = built_project.project.dbt("test", "--select", "order_item orders")
    assert tests.success, tests.summary()


def test_full_refresh_build_succeeds(built_project: BuiltProject) -> None:
    run = built_project.project.dbt("build", "--full-refresh")
    assert run.success, run.summary()
    assert run.by_status("success", resource_type="model") == set(TABLES)
    assert run.by_status("pass", resource_type="test") >= RULE_TESTS
