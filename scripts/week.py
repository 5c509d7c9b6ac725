"""A week of the shop: generate the shop as of the end of each of 7 days, `dbt build` and
`dbt snapshot` after each, print what changed, then the life of a few orders across the week.

    python scripts/week.py [--target duckdb] [--end 2026-01-01] [-- generator options]

Day d is the end of day d of the window's last week (--end is the window's end, exclusive, as
the generator's --end). What changed comes from `ecom_synth_build_state`, where each build
records per table the rows it inserted and updated; the history from the snapshots.
`make week` runs it from the repository root.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from dbt.cli.main import dbtRunner

TABLES = (
    "brand", "category", "seller", "customer", "product", "promotion", "promotion_product",
    "orders", "order_item",
)

STATE_SQL = """
select table_name, built, as_of, rows_inserted, rows_updated
from {{ target.schema }}.ecom_synth_build_state
"""

# The orders that changed most during the week, each version with the instant it began.
HISTORY_SQL = """
select h.order_id, h.status, h.dbt_valid_from, h.dbt_valid_to
from {{ target.schema }}_snapshots.order_status_history as h
inner join (
    select order_id
    from {{ target.schema }}_snapshots.order_status_history
    where dbt_valid_from > '%(since)s'
    group by order_id
    order by count(*) desc, order_id desc
    limit %(orders)d
) as busiest
    on busiest.order_id = h.order_id
order by h.order_id, h.dbt_valid_from
"""


class Dbt:
    """dbt in this process, with the project's `ecom_synth:` lines collected per command."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.lines: list[str] = []
        self.runner = dbtRunner(callbacks=[self._collect])

    def _collect(self, event: Any) -> None:
        message = getattr(event.info, "msg", "")
        if isinstance(message, str) and message.startswith("ecom_synth:"):
            self.lines.append(message)

    def __call__(self, *args: str) -> Any:
        self.lines = []
        result = self.runner.invoke(
            [*args, "--target", self.target, "--profiles-dir", ".", "--log-level", "none"]
        )
        if not result.success:
            why = result.exception or "see logs/dbt.log"
            raise SystemExit(f"dbt {' '.join(args)} failed: {why}")
        return result

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        result = self("show", "--inline", sql, "--limit", "1000")
        table = result.result.results[0].agate_table
        return [tuple(row) for row in table.rows]


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="duckdb", help="dbt target (default duckdb)")
    parser.add_argument(
        "--end", type=date.fromisoformat, default=date(2026, 1, 1),
        help="the order window's end, exclusive (the generator's --end; default 2026-01-01)",
    )
    parser.add_argument("--orders", type=int, default=3, help="orders whose life to show")
    args, generator_options = parser.parse_known_args(argv)
    return args, [o for o in generator_options if o != "--"]


def main(argv: Sequence[str]) -> int:
    args, generator_options = parse_args(argv)
    dbt = Dbt(args.target)
    days = [args.end - timedelta(days=8 - d) for d in range(1, 8)]
    # the week starts before what the snapshots may hold (e.g. the whole window): start afresh
    dbt("run-operation", "reset_snapshot_history")
    for line in dbt.lines:
        print(line)
    for number, day in enumerate(days, start=1):
        as_of = f"{day.isoformat()} 23:59:59"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "seeds_gen", "--as-of", as_of, "--quiet", *generator_options],
            check=True,
        )
        generated = time.monotonic() - started
        dbt("build")
        said = [line for line in dbt.lines if "in full" in line or "in place" in line]
        built = time.monotonic() - started - generated
        dbt("snapshot")
        snapshotted = time.monotonic() - started - generated - built
        state = {row[0]: row for row in dbt.query(STATE_SQL)}
        print(f"\nday {number}: as of {as_of}  (generate {generated:.1f} s, dbt build "
              f"{built:.1f} s, dbt snapshot {snapshotted:.1f} s)")
        for line in said:
            print(f"  {line}")
        print(f"  {'table':<18} {'build':<12} {'inserted':>10} {'updated':>10}")
        for table in TABLES:
            if table in state:
                _, kind, _, inserted, updated = state[table]
                print(f"  {table:<18} {kind:<12} {int(inserted):>10,} {int(updated):>10,}")

    since = f"{days[0].isoformat()} 00:00:00"
    history = dbt.query(HISTORY_SQL % {"since": since, "orders": args.orders})
    print(f"\nThe life of the {args.orders} orders that changed most this week "
          "(order_status_history):")
    print(f"  {'order_id':>9}  {'status':<10} {'valid from':<20} valid to")
    for order_id, status, valid_from, valid_to in history:
        print(f"  {int(order_id):>9}  {status:<10} {str(valid_from)[:19]:<20} "
              f"{'' if valid_to is None else str(valid_to)[:19]}".rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
