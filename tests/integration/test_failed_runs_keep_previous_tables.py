"""A failed `dbt run` or `dbt build` publishes nothing: all or nothing, on every live target.

One project per target is built from dataset A, then dataset B (another seed) is seeded in.
Each case then breaks one thing and runs dbt on B:
  - a model whose rows break its own primary key (its SQL returns every row twice), at each
    position of the graph (roots, middle, leaves), with `dbt run`;
  - a data test that fails on a model (root, middle, leaf), with `dbt build`;
  - `dbt run -s brand` with a brand missing that live products still reference;
  - PostgreSQL: a failure inside the publish step itself (a view blocks the drop).
After every fault, each typed table holds exactly dataset A's rows, every foreign key of the
first build still exists and holds (no orphans), and no staging schema is left behind. The
last case runs the build unbroken and finds dataset B in every table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import (
    TABLES,
    Project,
    SeedTable,
    Target,
    foreign_keys,
    generate_dataset,
    leftover_schemas,
    orphans,
    table_fingerprints,
)

MODELS = list(TABLES)
ROOT, MIDDLE, LEAF = "brand", "product", "order_item"


class Shop:
    """A project built from dataset A, with dataset B seeded: what each case starts from."""

    def __init__(self, project: Project, dataset_b: Path) -> None:
        self.project = project
        first = project.dbt("build")
        assert first.success, first.summary()
        self.a = table_fingerprints(project.target)
        self.keys = foreign_keys(project.target)
        assert len(self.keys) >= 9, self.keys
        for csv_file in dataset_b.glob("*.csv"):
            (project.data / csv_file.name).write_bytes(csv_file.read_bytes())
        (project.data / "manifest.json").write_bytes((dataset_b / "manifest.json").read_bytes())
        seeded = project.dbt("seed")
        assert seeded.success, seeded.summary()

    def assert_dataset_a_whole(self, why: str, staging_may_remain: bool = False) -> None:
        target = self.project.target
        assert table_fingerprints(target) == self.a, f"{why}: a typed table changed"
        assert foreign_keys(target) == self.keys, f"{why}: foreign keys differ from the build's"
        assert orphans(target, self.keys) == {}, f"{why}: rows without their parent"
        left = leftover_schemas(target)
        if staging_may_remain:  # a failed publish keeps the staged tables until the next run
            left = [s for s in left if not s.endswith("__ecom_next")]
        assert left == [], f"{why}: staging left behind"


@pytest.fixture(scope="module")
def dataset_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("dataset_b"), scale=0.01, seed=7)


@pytest.fixture(scope="module")
def shop(
    target: Target, dataset: Path, dataset_b: Path, tmp_path_factory: pytest.TempPathFactory
) -> Shop:
    if target.name == "sqlserver":
        pytest.skip("SQL Server's publish is proven by rendering (tests/sqlserver/)")
    workdir = tmp_path_factory.mktemp(f"faults-{target.name}")
    project = Project.create(workdir / "project", dataset, target.derive("faults", workdir))
    return Shop(project, dataset_b)


@pytest.fixture
def edited(shop: Shop) -> Iterator[dict[Path, bytes]]:
    """Files a case edits in the shop's project, put back afterwards."""
    saved: dict[Path, bytes] = {}
    yield saved
    for path, content in saved.items():
        if content == b"":
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)


def _edit(saved: dict[Path, bytes], path: Path, text: str) -> None:
    saved.setdefault(path, path.read_bytes() if path.exists() else b"")
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("model", MODELS)
def test_model_failing_at_any_position_publishes_nothing(
    shop: Shop, edited: dict[Path, bytes], model: str
) -> None:
    sql_file = shop.project.path / "models" / "oltp" / f"{model}.sql"
    original = sql_file.read_text(encoding="utf-8")
    # every row twice: the insert into the staged table breaks the primary key mid-build
    _edit(
        edited,
        sql_file,
        f"select * from (\n{original}\n) as fault_a\nunion all\n"
        f"select * from (\n{original}\n) as fault_b\n",
    )
    run = shop.project.dbt("run")
    assert not run.success, run.summary()
    assert model in run.errored_models(), run.summary()
    shop.assert_dataset_a_whole(f"{model} failed")


@pytest.mark.parametrize("model", [ROOT, MIDDLE, LEAF])
def test_failing_test_at_any_position_publishes_nothing(
    shop: Shop, edited: dict[Path, bytes], model: str
) -> None:
    test_file = shop.project.path / "tests" / "dbt" / f"fault_on_{model}.sql"
    _edit(edited, test_file, f"select * from {{{{ ref('{model}') }}}}\n")
    run = shop.project.dbt("build", "--exclude", "resource_type:seed")
    assert not run.success, run.summary()
    assert f"fault_on_{model}" in run.failed_tests(), run.summary()
    shop.assert_dataset_a_whole(f"a test on {model} failed")


def test_run_of_a_parent_alone_refuses_to_orphan_its_children(
    shop: Shop, edited: dict[Path, bytes]
) -> None:
    for name in ("raw_brand.csv", "manifest.json"):
        edited.setdefault(shop.project.data / name, (shop.project.data / name).read_bytes())
    in_use = brand_ids_in_use(shop.project.target)
    brands = SeedTable(shop.project.data, "brand")
    brands.rows.remove([row for row in brands.rows if row["brand_id"] in in_use][-1])
    brands.save()
    try:
        assert shop.project.dbt("seed", "--select", "raw_brand").success
        run = shop.project.dbt("run", "--select", "brand")
        assert not run.success, run.summary()
        message = f"{run.exception} " + " ".join(h.message or "" for h in run.hooks)
        assert "nothing was published" in message and "product has" in message, message
        assert "the new brand lacks" in message and "dbt build -s brand+" in message, message
        shop.assert_dataset_a_whole("run -s brand with a missing brand")
    finally:
        for path, content in edited.items():
            path.write_bytes(content)
        assert shop.project.dbt("seed", "--select", "raw_brand").success


def brand_ids_in_use(target: Target) -> set[str]:
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(f"select distinct brand_id from {target.relation('product')}")
        return {str(r[0]) for r in cur.fetchall()}


def test_failure_inside_publish_rolls_the_whole_publish_back(
    shop: Shop, edited: dict[Path, bytes]
) -> None:
    target = shop.project.target
    if target.name != "postgres":
        pytest.skip("only PostgreSQL lets a user's view block the publish's drop")
    view = target.relation("order_item_report")
    with target.connect() as con:
        con.cursor().execute(f"create view {view} as select * from {target.relation('order_item')}")
    try:
        run = shop.project.dbt("run")
        assert not run.success, run.summary()
        message = str(run.exception)
        assert "order_item_report" in message, message  # PostgreSQL names what blocked it
        shop.assert_dataset_a_whole("publish failed at the drop", staging_may_remain=True)
    finally:
        with target.connect() as con:
            con.cursor().execute(f"drop view {view}")


def test_retry_after_a_failed_run_refuses_and_changes_nothing(
    shop: Shop, edited: dict[Path, bytes]
) -> None:
    """`dbt retry` is not a staging run: it must never rebuild or publish tables in place."""
    sql_file = shop.project.path / "models" / "oltp" / "order_item.sql"
    original = sql_file.read_text(encoding="utf-8")
    _edit(
        edited,
        sql_file,
        f"select * from ({original}) as a union all select * from ({original}) as b",
    )
    assert not shop.project.dbt("run").success
    sql_file.write_text(original, encoding="utf-8")
    retry = shop.project.dbt("retry")
    assert not retry.success, retry.summary()
    # retry rebuilds only the failed model, against staged parents the failed run did not keep:
    # it fails (refused, or for want of those parents), and publishes nothing
    shop.assert_dataset_a_whole("dbt retry")


def test_mysql_publish_mends_keys_an_interrupted_publish_left_on_old_tables(shop: Shop) -> None:
    """The state a publish interrupted after its RENAME leaves: product's key on the old brand in
    <schema>__ecom_prev. The next publish of brand moves it onto the new brand."""
    target = shop.project.target
    if target.name != "mysql":
        pytest.skip("only MySQL publishes in several statements")
    prev = f"{target.schema}__ecom_prev"
    with target.connect() as con:
        cur = con.cursor()
        for sql in (
            f"create database `{prev}`",
            f"create table `{prev}`.brand like {target.relation('brand')}",
            f"insert into `{prev}`.brand select * from {target.relation('brand')}",
            f"alter table {target.relation('product')} drop foreign key product_brand_id_fkey",
            f"alter table {target.relation('product')} add constraint product_brand_id_fkey "
            f"foreign key (brand_id) references `{prev}`.brand (brand_id)",
        ):
            cur.execute(sql)
    run = shop.project.dbt("run", "--select", "brand")
    assert run.success, run.summary()
    assert foreign_keys(target) == shop.keys  # every key on the live schema again
    assert orphans(target, shop.keys) == {}
    assert leftover_schemas(target) == []
    # brand is dataset B now, the rest still A: the last test rebuilds everything


def test_unbroken_build_publishes_dataset_b_everywhere(shop: Shop) -> None:
    run = shop.project.dbt("build", "--exclude", "resource_type:seed")
    assert run.success, run.summary()
    after = table_fingerprints(shop.project.target)
    changed = {t for t in MODELS if after[t] != shop.a[t]}
    assert changed == set(MODELS), f"still dataset A: {set(MODELS) - changed}"
    assert foreign_keys(shop.project.target) == shop.keys
    assert orphans(shop.project.target, shop.keys) == {}
    assert leftover_schemas(shop.project.target) == []
