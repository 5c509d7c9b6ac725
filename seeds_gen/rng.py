"""Counter-based random numbers: every value is a pure function of (seed, stream, row keys).

In DuckDB a value is `hash(seed, stream_id, key...)`, so the result does not depend on thread
count, vector order or chunking. A stream names one use, "table.column" (plus a suffix when a
column needs several draws), and is turned into a stable integer id. Small tables are built in
Python with `random.Random` seeded from the same (seed, stream) string, which is stable across
platforms and Python versions.
"""

from __future__ import annotations

import random
import zlib

# 2**53: doubles built from the top 53 bits are exact multiples of 2**-53 in [0, 1).
_TWO_53 = 9007199254740992


def stream_id(stream: str) -> int:
    """A stable 32-bit id for a stream name."""
    return zlib.crc32(stream.encode("utf-8"))


class SqlRng:
    """Builds DuckDB SQL expressions for random draws keyed by row columns."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def bits(self, stream: str, *keys: str) -> str:
        """A uniform UBIGINT from the stream and row keys (SQL expressions)."""
        args = ", ".join(f"({k})::BIGINT" for k in keys)
        return f"hash({self.seed}::BIGINT, {stream_id(stream)}::BIGINT, {args})"

    def below(self, n: int | str, stream: str, *keys: str) -> str:
        """A uniform integer in [0, n)."""
        return f"({self.bits(stream, *keys)} % ({n})::UBIGINT)::BIGINT"

    def unit(self, stream: str, *keys: str) -> str:
        """A uniform DOUBLE in [0, 1), exact multiples of 2**-53."""
        return f"(({self.bits(stream, *keys)} >> 11)::DOUBLE / {_TWO_53}.0)"


def python_rng(seed: int, stream: str) -> random.Random:
    """A Python RNG for one table or value pool, independent of every other stream."""
    return random.Random(f"{seed}:{stream}")
