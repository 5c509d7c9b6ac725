"""SQL Server seeds that the server loads itself (var sqlserver_data_path), checked without one.

No SQL Server can run here, so this suite renders what the seed materialization would send
(macros/seeds/sqlserver_bulk_insert.sql) for a dataset in two parts, at compile time, and runs
the read step through `dbt run-operation` against a port where nothing listens: the refusals
happen before any connection. What only a real server proves (`docker compose up -d --wait
sqlserver`, then `dbt seed --target sqlserver --vars '{sqlserver_data_path: /data}'`): that
SQL Server accepts these statements, reads the files at those paths and converts the values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import SqlServerProject, make_project

BULK_RENDER_CHECK = (Path(__file__).with_name("bulk_render_check.sql")).read_text()

# Compiled on its own (--select): the read step of the seed materialization for the seed named by
# the var ecom_synth_test_seed (a refusal fails the compile with the message users see).
READ_SEED = """
{%- if execute -%}
{%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
      | selectattr('name', 'equalto', var('ecom_synth_test_seed')) | first -%}
{%- set expected = ecom_synth.seed_manifest_entry(node) -%}
{%- set read = ecom_synth.read_seed_file(node, ecom_synth.seed_file_path(node),
      node.config.column_types, expected) -%}
{%- set rows = (read['data'].rows | length) if read['data'] is not none else none -%}
{{ tojson({'header': read['header'], 'rows': rows}) }}
{%- endif -%}
"""

PARTED = ("raw_customer", "raw_orders", "raw_order_item")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> SqlServerProject:
    return make_project(
        tmp_path_factory.mktemp("sqlserver_bulk"),
        {"bulk_render_check.sql": BULK_RENDER_CHECK, "read_seed_check.sql": READ_SEED},
        dataset_args=("--parts", "2"),
    )


def render(project: SqlServerProject, data_path: str | None) -> dict:
    args = ["compile", "--no-populate-cache", "--select", "bulk_render_check"]
    if data_path is not None:
        args += ["--vars", json.dumps({"sqlserver_data_path": data_path})]
    project.dbt(*args).assert_ok()
    return json.loads((project.compiled / "analyses" / "bulk_render_check.sql").read_text())


@pytest.fixture(scope="module")
def rendered(project: SqlServerProject) -> dict:
    return render(project, "/data/")


def read_seed(project: SqlServerProject, seed: str, **dbt_vars: str) -> tuple[int, str]:
    run = project.dbt("compile", "--no-populate-cache", "--select", "read_seed_check", "--vars",
                      json.dumps({"ecom_synth_test_seed": seed, **dbt_vars}))
    return run.returncode, run.output


def test_each_part_is_one_bulk_insert_at_the_server_path(rendered: dict) -> None:
    assert rendered["data_path"] == "/data"  # a trailing slash is dropped
    order_item = rendered["seeds"]["raw_order_item"]
    assert order_item["stub"] is True
    paths = [load["server_path"] for load in order_item["loads"]]
    assert paths == ["/data/raw_order_item/part-00000.csv", "/data/raw_order_item/part-00001.csv"]
    for load in order_item["loads"]:
        sql = " ".join(load["sql"].split())
        start = f"bulk insert {order_item['staging']} from '{load['server_path']}' with ("
        assert sql.startswith(start)
        assert load["rows"] > 0
    assert order_item["staging"].endswith('."raw_order_item__ecom_load_bulk"')
    assert order_item["side"].endswith('."raw_order_item__ecom_load"')
    for seed in PARTED:
        assert len(rendered["seeds"][seed]["loads"]) == 2, seed


def test_a_table_in_one_file_is_one_bulk_insert_of_that_file(rendered: dict) -> None:
    brand = rendered["seeds"]["raw_brand"]
    assert brand["stub"] is False
    assert [load["server_path"] for load in brand["loads"]] == ["/data/raw_brand.csv"]
    counts = rendered["seeds"]["raw_row_counts"]
    assert [load["server_path"] for load in counts["loads"]] == ["/data/raw_row_counts.csv"]


def test_bulk_insert_options_read_the_generators_csv(rendered: dict) -> None:
    sql = " ".join(rendered["seeds"]["raw_orders"]["loads"][0]["sql"].split())
    options = re.search(r"with \((.*)\)$", sql).group(1)
    assert re.split(r",\s+(?=[a-z])", options) == [
        "format = 'CSV'", "firstrow = 2", "fieldquote = '\"'", "fieldterminator = ','",
        "rowterminator = '0x0a'", "codepage = 'RAW'", "datafiletype = 'char'", "keepnulls",
        "tablock",
    ]


def test_staging_holds_every_column_as_utf8_text(rendered: dict) -> None:
    create = rendered["seeds"]["raw_seller"]["create"]
    staging = rendered["seeds"]["raw_seller"]["staging"]
    assert create.startswith(f"create table {staging} (")
    columns = re.findall(
        r"(\w+) (varchar\((?:\d+|max)\)) collate Latin1_General_100_BIN2_UTF8 null", create)
    assert [c[0] for c in columns] == [
        "seller_id", "seller_name", "seller_type", "email", "city", "country", "rating",
        "joined_at", "is_active",
    ]
    types = dict(columns)
    assert types["seller_name"] == "varchar(480)"  # varchar(120): 4 UTF-8 bytes a character
    assert types["is_active"] == "varchar(100)"
    assert "nvarchar" not in create


def test_only_an_empty_field_becomes_null_and_values_convert_on_the_server(rendered: dict) -> None:
    move = rendered["seeds"]["raw_seller"]["move"]
    side = rendered["seeds"]["raw_seller"]["side"]
    staging = rendered["seeds"]["raw_seller"]["staging"]
    assert move.startswith(f"insert into {side} with (tablock) (seller_id, seller_name, ")
    assert move.rstrip().endswith(f"from {staging}")
    empty = "case when datalength({0}) = 0 then null else {0} end"
    assert f'convert(bit, {empty.format("is_active")})' in move
    assert f'convert(datetime2(0), {empty.format("joined_at")})' in move
    assert f'convert(decimal(3,1), {empty.format("rating")})' in move
    assert f'convert(nvarchar(120), {empty.format("seller_name")})' in move
    assert "= ''" not in move  # '   ' = '' is true in T-SQL: never used to find empty fields


def test_one_scan_counts_rows_and_values_that_do_not_convert(rendered: dict) -> None:
    seller = rendered["seeds"]["raw_seller"]
    check = seller["check"]
    assert check.startswith("select count_big(*), sum(case when ")
    assert check.endswith(f"from {seller['staging']}")
    assert check.count("sum(case when ") == len(seller["checked"]) == 9
    assert "try_convert(bit, is_active) is null" in check
    assert "len(seller_id) = 0" in check  # '  ' converts to 0 in T-SQL: refused
    assert "datalength(convert(nvarchar(max), seller_name)) > 240" in check  # too long


def test_header_probe_reads_one_line_of_the_first_file(rendered: dict) -> None:
    header = rendered["seeds"]["raw_order_item"]["header"]
    assert "from '/data/raw_order_item/part-00000.csv'" in header
    assert "lastrow = 1" in header and "codepage = 'RAW'" in header
    assert header.startswith("set nocount on;")
    assert header.rstrip().endswith("select line from #ecom_synth_header;")


def test_a_windows_share_path_uses_backslashes(project: SqlServerProject) -> None:
    rendered = render(project, "\\\\fileserver\\ecom\\data")
    paths = [load["server_path"] for load in rendered["seeds"]["raw_orders"]["loads"]]
    assert paths == [
        "\\\\fileserver\\ecom\\data\\raw_orders\\part-00000.csv",
        "\\\\fileserver\\ecom\\data\\raw_orders\\part-00001.csv",
    ]


def test_a_quote_in_the_path_is_escaped(project: SqlServerProject) -> None:
    rendered = render(project, "/mnt/o'brien/data")
    sql = rendered["seeds"]["raw_brand"]["loads"][0]["sql"]
    assert "from '/mnt/o''brien/data/raw_brand.csv'" in sql


def test_parts_without_the_var_are_refused_with_both_ways_to_load(
    project: SqlServerProject,
) -> None:
    code, output = read_seed(project, "raw_order_item")
    assert code != 0
    line = next(li for li in output.splitlines() if "which this seed cannot load here" in li)
    assert "data/raw_order_item/part-00000.csv and 1 more part(s) (csv)" in line
    assert "sqlserver_data_path" in line
    assert "python -m seeds_gen load --target sqlserver" in line
    assert line.rstrip().endswith("The existing seed table is unchanged.")


def test_a_one_file_seed_without_the_var_is_read_by_dbt(project: SqlServerProject) -> None:
    code, output = read_seed(project, "raw_brand")
    assert code == 0, output[-3000:]
    event = json.loads((project.compiled / "analyses" / "read_seed_check.sql").read_text())
    assert event["header"][0] == "brand_id"
    assert event["rows"] > 0  # the agate table: the client path, as before


def test_with_the_var_the_server_reads_the_header_and_a_failure_is_one_line(
    project: SqlServerProject,
) -> None:
    """Nothing listens on the profile's port: the probe fails, and says what to check."""
    code, output = read_seed(project, "raw_orders", sqlserver_data_path="/data")
    assert code != 0
    line = next(li for li in output.splitlines() if "SQL Server cannot read" in li)
    path = "raw_orders/part-00000.csv"
    assert f"data/{path}: SQL Server cannot read /data/{path} " in line
    assert "sqlserver_data_path = '/data'" in line
    assert line.rstrip().endswith("The existing seed table is unchanged.")
