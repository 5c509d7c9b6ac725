"""Each column's type is stated once, in seeds_gen/schema.py: the dbt YAML's type lines and
macros/schema.sql are written from it (scripts/dbt_schema.py, `make dbt-schema`), the
models cast through schema_columns (macros/typed_columns.sql), and dbt_project.yml spells each
logical type per target."""

from __future__ import annotations

import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml

from scripts import dbt_schema
from seeds_gen.schema import DUCKDB_TYPES, TABLES, LogicalType

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_files_are_what_schema_py_writes() -> None:
    stale = [str(path.relative_to(REPO)) for path, (now, then) in dbt_schema.written(REPO).items()
             if now != then]
    assert not stale, f"run `make dbt-schema`: {stale}"
    assert len(dbt_schema.written(REPO)) == len(TABLES) + 2  # the models, the seeds, the macro
    check = subprocess.run([sys.executable, "-m", "scripts.dbt_schema", "--check"], cwd=REPO,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def _copy(tmp_path: Path) -> Path:
    for part in (dbt_schema.MODELS, dbt_schema.SEEDS, dbt_schema.SCHEMA_MACRO):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, tmp_path / part)
    return tmp_path


def test_a_hand_edited_type_is_written_back_from_schema_py(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    brand = root / dbt_schema.MODELS / "brand.yml"
    brand.write_text(brand.read_text().replace("].text }}(100)", "].text }}(90)"))
    seeds = root / dbt_schema.SEEDS
    seeds.write_text(seeds.read_text().replace("sku: varchar(32)", "sku: varchar(30)"))
    seller = root / dbt_schema.MODELS / "seller.yml"
    seller.write_text(seller.read_text().replace("'mall', ", "").replace('"mall", ', ""))
    macro = root / dbt_schema.SCHEMA_MACRO
    macro.write_text(macro.read_text().replace("['sku', 'text', 32]", "['sku', 'text', 30]"))
    files = dbt_schema.written(root)
    assert {path.name for path, (now, then) in files.items() if now != then} == \
        {"brand.yml", "seller.yml", "_raw__seeds.yml", "schema.sql"}
    assert "].text }}(100)" in files[brand][1] and "sku: varchar(32)" in files[seeds][1]
    assert "['sku', 'text', 32]" in files[macro][1]
    assert files[seller][1] == (REPO / dbt_schema.MODELS / "seller.yml").read_text()


def test_a_column_the_schema_lacks_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    brand = root / dbt_schema.MODELS / "brand.yml"
    brand.write_text(brand.read_text().replace("- name: country", "- name: origin"))
    with pytest.raises(dbt_schema.DbtSchemaError, match=r"brand\.yml:\d+: data_type of 'origin'"):
        dbt_schema.written(root)


def test_a_vocabulary_the_schema_lacks_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    brand = root / dbt_schema.MODELS / "brand.yml"
    brand.write_text(brand.read_text().replace(
        "      - name: country\n", "      - name: country\n        values: [\"x\"]\n"))
    with pytest.raises(dbt_schema.DbtSchemaError, match="values for country, which has no vocab"):
        dbt_schema.written(root)


def test_the_types_var_spells_every_logical_type_on_every_target() -> None:
    types = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]["column_types"]
    logical = set(typing.get_args(LogicalType))
    assert {target: set(spelled) for target, spelled in types.items()} == \
        {target: logical for target in ("duckdb", "postgres", "sqlserver", "mysql")}
    # DuckDB's spelling is the generator's (the Parquet files' types)
    assert types["duckdb"] == {t: spelled.lower() for t, spelled in DUCKDB_TYPES.items()}


@pytest.mark.parametrize("model", [t.name for t in TABLES])
def test_a_model_casts_through_the_schema(model: str) -> None:
    sql = (REPO / dbt_schema.MODELS / f"{model}.sql").read_text()
    assert "{{ ecom_synth.typed_columns() }}" in sql
    assert "cast(" not in sql
