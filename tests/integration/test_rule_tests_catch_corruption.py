"""Every business-rule test can fail: one corrupted value in the seeds, one precise outcome.

Each case copies the project with the session's clean dataset, corrupts the CSV seeds in one
place (keeping everything else consistent, so that only the intended rule breaks), loads and
builds it (`dbt build --resource-type seed --resource-type model`), then runs `dbt test`, and
asserts exactly what must happen, from target/run_results.json:

- a rule that only a data test can see (it spans rows or tables): every model builds and
  exactly the matching tests fail, every other test passes;
- a rule that a table enforces itself (row-local check constraints, foreign keys): the
  database refuses the model build, naming the constraint kind. The same corruption reaches
  the rule test only where the database does not enforce the constraint: rule 1 sweeps the
  keys the models declare, and catches an orphan where the database keeps none (category's
  reference to itself on DuckDB); a key dropped from the YAML is left to its relationships test.

Tests run in a separate `dbt test` rather than inside `dbt build` because build skips every
node downstream of a failing test, which would hide whether the other tests still pass.

Speed: the cases of a target share one namespace and start from a parsed template copy, so
dbt only re-parses the files a case changed. A case reloads the seeds it changed plus those the
previous case left corrupted, rebuilds the models downstream of them, and runs the tests
downstream of them: every other table is byte-for-byte the clean build's, whose tests all
passed (test_dbt_build.py).
"""

from __future__ import annotations

import filecmp
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]
from dbt_harness import Project, SeedTable, Target, fmt_money, money, set_expected_rows

CENT = Decimal("0.01")


# --------------------------------------------------------------------------------------------
# Corruptions: each edits the CSVs of one project copy
# --------------------------------------------------------------------------------------------


def _orders_by_id(data: Path) -> tuple[SeedTable, dict[str, dict[str, str]]]:
    orders = SeedTable(data, "orders")
    return orders, {o["order_id"]: o for o in orders.rows}


def _shift_money(row: dict[str, str], column: str, delta: Decimal) -> None:
    row[column] = fmt_money(money(row[column]) + delta)


def order_subtotal_off_by_a_cent(project: Project) -> None:
    """Subtotal one cent above its lines; total moved too, so the row itself stays consistent."""
    orders = SeedTable(project.data, "orders")
    order = orders.rows[0]
    _shift_money(order, "subtotal_amount", CENT)
    _shift_money(order, "total_amount", CENT)
    orders.save()


def order_total_off_by_a_cent(project: Project) -> None:
    """total_amount != subtotal - discount + shipping: a row-local rule, a check constraint."""
    orders = SeedTable(project.data, "orders")
    _shift_money(orders.rows[0], "total_amount", CENT)
    orders.save()


def line_price_differs_from_product(project: Project) -> None:
    """A line without promotion priced one cent above its product; line and order sums follow."""
    items = SeedTable(project.data, "order_item")
    line = next(i for i in items.rows if i["promotion_id"] == "")
    quantity = Decimal(line["quantity"])
    _shift_money(line, "unit_price", CENT)
    _shift_money(line, "line_total", quantity * CENT)
    items.save()
    orders, by_id = _orders_by_id(project.data)
    _shift_money(by_id[line["order_id"]], "subtotal_amount", quantity * CENT)
    _shift_money(by_id[line["order_id"]], "total_amount", quantity * CENT)
    orders.save()


def line_with_ineligible_promotion(project: Project) -> None:
    """A line without promotion made to carry one that does not cover its product (discount 0)."""
    links = SeedTable(project.data, "promotion_product").rows
    covered = {(r["promotion_id"], r["product_id"]) for r in links}
    promotions = [p["promotion_id"] for p in SeedTable(project.data, "promotion").rows]
    items = SeedTable(project.data, "order_item")
    for line in items.rows:
        if line["promotion_id"] == "":
            stranger = next((p for p in promotions if (p, line["product_id"]) not in covered), None)
            if stranger is not None:
                line["promotion_id"] = stranger
                break
    else:
        pytest.fail("no line without promotion next to a promotion not covering its product")
    items.save()


def promotion_discount_off_by_a_cent(project: Project) -> None:
    """A promoted line's discount one cent too large; line and order sums follow."""
    items = SeedTable(project.data, "order_item")
    line = next(i for i in items.rows if i["promotion_id"] != "" and money(i["line_total"]) > CENT)
    _shift_money(line, "discount_amount", CENT)
    _shift_money(line, "line_total", -CENT)
    items.save()
    orders, by_id = _orders_by_id(project.data)
    _shift_money(by_id[line["order_id"]], "discount_amount", CENT)
    _shift_money(by_id[line["order_id"]], "total_amount", -CENT)
    orders.save()


def child_category_with_wrong_level(project: Project) -> None:
    """A level-2 category claims level 3 (its parent is level 1)."""
    categories = SeedTable(project.data, "category")
    categories.find(level="2")["level"] = "3"
    categories.save()


def product_on_a_parent_category(project: Project) -> None:
    """A product filed under a category that has sub-categories."""
    categories = SeedTable(project.data, "category")
    parents = {c["parent_category_id"] for c in categories.rows if c["parent_category_id"]}
    products = SeedTable(project.data, "product")
    products.rows[0]["category_id"] = sorted(parents, key=int)[0]
    products.save()


def customer_signs_up_after_an_order(project: Project) -> None:
    """A customer's signup moved one day after their first order."""
    orders = SeedTable(project.data, "orders").rows
    first = min(orders, key=lambda o: o["ordered_at"])
    customers = SeedTable(project.data, "customer")
    when = datetime.fromisoformat(first["ordered_at"]) + timedelta(days=1)
    customer = customers.find(customer_id=first["customer_id"])
    customer["signed_up_at"] = when.strftime("%Y-%m-%d %H:%M:%S")
    customers.save()


def stock_one_unit_short(project: Project) -> None:
    """A product's stock one unit below received - sold (still >= 0 and <= received)."""
    products = SeedTable(project.data, "product")
    product = next(p for p in products.rows if int(p["stock_quantity"]) >= 1)
    product["stock_quantity"] = str(int(product["stock_quantity"]) - 1)
    products.save()


def negative_stock(project: Project) -> None:
    """stock_quantity -1: a row-local rule, a check constraint on product."""
    products = SeedTable(project.data, "product")
    products.rows[0]["stock_quantity"] = "-1"
    products.save()


def order_without_lines(project: Project) -> None:
    """The lines of a cancelled order removed (cancelled: stock does not move); counts follow."""
    orders = SeedTable(project.data, "orders").rows
    cancelled = next(o["order_id"] for o in orders if o["status"] == "cancelled")
    items = SeedTable(project.data, "order_item")
    items.rows = [i for i in items.rows if i["order_id"] != cancelled]
    items.save()
    set_expected_rows(project.data, "order_item", len(items.rows))


def every_order_with_the_same_number_of_lines(project: Project) -> None:
    """Every order cut to its first k lines (k = the smallest basket, at least 2), with order
    sums, stock and counts recomputed, so that only the spread of lines per order is wrong."""
    items = SeedTable(project.data, "order_item")
    by_order: dict[str, list[dict[str, str]]] = {}
    for line in sorted(items.rows, key=lambda i: int(i["order_item_id"])):
        by_order.setdefault(line["order_id"], []).append(line)
    keep = min(len(lines) for lines in by_order.values())
    assert keep >= 2, "orders with a single line: this corruption needs baskets of 2 or more"
    items.rows = [line for lines in by_order.values() for line in lines[:keep]]
    items.save()
    set_expected_rows(project.data, "order_item", len(items.rows))

    orders, by_id = _orders_by_id(project.data)
    sold: dict[str, int] = {}
    for order_id, lines in by_order.items():
        order = by_id[order_id]
        subtotal = sum(
            (Decimal(i["quantity"]) * money(i["unit_price"]) for i in lines[:keep]), Decimal(0)
        )
        discount = sum((money(i["discount_amount"]) for i in lines[:keep]), Decimal(0))
        order["subtotal_amount"] = fmt_money(subtotal)
        order["discount_amount"] = fmt_money(discount)
        order["total_amount"] = fmt_money(subtotal - discount + money(order["shipping_fee"]))
        if order["status"] != "cancelled":
            for line in lines[:keep]:
                sold[line["product_id"]] = sold.get(line["product_id"], 0) + int(line["quantity"])
    orders.save()
    products = SeedTable(project.data, "product")
    for product in products.rows:
        stock = int(product["received_quantity"]) - sold.get(product["product_id"], 0)
        product["stock_quantity"] = str(stock)
    products.save()


def row_count_one_more_than_generated(project: Project) -> None:
    """The dataset promises one more order than it holds."""
    expected = SeedTable(project.data, "row_counts").find(table_name="orders")
    set_expected_rows(project.data, "orders", int(expected["row_count"]) + 1)


def order_of_unknown_customer(project: Project) -> None:
    """An order whose customer does not exist."""
    orders = SeedTable(project.data, "orders")
    orders.rows[0]["customer_id"] = "999999999"
    orders.save()


def category_of_unknown_parent(project: Project) -> None:
    """A sub-category whose parent does not exist (a key added by category's post-hook)."""
    categories = SeedTable(project.data, "category")
    child = next(c for c in categories.rows if c["parent_category_id"])
    child["parent_category_id"] = "999999999"
    categories.save()


def order_of_unknown_customer_without_fk(project: Project) -> None:
    """The same orphan, with the orders -> customer foreign key dropped from this copy's YAML:
    nothing declares the key any more but its relationships test, which catches it."""
    order_of_unknown_customer(project)
    models_yml = project.path / "models" / "oltp" / "orders.yml"
    spec = yaml.safe_load(models_yml.read_text())
    orders = next(m for m in spec["models"] if m["name"] == "orders")
    customer_id = next(c for c in orders["columns"] if c["name"] == "customer_id")
    before = customer_id["constraints"]
    customer_id["constraints"] = [c for c in before if c["type"] != "foreign_key"]
    assert len(customer_id["constraints"]) == len(before) - 1, "orders.customer_id FK not found"
    models_yml.write_text(yaml.safe_dump(spec, sort_keys=False))


# --------------------------------------------------------------------------------------------
# Cases and their expected outcome
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corruption:
    name: str
    corrupt: Callable[[Project], None]
    # tests that must fail: a singular test's name, or a generic test's name prefix
    failing_tests: tuple[str, ...] = ()
    # a model whose build the database must refuse, and the constraint kind it must name
    refused_model: str | None = None
    refused_because: str | None = None
    # models whose definition (not data) the corruption changes, rebuilt with it
    changed_models: tuple[str, ...] = ()
    # targets where the refusal comes from the publish step, not the model's own build: DuckDB
    # stages no key on a parent that the run does not rebuild (it cannot reference another
    # schema), so the publish checks those rows and refuses the whole run
    refused_at_publish_on: tuple[str, ...] = ()
    # targets whose database keeps no such constraint: refused_model builds there, and the
    # failing tests must fail
    unenforced_on: tuple[str, ...] = ()


CORRUPTIONS = [
    Corruption(
        "fk_orphan_without_constraint",
        order_of_unknown_customer_without_fk,
        ("relationships_orders_customer_id_",),
        changed_models=("orders",),
    ),
    Corruption(
        "fk_orphan_of_self_reference",
        category_of_unknown_parent,
        (
            "rule_1_foreign_keys_have_no_orphans",
            "relationships_category_parent_category_id_",
            "rule_2_category_tree_is_consistent",
        ),
        refused_model="category",
        refused_because="foreign key",
        # DuckDB cannot add a foreign key to an existing table (self_referencing_foreign_key.sql)
        unenforced_on=("duckdb",),
    ),
    Corruption(
        "fk_orphan_refused",
        order_of_unknown_customer,
        refused_model="orders",
        refused_because="foreign key",
        refused_at_publish_on=("duckdb",),
    ),
    Corruption(
        "category_level", child_category_with_wrong_level, ("rule_2_category_tree_is_consistent",)
    ),
    Corruption(
        "product_not_on_leaf", product_on_a_parent_category, ("rule_2_category_tree_is_consistent",)
    ),
    Corruption(
        "price_mismatch",
        line_price_differs_from_product,
        ("rule_3_line_price_equals_product_price",),
    ),
    Corruption(
        "ineligible_promotion",
        line_with_ineligible_promotion,
        ("rule_4_promotions_are_eligible_best_and_exact",),
    ),
    Corruption(
        "discount_off_a_cent",
        promotion_discount_off_by_a_cent,
        ("rule_4_promotions_are_eligible_best_and_exact",),
    ),
    Corruption(
        "subtotal_off_a_cent",
        order_subtotal_off_by_a_cent,
        ("rule_5_order_sums_match_lines_to_the_cent",),
    ),
    Corruption(
        "total_off_a_cent_refused",
        order_total_off_by_a_cent,
        refused_model="orders",
        refused_because="check",
    ),
    Corruption(
        "signup_after_order",
        customer_signs_up_after_an_order,
        ("rule_6_timestamps_follow_life_cycle",),
    ),
    Corruption("stock_wrong", stock_one_unit_short, ("rule_7_stock_is_received_minus_sold",)),
    Corruption(
        "stock_negative_refused", negative_stock, refused_model="product", refused_because="check"
    ),
    Corruption(
        "order_without_lines",
        order_without_lines,
        ("rule_8_orders_have_distinct_lines_with_spread",),
    ),
    Corruption(
        "constant_lines_per_order",
        every_order_with_the_same_number_of_lines,
        ("rule_8_orders_have_distinct_lines_with_spread",),
    ),
    Corruption(
        "row_count_mismatch",
        row_count_one_more_than_generated,
        ("row_count_equals_expected_orders_",),
    ),
]


def _matches(name: str, expected: str) -> bool:
    return name == expected or (expected.endswith("_") and name.startswith(expected))


@dataclass
class Bench:
    """The template copy of one target, and what the last case left corrupted there."""

    template: Project
    dirty: set[str]


@pytest.fixture(scope="module")
def bench(target: Target, dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Bench:
    """A parsed and built copy of the clean project in the namespace the cases share."""
    workdir = tmp_path_factory.mktemp(f"corrupt-{target.name}")
    project = Project.create(workdir / "template", dataset, target.derive("corrupt", workdir))
    built = project.dbt("build", "--resource-type", "seed", "--resource-type", "model")
    assert built.success, built.summary()
    return Bench(project, set())


def _changed_seeds(case_project: Project, template: Project) -> set[str]:
    return {
        f.stem
        for f in case_project.data.glob("*.csv")
        if not filecmp.cmp(f, template.data / f.name, shallow=False)
    }


@pytest.mark.parametrize("case", CORRUPTIONS, ids=[c.name for c in CORRUPTIONS])
def test_corruption_fails_exactly_the_matching_check(bench: Bench, case: Corruption) -> None:
    template = bench.template
    path = template.path.parent / case.name
    shutil.copytree(template.path, path)
    project = Project(path, template.target)
    case.corrupt(project)

    changed = _changed_seeds(project, template) | set(case.changed_models)
    selection = sorted(f"{node}+" for node in changed | bench.dirty)
    build = project.dbt(
        "build", "--resource-type", "seed", "--resource-type", "model", "--select", *selection
    )
    # what this case corrupted, and what a failed build left behind, is reloaded next time
    bench.dirty = changed | (set() if build.success else bench.dirty)
    assert not build.by_status("error", resource_type="seed"), build.summary()
    enforced = project.target.name not in case.unenforced_on
    refused_model = case.refused_model if enforced else None
    if refused_model is not None and project.target.name in case.refused_at_publish_on:
        assert not build.success and not build.errored_models(), build.summary()
        message = str(build.exception)
        assert "nothing was published" in message, message
        assert f"the new {refused_model} has 1 row whose" in message, message
    elif refused_model is not None:
        assert build.errored_models() == {refused_model}, build.summary()
        message = build.message_of(refused_model).lower()
        assert re.search(case.refused_because or "", message), message
    if refused_model is not None:
        # the refused build left the previous table in place, whole
        expected = SeedTable(template.data, "row_counts").find(table_name=refused_model)
        with project.target.connect() as con:
            cur = con.cursor()
            cur.execute(f"select count(*) from {project.target.relation(refused_model)}")
            assert cur.fetchone()[0] == int(expected["row_count"])
        return
    assert build.success, build.summary()

    run = project.dbt("test", "--select", *sorted(f"{node}+" for node in changed))
    assert not run.success, f"{case.name}: dbt test passed on corrupted seeds"
    failed = run.failed_tests()
    unexpected = {n for n in failed if not any(_matches(n, e) for e in case.failing_tests)}
    missing = [e for e in case.failing_tests if not any(_matches(n, e) for n in failed)]
    assert not unexpected and not missing, (
        f"unexpected failures {sorted(unexpected)}, missing {missing}\n{run.summary()}"
    )
    # everything else downstream of the corruption ran and passed: dbt test skips nothing
    assert {r.status for r in run.results} <= {"pass", "fail"}, run.summary()
