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

from seeds_gen.config import GeneratorConfig
from seeds_gen.limits import (
    CSV_BYTES_PER_ROW,
    RUN_MEMORY,
    MemoryShortError,
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
def test_a_million_products_stay_far_below_the_memory_a_run_is_allowed(tmp_path: Path) -> None:
    """The catalogue lives in DuckDB under its cap, and an order's popularity tiers list at
    most a few hundred strides: a million products (an uneven count, with many coprime
    strides) cost a fraction of RUN_MEMORY."""
    peak = _peak_rss(tmp_path / "many", "--rows", "product=1000003", "--scale", "0.01")
    assert peak < RUN_MEMORY / 2, f"{peak / 2**20:.0f} MB"


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


def test_a_large_run_on_a_machine_short_of_memory_is_one_message() -> None:
    counts = GeneratorConfig(scale=10).row_counts()
    with pytest.raises(MemoryShortError, match=r"this run needs about 1\.8 GB of memory .* but "
                       r"only 512\.0 MB is free; free some memory and run again"):
        check_memory(counts, available=512 * 2**20)
    check_memory(counts, available=RUN_MEMORY)  # enough memory: accepted
    check_memory(GeneratorConfig().row_counts(), available=0)  # small runs are never refused
