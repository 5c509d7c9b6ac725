"""The ERD (assets/erd.svg, docs/erd.dbml, docs/erd.mmd) stays in step with the models' contracts.

Fast and offline: the YAML is read as files, no database and no dbt run.
"""

from __future__ import annotations

import copy
import functools
import importlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `make test` runs from the root; a bare `pytest` may not
    sys.path.insert(0, str(REPO))
erd = importlib.import_module("scripts.erd")
contracts = importlib.import_module("scripts.erd.contracts")
layout = importlib.import_module("scripts.erd.layout")
svg = importlib.import_module("scripts.erd.svg")
dbml = importlib.import_module("scripts.erd.dbml")
mermaid = importlib.import_module("scripts.erd.mermaid")

NS = {"svg": "http://www.w3.org/2000/svg"}
KEY_KINDS = ("primary_key", "unique", "foreign_key")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _models() -> list[dict[str, Any]]:
    """The model entries of the YAML, a fresh copy for each test to change."""
    return copy.deepcopy(_parsed_models())


@functools.cache
def _parsed_models() -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = []
    for path in sorted((REPO / "models").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        models += (yaml.load(text, LOADER) or {}).get("models") or []
    return [m for m in models if m.get("columns")]


def _project_vars() -> dict[str, Any]:
    vars_: dict[str, Any]
    vars_ = yaml.load((REPO / "dbt_project.yml").read_text(encoding="utf-8"), LOADER)["vars"]
    return vars_


def _declared_references(models: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column), read here without the ERD's reader:
    foreign keys at model or column level, and keys a post-hook adds to the model's own table."""
    found = set()
    for model in models:
        declared = [(c, c.get("columns") or []) for c in model.get("constraints") or []]
        declared += [
            (c, [col["name"]]) for col in model["columns"] for c in col.get("constraints") or []
        ]
        for constraint, columns in declared:
            if constraint.get("type") != "foreign_key":
                continue
            if constraint.get("to"):  # to: ref('brand'), to_columns: [brand_id]
                to = re.search(r"ref\('(\w+)'\)", constraint["to"]).group(1)  # type: ignore[union-attr]
                to_column = constraint["to_columns"][0]
            else:  # expression: "brand (brand_id)"
                to, to_column = re.findall(r"(\w+) *\((\w+)", constraint["expression"])[0]
            found.add((model["name"], columns[0], to, to_column))
        hooks = (model.get("config") or {}).get("post_hook") or []
        for hook in [hooks] if isinstance(hooks, str) else hooks:
            call = re.search(r"add_self_referencing_foreign_key\('\w+', '(\w+)', '(\w+)'\)", hook)
            if call:
                found.add((model["name"], call.group(1), model["name"], call.group(2)))
    return found


def _svg_references(text: str) -> set[tuple[str, str, str, str]]:
    root = ET.fromstring(text)
    found = set()
    for title in root.iterfind(".//svg:path/svg:title", NS):
        source, target = (title.text or "").split(" \u2192 ")
        (table, column), (ref_table, ref_column) = source.split("."), target.split(".")
        found.add((table, column, ref_table, ref_column))
    return found


def test_committed_erd_files_are_what_the_contracts_give() -> None:
    for path, text in erd.render(REPO).items():
        committed = (REPO / path).read_text(encoding="utf-8") if (REPO / path).exists() else None
        assert committed == text, f"{path} is out of step with the contracts: run `make erd`"


def test_every_declared_foreign_key_is_an_edge_in_each_format() -> None:
    references = _declared_references(_models())
    assert ("category", "parent_category_id", "category", "category_id") in references
    outputs = erd.render(REPO)
    assert _svg_references(outputs[erd.SVG]) == references
    dbml_refs = set(
        re.findall(r"^Ref \w+: (\w+)\.(\w+) > (\w+)\.(\w+)$", outputs[erd.DBML], re.MULTILINE)
    )
    assert dbml_refs == references
    mermaid_edges = set(
        re.findall(r'^    (\w+) \S+ (\w+) : "(\w+)"$', outputs[erd.MERMAID], re.MULTILINE)
    )
    assert mermaid_edges == {(to, table, column) for table, column, to, _ in references}


def test_every_column_appears_in_its_table_box_with_its_type() -> None:
    root = ET.fromstring(erd.render(REPO)[erd.SVG])
    render_type = contracts._type_renderer(_project_vars())
    for model in _models():
        box = root.find(f".//svg:g[@id='table-{model['name']}']", NS)
        assert box is not None, f"no box for {model['name']}"
        texts = [t.text for t in box.iterfind("svg:text", NS)]
        for column in model["columns"]:
            i = texts.index(column["name"])
            assert texts[i + 1] == render_type(column["data_type"]), (model["name"], column)


def test_types_are_spelled_as_the_chosen_target_spells_them() -> None:
    schema = erd.contracts.read_schema(REPO)
    assert schema.table("orders").column("total_amount").data_type == "decimal(12,2)"
    assert schema.table("brand").column("brand_name").data_type == "varchar(100)"


def _moved(models: list[dict[str, Any]], to_column_level: bool) -> list[dict[str, Any]]:
    """The same contracts with every single-column key at column level, or all at model level."""
    models = copy.deepcopy(models)
    for model in models:
        columns = {c["name"]: c for c in model["columns"]}
        if to_column_level:
            kept = []
            for constraint in model.get("constraints") or []:
                names = constraint.get("columns") or []
                if constraint["type"] in KEY_KINDS and len(names) == 1:
                    moved = {k: v for k, v in constraint.items() if k != "columns"}
                    columns[names[0]].setdefault("constraints", []).append(moved)
                else:
                    kept.append(constraint)
            model["constraints"] = kept
        else:
            for column in model["columns"]:
                keys = [c for c in column.get("constraints") or [] if c["type"] in KEY_KINDS]
                column["constraints"] = [
                    c for c in column.get("constraints") or [] if c["type"] not in KEY_KINDS
                ]
                model.setdefault("constraints", []).extend(
                    {**c, "columns": [column["name"]]} for c in keys
                )
    return models


def test_keys_read_the_same_at_model_level_and_at_column_level() -> None:
    models, project_vars = _models(), _project_vars()
    column_level = _moved(models, to_column_level=True)
    model_level = _moved(models, to_column_level=False)
    assert column_level != model_level  # the forms really differ
    expected = contracts.schema_of(models, project_vars)
    assert contracts.schema_of(column_level, project_vars) == expected
    assert contracts.schema_of(model_level, project_vars) == expected


def test_a_self_reference_reads_the_same_from_the_contract_as_from_the_post_hook() -> None:
    models, project_vars = _models(), _project_vars()
    in_contract = copy.deepcopy(models)
    category = next(m for m in in_contract if m["name"] == "category")
    (category.get("config") or {}).pop("post_hook", None)
    category["constraints"] = [
        c for c in category.get("constraints") or [] if c["type"] != "foreign_key"
    ]
    parent = next(c for c in category["columns"] if c["name"] == "parent_category_id")
    parent["constraints"] = [
        c for c in parent.get("constraints") or [] if c["type"] != "foreign_key"
    ]
    without = contracts.schema_of(in_contract, project_vars)
    assert without.table("category").foreign_keys == ()
    parent.setdefault("constraints", []).append(
        {
            "type": "foreign_key",
            "name": "category_parent_category_id_fkey",
            "to": "ref('category')",
            "to_columns": ["category_id"],
        }
    )
    assert contracts.schema_of(in_contract, project_vars) == contracts.schema_of(
        models, project_vars
    )


def test_a_primary_key_column_is_not_null_without_a_not_null_constraint() -> None:
    models, project_vars = _models(), _project_vars()
    brand_id = next(m for m in models if m["name"] == "brand")["columns"][0]
    brand_id["constraints"] = [
        c for c in brand_id.get("constraints") or [] if c["type"] != "not_null"
    ]
    schema = contracts.schema_of(models, project_vars)
    assert schema.table("brand").column("brand_id").not_null
    assert schema == contracts.schema_of(_models(), project_vars)


def test_a_data_type_the_reader_cannot_render_names_its_column() -> None:
    models = _models()
    next(m for m in models if m["name"] == "brand")["columns"][1]["data_type"] = (
        "{{ var('column_types')[target.type].txt }}(100)"
    )
    with pytest.raises(contracts.ContractError, match="model brand, column brand_name"):
        contracts.schema_of(models, _project_vars())


def _with_reviews(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A new table with column-level references to product and customer, and a new brand column."""
    models = copy.deepcopy(models)
    brand = next(m for m in models if m["name"] == "brand")
    brand["columns"].append(
        {"name": "website", "data_type": "{{ var('column_types')[target.type].text }}(200)"}
    )
    key = "{{ var('column_types')[target.type].int }}"
    models.append(
        {
            "name": "review",
            "columns": [
                {
                    "name": "review_id",
                    "data_type": key,
                    "constraints": [{"type": "primary_key", "name": "review_pkey"}],
                },
                {
                    "name": "product_id",
                    "data_type": key,
                    "constraints": [
                        {"type": "not_null"},
                        {
                            "type": "foreign_key",
                            "to": "ref('product')",
                            "to_columns": ["product_id"],
                        },
                    ],
                },
                {
                    "name": "customer_id",
                    "data_type": "{{ var('column_types')[target.type].bigint }}",
                    "constraints": [
                        {
                            "type": "foreign_key",
                            "name": "review_customer_id_fkey",
                            "to": "ref('customer')",
                            "to_columns": ["customer_id"],
                        }
                    ],
                },
            ],
        }
    )
    return models


def test_a_changed_contract_shows_in_every_format() -> None:
    schema = contracts.schema_of(_with_reviews(_models()), _project_vars())
    picture = svg.render_svg(layout.lay_out(schema), "t", "g")
    root = ET.fromstring(picture)
    review = root.find(".//svg:g[@id='table-review']", NS)
    assert review is not None
    assert [t.text for t in review.iterfind("svg:text", NS)][:3] == ["review", "PK", "review_id"]
    brand = root.find(".//svg:g[@id='table-brand']", NS)
    assert "website" in [t.text for t in brand.iterfind("svg:text", NS)]  # type: ignore[union-attr]
    assert {
        ("review", "product_id", "product", "product_id"),
        ("review", "customer_id", "customer", "customer_id"),
    } <= _svg_references(picture)
    assert (
        "Ref review_customer_id_fkey: review.customer_id > customer.customer_id"
        in dbml.render_dbml(schema, "g")
    )
    assert 'customer ||--o{ review : "customer_id"' not in mermaid.render_mermaid(schema, "g")
    assert 'customer |o--o{ review : "customer_id"' in mermaid.render_mermaid(schema, "g")


def _points(curve: Any, steps: int = 40) -> list[tuple[float, float]]:
    (x0, y0), segments = curve
    points = []
    for (x1, y1), (x2, y2), (x3, y3) in segments:
        for i in range(steps + 1):
            t = i / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            points.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
        x0, y0 = x3, y3
    return points


@pytest.mark.parametrize("variant", ["as committed", "with a table two columns from its parent"])
def test_boxes_do_not_overlap_and_edges_pass_between_them(variant: str) -> None:
    models = _models() if variant == "as committed" else _with_reviews(_models())
    drawn = layout.lay_out(contracts.schema_of(models, _project_vars()))
    boxes = drawn.boxes
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.right <= drawn.width and a.y >= 0 and a.y + a.height <= drawn.height
        for b in boxes[i + 1 :]:
            apart = (
                a.right <= b.x or b.right <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
            )
            assert apart, f"{a.table.name} overlaps {b.table.name}"
    for edge in drawn.edges:
        for x, y in _points(edge.curve):
            for box in boxes:
                inside = box.x + 1 < x < box.right - 1 and box.y + 1 < y < box.y + box.height - 1
                assert not inside, (
                    f"{edge.table} -> {edge.foreign_key.ref_table} crosses {box.table.name}"
                )


def test_a_reference_to_a_table_that_is_not_a_model_says_so() -> None:
    models = _with_reviews(_models())
    review = next(m for m in models if m["name"] == "review")
    review["columns"][1]["constraints"][1]["to"] = "ref('products')"
    with pytest.raises(contracts.ContractError, match="references products"):
        contracts.schema_of(models, _project_vars())
