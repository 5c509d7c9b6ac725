"""What a run will cost this machine, checked before anything is written.

Memory: the reference data no longer grows in Python. brand and category are capped by their
vocabularies; seller, product, promotion and promotion_product are built set-based in DuckDB
(catalog.py) and live there, like the large tables, under generate.MEMORY_LIMIT, spilling to the
run's scratch folder beyond it: they cost disk, not memory. What still grows with a count is the
order stage's popularity tiers: basket.py lists every stride coprime with a tier's size and
hands the lists to DuckDB as SQL literals, so the cost per product depends on the count's
factors. Whole-process peak RSS at scale 0.02: 200,000 products 386 MB, 1,000,000 1,373 MB,
2,000,000 2,413 MB (round counts, few coprime strides: 1.0 to 1.3 KB a product); 1,000,003
products (scale 1) 1,994 MB (about 2 KB a product). MEMORY_PER_ROW rounds the uneven case up
and tests/generator/test_limits.py re-measures it.

Disk: bytes per CSV row measured on the default dataset, with room for longer keys at larger
scales, plus one chunk's scratch file (the large tables are written chunk by chunk, so nothing
spills in proportion to the data) and the catalogue as DuckDB holds it, which may spill. An
estimate, stated as such to the user.
"""

from __future__ import annotations

import os
from pathlib import Path

from seeds_gen.config import ConfigError

# Peak bytes of memory per row that a run adds, for the counts that still cost memory (measured,
# rounded up): every product costs the order stage 1.3 to 2 KB (see above).
MEMORY_PER_ROW = {"product": 3_000}
# Interpreter, Faker and DuckDB's own cap (generate.MEMORY_LIMIT, 1200 MB) come on top.
BASE_MEMORY = 1_500 * 2**20
# Below this the growth is never the limit: small runs are not refused on a busy machine.
SMALL_GROWTH = 64 * 2**20

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


def growing_memory_bytes(counts: dict[str, int]) -> int:
    return sum(counts[name] * cost for name, cost in MEMORY_PER_ROW.items())


def check_memory(counts: dict[str, int], available: int | None = None) -> None:
    """Refuse counts whose memory cannot fit on this machine (bad input: exit 2)."""
    needed = growing_memory_bytes(counts)
    if needed <= SMALL_GROWTH:
        return
    available = available_memory() if available is None else available
    if available is None:
        return
    room = max(0, available - BASE_MEMORY)
    if needed <= room:
        return
    table = max(MEMORY_PER_ROW, key=lambda name: counts[name] * MEMORY_PER_ROW[name])
    others = needed - counts[table] * MEMORY_PER_ROW[table]
    limit = max(0, (room - others) // MEMORY_PER_ROW[table])
    raise ConfigError(
        f"{table}={counts[table]:,} needs about {human(needed)} of memory for the order stage's "
        f"product tiers, more than the {human(room)} this machine has free for them; the limit "
        f"here is about {limit:,} {table} rows: lower --rows {table}"
    )


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
