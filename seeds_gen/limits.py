"""What a run will cost this machine, checked before anything is written.

Memory: nothing grows with the counts any more. brand and category are capped by their
vocabularies; the catalogue (seller, product, promotion, promotion_product) and the large tables
live in DuckDB under DUCKDB_MEMORY (1 GB), spilling to the run's scratch folder beyond
it, and the large tables pass through a few chunks at a time. Whole-process peak RSS measured
at scale 0.02: 1,000,003 products 584 MB, 4,000,000 1,429 MB, 10,000,000 1,560 MB (DuckDB at its
cap); scale 100 in Parquet 1,436 MB. A run needs RUN_MEMORY free, whatever its size.

Disk: bytes per CSV row measured on the default dataset, with room for longer keys at larger
scales, plus one chunk's scratch file (the large tables are written chunk by chunk, so nothing
spills in proportion to the data) and the catalogue as DuckDB holds it, which may spill. An
estimate, stated as such to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

# What a large run may hold at its peak (measured up to 1.56 GB, above), and what a run is
# "small" below: a small run is never refused on a busy machine.
RUN_MEMORY = 1_800 * 2**20
# DuckDB's own memory cap for a run (generate.py): beyond it, it spills to the run's scratch.
DUCKDB_MEMORY = 1_000 * 2**20
SMALL_OUTPUT = 256 * 2**20

# CSV bytes per row: the default dataset's figure (brand 47, category 42, seller 126, customer
# 110, product 101, promotion 68, promotion_product 6, orders 135, order_item 37) plus ~30%
# for keys with more digits at larger scales. Parquet runs use the same figure, a safe upper
# bound: their files are ~27% of the CSVs' size (measured at scales 1 and 10).
CSV_BYTES_PER_ROW = {"brand": 60, "category": 60, "seller": 170, "customer": 145,
                     "product": 135, "promotion": 90, "promotion_product": 24, "orders": 175,
                     "order_item": 50}
# One chunk of order lines as a scratch CSV before it is appended (parts.CHUNK_ORDERS orders,
# ~1.3M lines of ~40 bytes), with room for DuckDB's own temporary files.
CHUNK_SCRATCH = 256 * 2**20
# The catalogue tables as DuckDB holds them (measured at 1,000,000 rows each: seller 167,
# product 134, promotion 77, promotion_product 14 bytes a row, rounded up): beyond DuckDB's
# memory cap they spill to the run's scratch folder, on the output's disk.
STAGED_BYTES_PER_ROW = {"seller": 200, "product": 160, "promotion": 100,
                        "promotion_product": 20}
# Room for the row-count file, the manifest and filesystem rounding.
DISK_MARGIN = 64 * 1024


class DiskSpaceError(OSError):
    """Not enough free disk for the estimated output: an environment problem (exit 1)."""


class MemoryShortError(OSError):
    """Not enough free memory for a large run: an environment problem (exit 1)."""


def human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if abs(size) < 1024 or unit == "PB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} PB"  # pragma: no cover


def available_memory() -> int | None:
    """Bytes this process may still allocate: MemAvailable, capped by a cgroup limit."""
    available: int | None = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            available = None
    for limit_file, usage_file in (
            ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
             "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            limit = Path(limit_file).read_text().strip()
            usage = int(Path(usage_file).read_text().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 2**60:
            room = max(0, int(limit) - usage)
            available = room if available is None else min(available, room)
        break
    return available


def check_memory(counts: dict[str, int], available: int | None = None) -> None:
    """Refuse a large run on a machine without RUN_MEMORY free (an environment problem)."""
    if estimated_output_bytes(counts) <= SMALL_OUTPUT:
        return
    available = available_memory() if available is None else available
    if available is None or available >= RUN_MEMORY:
        return
    raise MemoryShortError(
        f"this run needs about {human(RUN_MEMORY)} of memory (DuckDB works under a "
        f"{human(DUCKDB_MEMORY)} cap and spills beyond it) but only {human(available)} is free; "
        "free some memory and run again")


def estimated_output_bytes(counts: dict[str, int]) -> int:
    return sum(counts[name] * cost for name, cost in CSV_BYTES_PER_ROW.items())


def estimated_disk_bytes(counts: dict[str, int]) -> int:
    """Peak bytes a run puts on the output's disk: the files, one chunk's scratch and the
    catalogue where DuckDB spills it."""
    output = estimated_output_bytes(counts)
    scratch = CHUNK_SCRATCH if output > CHUNK_SCRATCH else 0  # one chunk needs none
    staged = sum(counts[name] * cost for name, cost in STAGED_BYTES_PER_ROW.items())
    return output + output // 10 + scratch + staged + DISK_MARGIN


def free_disk_bytes(out: Path) -> int | None:
    """Free bytes (for an unprivileged user) on the disk that holds, or will hold, `out`."""
    probe = out.absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        stats = os.statvfs(probe)
    except OSError:
        return None
    if stats.f_blocks == 0:  # a pseudo filesystem (/proc): writing there fails on its own
        return None
    return stats.f_bavail * stats.f_frsize


def check_disk(out: Path, counts: dict[str, int]) -> None:
    needed = estimated_disk_bytes(counts)
    free = free_disk_bytes(out)
    if free is not None and needed > free:
        raise DiskSpaceError(
            f"this run needs about {human(needed)} of disk space in {out} but only "
            f"{human(free)} is free; free some space, lower --scale or --rows, or choose "
            "another --out"
        )
