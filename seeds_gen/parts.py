"""Parts and chunks of the large tables: which keys each holds.

The large tables (customer, orders, order_item) are split by key ranges. A part is what one
process or one Spark task writes (`--parts N`, `--part K`); a chunk is the slice of orders the
generator holds in memory at once. Every row is a pure function of (seed, settings, its key), so
any split gives the same rows: parts and chunks only decide who computes which keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seeds_gen.config import ConfigError

LARGE_TABLES = ("customer", "orders", "order_item")
# Orders computed at once: about 1.3M order lines at the default 10 lines per order, a few
# hundred MB in DuckDB, so memory stays flat whatever the scale (a multiple of the line block).
CHUNK_ORDERS = 1 << 17
PART_DIGITS = 5
MAX_PARTS = 10**PART_DIGITS


@dataclass(frozen=True)
class KeyRange:
    """Keys first..last (inclusive); empty when last < first."""

    first: int
    last: int

    @property
    def size(self) -> int:
        return max(0, self.last - self.first + 1)


@dataclass(frozen=True)
class Part:
    """Part `index` (from 0) of `count` parts."""

    index: int
    count: int

    def keys(self, rows: int) -> KeyRange:
        """This part's share of keys 1..rows: contiguous, balanced to within one row."""
        return KeyRange(rows * self.index // self.count + 1,
                        rows * (self.index + 1) // self.count)

    @property
    def name(self) -> str:
        return f"part-{self.index:0{PART_DIGITS}d}"


WHOLE = Part(0, 1)


def all_parts(count: int) -> list[Part]:
    return [Part(k, count) for k in range(count)]


def chunks(keys: KeyRange, size: int = CHUNK_ORDERS) -> Iterator[KeyRange]:
    """Consecutive ranges of at most `size` keys covering `keys`, cut on multiples of `size`."""
    first = keys.first
    while first <= keys.last:
        last = min(keys.last, ((first - 1) // size + 1) * size)
        yield KeyRange(first, last)
        first = last + 1


def check_parts(count: int, index: int | None, counts: dict[str, int]) -> None:
    """--parts N and --part K, checked against the row counts they split."""
    if count < 1:
        raise ConfigError(f"--parts must be at least 1, got {count}; e.g. --parts 4")
    if count > MAX_PARTS - 1:
        raise ConfigError(f"--parts must be at most {MAX_PARTS - 1:,}, got {count:,}")
    if index is not None and not 0 <= index < count:
        raise ConfigError(
            f"--part must be between 0 and {count - 1} for --parts {count} (parts count from 0), "
            f"got {index}")
    for table in LARGE_TABLES:
        if counts[table] < count:
            raise ConfigError(
                f"--parts {count} is more parts than {table} has rows ({counts[table]:,}); "
                f"use at most --parts {min(counts[t] for t in LARGE_TABLES):,} or raise --scale")
