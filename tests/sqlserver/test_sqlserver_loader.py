"""`python -m seeds_gen load --target sqlserver` (seeds_gen/load/sqlserver.py), without a server.

No SQL Server can run on this machine, so `load_table` is given a fake connection whose cursor
records each `bulkcopy()` call (table, rows, options) instead of sending it: that is the one
stand-in here, and only because the real server is out of reach. Everything else is real: a
dataset written by `python -m seeds_gen` (CSV in two parts, and Parquet), the manifest's
hashes, the seed YAML's declared types, and the connection string built by dbt-sqlserver from
credentials that dbt renders from profiles.yml.example. What only a server proves (the compose
service): that SQL Server accepts these rows into the side table.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from argparse import Namespace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from dbt_harness import generate_dataset

from seeds_gen.load import sqlserver
from seeds_gen.load.job import LoadError, TableJob

from .conftest import REPO_ROOT

SEEDS_YML = yaml.safe_load((REPO_ROOT / "data" / "_raw__seeds.yml").read_text())
SEED_TYPES = {seed["name"]: seed["config"]["column_types"] for seed in SEEDS_YML["seeds"]}
BATCH = 300


class FakeCursor:
    def __init__(self, fail: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail = fail

    def bulkcopy(self, table: str, rows: Any, **options: Any) -> dict[str, int]:
        if self.fail is not None:
            raise self.fail
        assert isinstance(rows, list) and all(isinstance(r, tuple) for r in rows)
        self.calls.append({"table": table, "rows": rows, **options})
        return {"rows_copied": len(rows), "batch_count": 1}


class FakeConnection:
    def __init__(self, cursor: FakeCursor) -> None:
        self._cursor = cursor
        self.closed = False

    def cursor(self) -> FakeCursor:
        return self._cursor

    def close(self) -> None:
        self.closed = True


CREDENTIALS = Namespace(database="ecom_synth", query_timeout=0, host="127.0.0.1", port=1433)


def jobs(data: Path) -> dict[str, TableJob]:
    """What loader_begin announces for each table (relation rendered as dbt-sqlserver does)."""
    manifest = json.loads((data / "manifest.json").read_text())
    out = {}
    for entry in manifest["tables"].values():
        seed = entry["seed"]
        out[seed] = TableJob.from_dict({
            "seed": seed, "relation": f'"ecom_synth"."ecom_raw"."{seed}__ecom_load"',
            "columns": list(SEED_TYPES[seed]), "column_types": SEED_TYPES[seed],
            "format": entry["format"],
            "files": [dict(f, path=str(data / f["file"]), label=f"data/{f['file']}")
                      for f in entry["files"]],
        })
    return out


def load(job: TableJob, batch_rows: int = BATCH, cursor: FakeCursor | None = None) -> FakeCursor:
    cursor = cursor or FakeCursor()
    connection = FakeConnection(cursor)
    rows = sqlserver.load_table(CREDENTIALS, job, batch_rows=batch_rows,
                                connector=lambda _credentials: connection)
    assert rows == job.rows and connection.closed
    return cursor


@pytest.fixture(scope="module")
def csv_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("csv") / "data", "--parts", "2")


@pytest.fixture(scope="module")
def parquet_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(tmp_path_factory.mktemp("pq") / "data", "--parts", "2",
                            "--format", "parquet")


def one_csv_job(tmp_path: Path, seed: str, text: str) -> TableJob:
    """A one-file CSV job for `seed` with the given content (hash and rows from the content)."""
    import hashlib

    path = tmp_path / f"{seed}.csv"
    path.write_bytes(text.encode())
    return TableJob.from_dict({
        "seed": seed, "relation": f'"ecom_synth"."ecom_raw"."{seed}__ecom_load"',
        "columns": list(SEED_TYPES[seed]), "column_types": SEED_TYPES[seed], "format": "csv",
        "files": [{"path": str(path), "label": f"data/{seed}.csv",
                   "rows": text.count("\n") - 1, "bytes": len(text.encode()),
                   "sha256": hashlib.sha256(text.encode()).hexdigest()}],
    })


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_goes_in_bounded_batches_with_the_manifests_rows(
    fmt: str, csv_data: Path, parquet_data: Path,
) -> None:
    for seed, job in jobs(csv_data if fmt == "csv" else parquet_data).items():
        cursor = load(job)
        expected_calls = sum(math.ceil(f.rows / BATCH) for f in job.files)
        assert len(cursor.calls) == expected_calls, seed
        for call in cursor.calls:
            assert 0 < len(call["rows"]) <= BATCH
            assert call["batch_size"] == len(call["rows"])
            assert call["table"] == f"[ecom_raw].[{seed}__ecom_load]"
            assert call["table_lock"] is True and call["keep_nulls"] is True
            assert all(len(row) == len(job.column_types) for row in call["rows"])
        if seed == "raw_order_item":
            assert len(job.files) == 2


def test_csv_and_parquet_send_the_same_rows(csv_data: Path, parquet_data: Path) -> None:
    from_csv, from_parquet = jobs(csv_data), jobs(parquet_data)
    for seed in from_csv:
        if seed == "raw_row_counts":
            continue
        rows_csv = [r for c in load(from_csv[seed]).calls for r in c["rows"]]
        rows_parquet = [r for c in load(from_parquet[seed]).calls for r in c["rows"]]
        assert rows_csv == rows_parquet, seed


def test_values_have_the_python_types_bulkcopy_takes(csv_data: Path) -> None:
    job = jobs(csv_data)["raw_orders"]
    first = load(job).calls[0]["rows"][0]
    order_id, customer_id, ordered_at, status = first[:4]
    assert isinstance(order_id, int) and isinstance(customer_id, int)
    assert isinstance(ordered_at, datetime) and ordered_at.tzinfo is None
    assert isinstance(status, str)
    money = first[-4:]  # subtotal_amount, discount_amount, shipping_fee, total_amount
    assert all(isinstance(m, Decimal) and m.as_tuple().exponent == -2 for m in money)
    updated_at = first[-5]
    assert isinstance(updated_at, datetime) and updated_at.tzinfo is None
    seller = load(jobs(csv_data)["raw_seller"]).calls[0]["rows"][0]
    assert isinstance(seller[8], bool) and isinstance(seller[6], Decimal)
    promotion = load(jobs(csv_data)["raw_promotion"]).calls[0]["rows"][0]
    assert isinstance(promotion[4], date) and not isinstance(promotion[4], datetime)


def test_only_an_empty_field_is_null(tmp_path: Path) -> None:
    text = ("category_id,category_name,parent_category_id,level,created_at\n"
            "1,NULL,,1,2015-03-08 12:08:42\n"
            '2,"",,1,2015-03-08 12:08:42\n'
            "3, ,1,2,2015-03-08T12:08:42\n"
            "4,None,1,2,2015-03-08 12:08:42\n")
    rows = load(one_csv_job(tmp_path, "raw_category", text)).calls[0]["rows"]
    assert [r[1] for r in rows] == ["NULL", None, " ", "None"]
    assert [r[2] for r in rows] == [None, None, 1, 1]
    assert rows[2][4] == datetime(2015, 3, 8, 12, 8, 42)


@pytest.mark.parametrize(("value", "column"), [
    ("yes", "is_active"), ("2024-13-01 00:00:00", "joined_at"), ("3.25", "rating"),
    ("x", "seller_id"), ("2024-01-01 00:00:00+02:00", "joined_at"),
])
def test_a_value_that_does_not_parse_names_the_file_row_and_column(
    tmp_path: Path, value: str, column: str,
) -> None:
    good = {"seller_id": "1", "seller_name": "Shop", "seller_type": "mall", "email": "a@b.c",
            "city": "X", "country": "Y", "rating": "3.3", "joined_at": "2022-08-11 00:29:05",
            "is_active": "true"}
    header = ",".join(good)
    bad = {**good, column: value}
    text = f"{header}\n{','.join(good.values())}\n{','.join(bad.values())}\n"
    with pytest.raises(LoadError) as caught:
        load(one_csv_job(tmp_path, "raw_seller", text))
    message = str(caught.value)
    assert message.startswith(f"data/raw_seller.csv row 2, column {column}: {value!r} is not a ")
    assert "\n" not in message


def test_a_text_longer_than_its_column_is_refused(tmp_path: Path) -> None:
    header = "brand_id,brand_name,country,founded_year,created_at\n"
    text = f"{header}1,{'x' * 101},DE,2000,2020-01-01 00:00:00\n"
    with pytest.raises(LoadError, match=r"row 1, column brand_name: a value of 101 characters, "
                                        r"longer than varchar\(100\)"):
        load(one_csv_job(tmp_path, "raw_brand", text))
    fits = "é" * 100  # 100 characters, 200 UTF-8 bytes: fits nvarchar(100)
    text = f"{header}1,{fits},DE,2000,2020-01-01 00:00:00\n"
    assert load(one_csv_job(tmp_path, "raw_brand", text)).calls[0]["rows"][0][1] == fits


def test_a_file_changed_since_the_manifest_is_refused(tmp_path: Path, csv_data: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(csv_data, data, symlinks=True)
    part = data / "current" / "raw_orders" / "part-00001.csv"
    content = part.read_bytes()
    part.unlink()  # the run folder's file may be a link into parts-of-N: replace, never edit
    part.write_bytes(content.replace(b",delivered,", b",cancelled,", 1))  # a data row
    with pytest.raises(LoadError, match=r"data/raw_orders/part-00001.csv: not the file the "):
        load(jobs(data)["raw_orders"])


def test_a_header_other_than_the_declared_columns_is_refused(tmp_path: Path) -> None:
    text = "brand_id,name,country,founded_year,created_at\n1,Zenix,DE,2000,2020-01-01 00:00:00\n"
    with pytest.raises(LoadError, match=r"data/raw_brand.csv: the header is brand_id,name,"):
        load(one_csv_job(tmp_path, "raw_brand", text))


def test_a_refused_bulk_copy_is_one_line(csv_data: Path) -> None:
    cursor = FakeCursor(fail=RuntimeError("Bulk Copy Error: something\nsecond line"))
    with pytest.raises(LoadError) as caught:
        load(jobs(csv_data)["raw_brand"], cursor=cursor)
    assert str(caught.value) == (
        "data/raw_brand.csv: SQL Server refused the bulk copy into "
        "[ecom_raw].[raw_brand__ecom_load] (Bulk Copy Error: something). Nothing was replaced.")


def test_bulk_table_name_is_bracketed_without_the_connections_database() -> None:
    assert sqlserver.bulk_table_name('"ecom_synth"."ecom_raw"."raw_x__ecom_load"', "ecom_synth") \
        == "[ecom_raw].[raw_x__ecom_load]"
    assert sqlserver.bulk_table_name('"other"."s"."t"', "ecom_synth") == "[other].[s].[t]"
    assert sqlserver.bulk_table_name('"db"."odd]name"."t""q"', "x") == '[db].[odd]]name].[t"q]'


def test_an_undeclarable_type_is_refused_by_name(tmp_path: Path) -> None:
    job = one_csv_job(tmp_path, "raw_brand", "brand_id\n1\n")
    odd = TableJob(job.seed, job.relation, ("brand_id",), {"brand_id": "geography"}, "csv",
                   job.files)
    with pytest.raises(LoadError, match="column brand_id is declared geography"):
        sqlserver.column_plan(odd)


# ------------------------------------------------------------------------------------ connect

LOCAL_PASSWORD = "Ecom_synth_2022"


def rendered_credentials(tmp_path: Path, **env: str) -> Any:
    """The sqlserver target's credentials as dbt renders profiles.yml.example with exactly `env`
    (the same rendering python -m seeds_gen load uses)."""
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    set_from_args(Namespace(), None)
    shutil.copy2(REPO_ROOT / "profiles.yml.example", tmp_path / "profiles.yml")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_MSSQL_", "DBT_TARGET"))}
    set_invocation_context({**clean, **env})
    try:
        profile = Profile.from_raw_profiles(read_profile(str(tmp_path)), "ecom_synth",
                                            ProfileRenderer({}), target_override="sqlserver")
        return profile.credentials
    finally:
        set_invocation_context(os.environ)


def test_a_local_server_gets_the_container_password_and_trusts_its_certificate(
    tmp_path: Path,
) -> None:
    text = sqlserver.connection_string(rendered_credentials(tmp_path))
    assert "SERVER=127.0.0.1,1433" in text and "Database=ecom_synth" in text
    assert LOCAL_PASSWORD in text and "UID=" in text
    assert "encrypt=yes" in text.lower() and "trustservercertificate=yes" in text.lower()


def test_a_remote_server_gets_only_the_given_password_and_verifies_its_certificate(
    tmp_path: Path,
) -> None:
    credentials = rendered_credentials(tmp_path, DBT_MSSQL_SERVER="db.example.invalid",
                                       DBT_MSSQL_PASSWORD="s3cret-Pass")
    text = sqlserver.connection_string(credentials)
    assert "SERVER=db.example.invalid,1433" in text
    assert "s3cret-Pass" in text and LOCAL_PASSWORD not in text
    assert "trustservercertificate=no" in text.lower() and "encrypt=yes" in text.lower()


def test_a_remote_server_without_the_password_variable_never_gets_a_connection_string(
    tmp_path: Path,
) -> None:
    from dbt_common.exceptions import DbtRuntimeError

    with pytest.raises(DbtRuntimeError, match="DBT_MSSQL_PASSWORD"):
        rendered_credentials(tmp_path, DBT_MSSQL_SERVER="db.example.invalid")


def test_a_profile_that_cannot_connect_is_one_line(tmp_path: Path) -> None:
    credentials = rendered_credentials(tmp_path)
    credentials.host = " "
    with pytest.raises(LoadError) as caught:
        sqlserver.connection_string(credentials)
    message = str(caught.value)
    assert message.startswith("cannot connect to SQL Server: The `host` profile field is required")
    assert "\n" not in message
