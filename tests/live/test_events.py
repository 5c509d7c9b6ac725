"""Business events from change rows: what goes into one transaction, and in which order."""

from __future__ import annotations

import datetime as dt

import pytest

from seeds_gen.live.events import Change, ChangeSetError, events_at, is_restock_instant

START = dt.date(2024, 1, 1)  # a Monday: restocks at 00:00 every 7 days from it
AT = "2025-06-01 07:51:55"


def order(order_id: int, status: str = "pending", op: str = "insert", at: str = AT) -> Change:
    return Change("orders", at, op, {"order_id": str(order_id), "status": status})


def line(item_id: int, order_id: int, product_id: int, quantity: int, at: str = AT) -> Change:
    return Change("order_item", at, "insert", {
        "order_item_id": str(item_id), "order_id": str(order_id),
        "product_id": str(product_id), "quantity": str(quantity)})


def product(product_id: int, received: int = 100, at: str = AT) -> Change:
    return Change("product", at, "update",
                  {"product_id": str(product_id), "received_quantity": str(received)})


def customer(customer_id: int, at: str = AT) -> Change:
    return Change("customer", at, "insert", {"customer_id": str(customer_id)})


def test_a_new_order_is_one_event_with_its_lines_and_its_stock_taken() -> None:
    [event] = events_at(AT, [order(7), line(71, 7, 3, 2), line(70, 7, 5, 1), product(3),
                             product(5)], START)
    assert event.kind == "order"
    assert [c.table for c in event.rows] == ["orders", "order_item", "order_item"]
    assert [c.row["order_item_id"] for c in event.rows[1:]] == ["70", "71"]
    assert event.sold == {3: 2, 5: 1}
    assert [c.row["product_id"] for c in event.product_rows] == ["3", "5"]


def test_each_order_step_is_its_own_event_named_for_the_step() -> None:
    steps = [order(k, status, "update") for k, status in
             enumerate(("paid", "shipped", "delivered", "returned"), start=1)]
    found = events_at(AT, steps, START)
    assert [e.kind for e in found] == ["payment", "shipment", "delivery", "return"]
    assert [e.seq for e in found] == [0, 1, 2, 3]
    assert all(not e.sold and e.given_back_order is None for e in found)


def test_a_cancellation_gives_back_its_orders_lines_and_carries_the_products_it_moved() -> None:
    [event] = events_at(AT, [order(4, "cancelled", "update"), product(9)], START)
    assert event.kind == "cancellation"
    assert event.given_back_order == 4
    assert [c.row["product_id"] for c in event.product_rows] == ["9"]


def test_within_an_instant_restock_then_steps_then_signups_then_new_orders() -> None:
    monday = "2025-06-02 00:00:00"
    changes = [customer(12, monday), order(30, at=monday), line(300, 30, 1, 1, monday),
               order(2, "cancelled", "update", monday), product(1, 150, monday),
               product(2, 80, monday)]
    found = events_at(monday, changes, START)
    assert [e.kind for e in found] == ["restock", "cancellation", "signup", "order"]
    restock = found[0]
    assert restock.received == {1: 150, 2: 80}
    # a product's row goes with the last event that moves it at the instant
    assert [c.row["product_id"] for c in found[3].product_rows] == ["1"]
    assert [c.row["product_id"] for c in restock.product_rows] == ["2"]


def test_two_orders_of_one_instant_on_one_product_each_take_their_units() -> None:
    found = events_at(AT, [order(1), order(2), line(10, 1, 4, 1), line(20, 2, 4, 3),
                           product(4)], START)
    assert [e.sold for e in found] == [{4: 1}, {4: 3}]
    assert [len(e.product_rows) for e in found] == [0, 1]


def test_restock_instants_are_midnight_every_seven_days_from_the_window_start() -> None:
    assert is_restock_instant("2024-01-08 00:00:00", START)
    assert not is_restock_instant("2024-01-09 00:00:00", START)
    assert not is_restock_instant("2024-01-08 00:00:01", START)


@pytest.mark.parametrize("changes, message", [
    ([product(3)], "without a sale, cancellation or restock"),
    ([line(1, 5, 3, 1)], "not placed then"),
    ([order(5)], "has no lines"),
    ([order(5, "pending", "update")], "which is no step"),
])
def test_a_change_set_no_event_explains_is_refused(changes: list[Change], message: str) -> None:
    with pytest.raises(ChangeSetError, match=message):
        events_at(AT, changes, START)
