"""The shop in time (DATA_SPEC "Time", rules 6, 7 and 9): when each order's steps happen, what
an order looks like as of an instant, when the warehouse restocks, and which keys exist at an
as-of instant.

The world fixes every instant: an order is paid, shipped, delivered, cancelled or returned at
instants drawn from its own key, whatever the as-of. A dataset as of T shows the steps whose
instant is at or before T, so an order's status only moves forward from one as-of to the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from seeds_gen.rng import SqlRng
from seeds_gen.schema import ORDER_STATUSES

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
# Orders that are cancelled (per mille): half of them while pending (the payment never comes),
# half after payment and before shipping (refunded). None is cancelled once shipped.
CANCEL_PER_MILLE = 40
# Delivered orders that come back (per mille), within RETURN_WINDOW of delivery.
RETURN_PER_MILLE = 50
RETURN_WINDOW_SECONDS = 30 * 86_400
# The warehouse receives, at the start of every RESTOCK_DAYS period from the window's start,
# the units the period's orders will take, so stock never goes below what it held before.
RESTOCK_DAYS = 7
# The longest an order lives after it is placed: payment (<= 49 h), shipping (<= 96 h),
# delivery (<= 8 days) and a return (<= 30 days 1 h). A change set looks this far back.
MAX_ORDER_LIFE_SECONDS = 176_400 + 345_600 + 691_200 + 3_600 + RETURN_WINDOW_SECONDS


def sql_timestamp(instant: dt.datetime) -> str:
    return f"timestamp '{instant.strftime(TIMESTAMP_FORMAT)}'"


def order_steps_sql(rng: SqlRng) -> str:
    """SELECT-list expressions of an order's step instants in the world, from its order_id and
    ordered_at: paid_w, shipped_w, delivered_w, cancelled_w, returned_w, NULL for a step that
    never happens. Strictly increasing for one order (rule 6), so no two changes of an order
    share an instant."""
    paid = f"""ordered_at + to_seconds(case
                when {rng.below(10, 'orders.pay_slow', 'order_id')} = 0
                    then 3600 + {rng.below(172_800, 'orders.pay_delay', 'order_id')}
                else 60 + {rng.below(7_200, 'orders.pay_delay', 'order_id')} end)"""
    shipped = (f"({paid}) + to_seconds(14_400 + "
               f"{rng.below(331_200, 'orders.ship_delay', 'order_id')})")
    delivered = (f"({shipped}) + to_seconds(86_400 + "
                 f"{rng.below(604_800, 'orders.delivery_delay', 'order_id')})")
    cancel_roll = rng.below(1000, "orders.cancel", "order_id")
    cancel_instant = rng.bits("orders.cancel_at", "order_id")
    # Cancelled while pending: between ordering and the payment that then never comes;
    # after payment: between payment and the shipping that then never comes.
    cancelled = f"""case
            when {cancel_roll} >= {CANCEL_PER_MILLE} then NULL
            when {cancel_roll} % 2 = 0 then ({paid}) + to_seconds(1 + ({cancel_instant}
                % (date_diff('second', ({paid}), ({shipped})) - 1)::UBIGINT)::BIGINT)
            else ordered_at + to_seconds(1 + ({cancel_instant}
                % (date_diff('second', ordered_at, ({paid})) - 1)::UBIGINT)::BIGINT)
        end"""
    kept = f"{cancel_roll} >= {CANCEL_PER_MILLE}"
    returned = f"""case when {kept} and {rng.below(1000, 'orders.return', 'order_id')}
                            < {RETURN_PER_MILLE}
            then ({delivered}) + to_seconds(3600 + {rng.below(RETURN_WINDOW_SECONDS,
                                                             'orders.return_at', 'order_id')})
        end"""
    return f"""
        case when {kept} or {cancel_roll} % 2 = 0 then {paid} end as paid_w,
        case when {kept} then {shipped} end as shipped_w,
        case when {kept} then {delivered} end as delivered_w,
        {cancelled} as cancelled_w,
        {returned} as returned_w"""


# An order is pending until its first step; each later status is the step that sets it
# (schema.ORDER_STATUSES, in the order the steps happen).
PENDING, ORDER_STEPS = ORDER_STATUSES[0], ORDER_STATUSES[1:]


def order_state_sql(at: str, prefix: str = "") -> str:
    """SELECT-list expressions of an order as of the instant `at` (a SQL expression): status,
    the step timestamps that happened by then, and updated_at, its latest step (rule 6).
    Reads the columns ordered_at and <step>_w (order_steps_sql) of `prefix`."""
    steps = {step: f"case when {prefix}{step}_w <= {at} then {prefix}{step}_w end"
             for step in ORDER_STEPS}
    status = " ".join(f"when {prefix}{step}_w <= {at} then '{step}'"
                      for step in ("cancelled", "returned", "delivered", "shipped", "paid"))
    latest = ", ".join(f"coalesce({steps[step]}, {prefix}ordered_at)" for step in ORDER_STEPS)
    return (f"case {status} else '{PENDING}' end as status, "
            + ", ".join(f"{sql} as {step}_at" for step, sql in steps.items())
            + f", greatest({prefix}ordered_at, {latest}) as updated_at")


def restock_start_sql(start: dt.date, instant: str) -> str:
    """The restock at or before `instant`: the start of its RESTOCK_DAYS period."""
    return (f"(timestamp '{start.isoformat()} 00:00:00' + to_days({RESTOCK_DAYS} * "
            f"(date_diff('day', date '{start.isoformat()}', ({instant})::DATE) "
            f"// {RESTOCK_DAYS})::INTEGER))")


def restock_period_end(start: dt.date, instant: dt.datetime) -> dt.datetime:
    """The end (exclusive) of the restock period holding `instant`."""
    days = (instant.date() - start).days // RESTOCK_DAYS * RESTOCK_DAYS + RESTOCK_DAYS
    return dt.datetime.combine(start, dt.time()) + dt.timedelta(days=days)


@dataclass(frozen=True)
class Since:
    """The start T0 of a change set (T0, as-of]: the keys that existed at T0, and the first
    order that may still change after it (placed at most MAX_ORDER_LIFE_SECONDS before T0)."""

    instant: dt.datetime
    customers: int
    orders: int
    first_changing_order: int

    @property
    def instant_sql(self) -> str:
        return sql_timestamp(self.instant)


@dataclass(frozen=True)
class Cut:
    """Which keys exist as of an instant: ids follow time, so each table's rows at the as-of are
    a prefix of its keys. `restocked_orders` also counts the orders after the as-of whose units
    the as-of's restock period has already received (rule 7: stock never goes below zero)."""

    as_of: dt.datetime
    customers: int
    orders: int
    restocked_orders: int
    since: Since | None = None

    @property
    def as_of_sql(self) -> str:
        return sql_timestamp(self.as_of)

    @property
    def as_of_text(self) -> str:
        return self.as_of.strftime(TIMESTAMP_FORMAT)


def count_at_or_before(con: duckdb.DuckDBPyConnection, instant_of: Callable[[str], str],
                       keys: int, instant: dt.datetime) -> int:
    """How many of keys 1..keys have `instant_of(key)` at or before `instant`, for an instant
    that never decreases with the key: a binary search, evaluating the very expression that
    dates the rows (about 30 one-row queries)."""
    low, high = 0, keys  # keys 1..low are at or before; keys above high are after
    while low < high:
        middle = (low + high + 1) // 2
        row = con.execute(f"select ({instant_of(f'{middle}::BIGINT')}) <= "
                          f"{sql_timestamp(instant)}").fetchone()
        if row and row[0]:
            low = middle
        else:
            high = middle - 1
    return low
