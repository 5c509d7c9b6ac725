"""The limits of seeds_gen/limits.py stay true: measured costs are below the figures used."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest
from faker import Faker

from seeds_gen.config import ConfigError, GeneratorConfig
from seeds_gen.limits import (
    CSV_BYTES_PER_ROW,
    MEMORY_PER_ROW,
    check_memory,
    estimated_disk_bytes,
    estimated_output_bytes,
)
from seeds_gen.pools import build_pools
from seeds_gen.reference import build_reference
from seeds_gen.schema import MANIFEST_FILE

# One table grown well past the others, so the measured bytes are that table's.
GROWN = {
    "product": {"product": 20_000},
    "promotion": {"promotion": 5_000},
    "promotion_product": {"promotion": 20, "product": 1_000, "promotion_product": 20_000},
    "seller": {"seller": 1_000},
}


@pytest.mark.parametrize("table", GROWN)
def test_reference_tables_cost_less_memory_per_row_than_the_limit_assumes(table: str) -> None:
    fake = Faker("en_US")
    pools = build_pools(fake, 42)
    counts = GeneratorConfig(rows=GROWN[table]).row_counts()
    tracemalloc.start()
    try:
        ref = build_reference(counts, pools, dt.date(2024, 1, 1), dt.date(2026, 1, 1), 42, fake)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ref.product["product_id"]
    per_row = peak / counts[table]
    # Python objects only: the figure used also covers the allocator and the DuckDB handover.
    assert per_row * 1.2 < MEMORY_PER_ROW[table], f"{table}: {per_row:.0f} bytes a row"


def test_disk_estimate_covers_the_default_dataset_without_doubling_it(
        default_dataset: Path) -> None:
    manifest = json.loads((default_dataset / MANIFEST_FILE).read_text())
    actual = sum(entry["bytes"] for entry in manifest["tables"].values())
    counts = {table: entry["rows"] for table, entry in manifest["tables"].items()}
    assert set(counts) == set(CSV_BYTES_PER_ROW)
    assert actual < estimated_output_bytes(counts) < 2 * actual
    assert estimated_disk_bytes(counts) >= estimated_output_bytes(counts)


def test_too_many_products_for_the_memory_is_one_message_stating_the_limit() -> None:
    counts = GeneratorConfig(rows={"product": 10_000_000}).row_counts()
    with pytest.raises(ConfigError, match=r"product=10,000,000 needs about 6\.5 GB of memory") \
            as raised:
        check_memory(counts, available=4 * 2**30)
    assert "the limit here is about" in str(raised.value)
    check_memory(counts, available=64 * 2**30)  # enough memory: accepted
    check_memory(GeneratorConfig().row_counts(), available=0)  # small runs are never refused
