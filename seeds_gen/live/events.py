"""Business events from a change set: the change rows of one instant, grouped the way a shop's
backend commits them (one transaction each).

The change files list each row once per instant with its value after that instant; an event
carries the rows it writes (customer, orders, order_item: as the change file has them) and the
stock it moves, as the application would say it: a sale takes `quantity` units, a cancellation
gives back its order's lines, a restock receives units up to the change row's received_quantity.
Several events of one instant may move one product; the moves add up to the product's change row.
Within an instant: the restock, then order steps, sign-ups and new orders (each in key order), so
units come back before they are sold and a customer exists before their order.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from seeds_gen.schema import CHANGES_DIR
from seeds_gen.timeline import RESTOCK_DAYS, TIMESTAMP_FORMAT

# The tables that change, parents first (docs/dataset_layout.md "The change set").
CHANGING_TABLES = ("customer", "orders", "order_item", "product")
STEP_KINDS = {"paid": "payment", "shipped": "shipment", "delivered": "delivery",
              "cancelled": "cancellation", "returned": "return"}
KINDS = ("restock", *STEP_KINDS.values(), "signup", "order")


class ChangeSetError(ValueError):
    """A change set this module cannot turn into events (a bug or a foreign file)."""


@dataclass(frozen=True)
class Change:
    """One change row: the table, when, insert/update, and the row after it (CSV text, '' for
    NULL), in the table's column order."""

    table: str
    at: str
    op: str
    row: dict[str, str]


@dataclass
class Event:
    """One business event: one transaction. `seq` orders the events of one instant."""

    kind: str
    at: str
    seq: int = 0
    rows: list[Change] = field(default_factory=list)  # inserts and order updates, in order
    sold: dict[int, int] = field(default_factory=dict)  # product_id -> units taken
    given_back_order: int | None = None  # a cancellation: its order's lines come back
    received: dict[int, int] = field(default_factory=dict)  # product_id -> received after
    # product change rows this event is the last to move at its instant (for --also-changes)
    product_rows: list[Change] = field(default_factory=list)

    @property
    def position(self) -> tuple[str, int]:
        return (self.at, self.seq)

    def changes(self) -> list[Change]:
        """Every change row of the event in the change-set sense (what --also-changes writes)."""
        return [*self.rows, *self.product_rows]


def read_changes(folder: Path, table: str) -> Iterator[Change]:
    """Stream one change file (changes/raw_<table>.csv), row by row."""
    path = folder / CHANGES_DIR / f"raw_{table}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[:2] != ["_changed_at", "_op"]:
            raise ChangeSetError(f"{path}: not a change file (header {header[:2]})")
        columns = header[2:]
        for record in reader:
            yield Change(table, record[0], record[1], dict(zip(columns, record[2:], strict=True)))


def instants(folder: Path) -> Iterator[tuple[str, list[Change]]]:
    """The change rows of a change set, one instant at a time, in time order (the files are in
    `_changed_at` order; only one instant is held in memory)."""
    streams = [read_changes(folder, table) for table in CHANGING_TABLES]
    order = {table: k for k, table in enumerate(CHANGING_TABLES)}
    merged = heapq.merge(*streams, key=lambda c: (c.at, order[c.table]))
    current: list[Change] = []
    for change in merged:
        if current and change.at != current[0].at:
            yield current[0].at, current
            current = []
        current.append(change)
    if current:
        yield current[0].at, current


def is_restock_instant(at: str, start: dt.date) -> bool:
    instant = dt.datetime.strptime(at, TIMESTAMP_FORMAT)
    return instant.time() == dt.time() and (instant.date() - start).days % RESTOCK_DAYS == 0


def events_at(at: str, changes: Iterable[Change], start: dt.date) -> list[Event]:
    """The business events of one instant, in the order they are applied."""
    customers: list[Change] = []
    new_orders: list[Change] = []
    steps: list[Change] = []
    lines: dict[int, list[Change]] = {}
    products: dict[int, Change] = {}
    for change in changes:
        if change.table == "customer":
            customers.append(change)
        elif change.table == "orders":
            (new_orders if change.op == "insert" else steps).append(change)
        elif change.table == "order_item":
            lines.setdefault(int(change.row["order_id"]), []).append(change)
        else:
            products[int(change.row["product_id"])] = change

    events: list[Event] = []
    restock = None
    if products and is_restock_instant(at, start):
        restock = Event("restock", at, received={
            pid: int(c.row["received_quantity"]) for pid, c in sorted(products.items())})
        events.append(restock)
    last_mover: dict[int, Event] = dict.fromkeys(restock.received, restock) if restock else {}
    cancellations = []
    for change in sorted(steps, key=lambda c: int(c.row["order_id"])):
        kind = STEP_KINDS.get(change.row["status"])
        if kind is None:
            raise ChangeSetError(f"orders {change.row['order_id']} at {at}: an update to "
                                 f"status {change.row['status']!r}, which is no step")
        event = Event(kind, at, rows=[change])
        if kind == "cancellation":
            event.given_back_order = int(change.row["order_id"])
            cancellations.append(event)
        events.append(event)
    events.extend(Event("signup", at, rows=[c])
                  for c in sorted(customers, key=lambda c: int(c.row["customer_id"])))
    for change in sorted(new_orders, key=lambda c: int(c.row["order_id"])):
        order_id = int(change.row["order_id"])
        order_lines = sorted(lines.pop(order_id, []), key=lambda c: int(c.row["order_item_id"]))
        if not order_lines:
            raise ChangeSetError(f"order {order_id} placed at {at} has no lines in the change set")
        event = Event("order", at, rows=[change, *order_lines],
                      sold={int(c.row["product_id"]): int(c.row["quantity"]) for c in order_lines})
        for product_id in event.sold:
            last_mover[product_id] = event
        events.append(event)
    if lines:
        raise ChangeSetError(f"order lines at {at} of orders not placed then: {sorted(lines)}")
    # A product no sale or restock explains moved because of this instant's cancellations: its
    # row goes with the last of them (the database learns which lines from order_item).
    for product_id, change in sorted(products.items()):
        mover = last_mover.get(product_id) or (cancellations[-1] if cancellations else None)
        if mover is None:
            raise ChangeSetError(f"product {product_id} changed at {at} without a sale, "
                                 "cancellation or restock")
        mover.product_rows.append(change)
    for seq, event in enumerate(events):
        event.seq = seq
    return events


def events(folder: Path, start: dt.date) -> Iterator[Event]:
    """Every business event of a change set folder, in the order they are applied."""
    for at, changes in instants(folder):
        yield from events_at(at, changes, start)
