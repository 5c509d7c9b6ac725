"""The limits of seeds_gen/limits.py stay true: measured costs are below the figures used."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
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
from seeds_gen.reference import build_reference
from seeds_gen.schema import MANIFEST_FILE

from .conftest import REPO

# The generator in a child process that reports its own peak RSS (bytes) on its last line.
_PEAK_RSS = """
import resource, sys
from seeds_gen.cli import main
status = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)
sys.exit(status)
"""


def _peak_rss(out: Path, *args: str) -> int:
    result = subprocess.run([sys.executable, "-c", _PEAK_RSS, "--out", str(out), "--quiet",
                             *args], cwd=REPO, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    return int(result.stderr.split()[-1])


@pytest.mark.slow
def test_each_product_costs_less_memory_than_the_limit_assumes(tmp_path: Path) -> None:
    """Whole-process peak RSS grows with the products by less than MEMORY_PER_ROW a product;
    an uneven count, whose popularity tiers have many coprime strides (limits.py)."""
    few, many = 50_000, 400_009
    small = _peak_rss(tmp_path / "few", "--rows", f"product={few}", "--scale", "0.01")
    large = _peak_rss(tmp_path / "many", "--rows", f"product={many}", "--scale", "0.01")
    per_row = (large - small) / (many - few)
    assert per_row < MEMORY_PER_ROW["product"], f"{per_row:.0f} bytes a product"


def test_python_side_of_the_reference_data_does_not_grow_with_the_counts() -> None:
    """Counts in the millions leave Python with the same few hundred KB: seller, product,
    promotion and promotion_product are DuckDB's (catalog.py), under its memory cap."""
    fake = Faker("en_US")
    peaks = []
    for rows in (1_000, 1_000_000):
        counts = GeneratorConfig(rows={"seller": rows, "product": rows, "promotion": rows,
                                       "promotion_product": rows}).row_counts()
        tracemalloc.start()
        try:
            build_reference(counts, dt.date(2024, 1, 1), dt.date(2026, 1, 1), 42, fake)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 2 * 2**20 and peaks[1] < peaks[0] * 1.5, peaks


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
    with pytest.raises(ConfigError, match=r"product=10,000,000 needs about 27\.9 GB of memory") \
            as raised:
        check_memory(counts, available=16 * 2**30)
    assert "the limit here is about" in str(raised.value)
    check_memory(counts, available=64 * 2**30)  # enough memory: accepted
    check_memory(GeneratorConfig().row_counts(), available=0)  # small runs are never refused
