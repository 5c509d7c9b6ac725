"""Each model's properties live in one YAML file beside it, named after it (as jaffle-shop does).

Fast and offline: the files are read as YAML, no database and no dbt run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

MODELS = Path(__file__).resolve().parents[2] / "models"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _properties(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), LOADER) or {}


SQL = sorted(MODELS.rglob("*.sql"))
YML = sorted(MODELS.rglob("*.yml"))


def test_models_exist() -> None:
    assert SQL, f"no models under {MODELS}"


@pytest.mark.parametrize("sql", SQL, ids=lambda p: p.stem)
def test_every_model_has_a_properties_file_named_after_it(sql: Path) -> None:
    yml = sql.with_suffix(".yml")
    assert yml.is_file(), f"{sql.name} has no {yml.name} beside it"
    names = [m["name"] for m in _properties(yml).get("models") or []]
    assert names == [sql.stem], f"{yml.name} declares {names}, not just {sql.stem}"


@pytest.mark.parametrize("yml", YML, ids=lambda p: p.stem)
def test_every_properties_file_belongs_to_one_model(yml: Path) -> None:
    assert yml.with_suffix(".sql").is_file(), f"{yml.name} has no {yml.stem}.sql beside it"
    props = _properties(yml)
    assert [m["name"] for m in props.get("models") or []] == [yml.stem]
    assert set(props) <= {"version", "models", "unit_tests"}, f"{yml.name}: {sorted(props)}"
    strays = [u["name"] for u in props.get("unit_tests") or [] if u["model"] != yml.stem]
    assert not strays, f"{yml.name} holds unit tests of other models: {strays}"
