"""The reference data that stays small whatever the counts, built in Python.

brand (at most config.MAX_BRANDS names), the category tree (at most the taxonomy), the shopping
calendar's promotions (a few a year) and a pool of company names: Python reads best here. The
tables that grow with --rows (seller, product, the flash-sale promotions, promotion_product) are
built set-based in DuckDB from these (catalog.py). Money is integer cents so every later sum is
exact. Where a DATA_SPEC rule is made true here, the comment names it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from faker import Faker

from seeds_gen import interrupt
from seeds_gen.pools import seeded_faker
from seeds_gen.rng import python_rng
from seeds_gen.vocab import (
    BRAND_COUNTRIES,
    BRAND_PREFIXES,
    BRAND_SUFFIXES,
    PROMOTION_CALENDAR,
    TAXONOMY,
    CategoryNode,
)

Columns = dict[str, list[Any]]
DAY = dt.timedelta(days=1)


# (starts_on, ends_on, promotion_name, discount_type, discount_value in cents)
Promotion = tuple[dt.date, dt.date, str, str, int]
# Mall sellers are named after Faker companies: a pool, drawn once (pools.py explains why), as
# large as the malls up to this.
COMPANY_NAMES = 200


@dataclass(frozen=True)
class ReferenceData:
    brand: Columns
    category: Columns
    # category_id of every leaf of the tree, in id order: products sit on these (rule 2).
    leaves: list[int]
    # The calendar's promotions in the window; flash sales make up the rest in DuckDB.
    calendar_promotions: list[Promotion]
    company_names: tuple[str, ...]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _between(rng: Any, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """A whole second in [low, high)."""
    span = int((high - low).total_seconds())
    return low + dt.timedelta(seconds=rng.randrange(max(span, 1)))


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


# --- category: rule 2 (a tree, levels from the root, at least two levels by default) ---------

def select_categories(count: int) -> list[CategoryNode]:
    """Pick `count` taxonomy nodes that form a tree: parents always before children.

    About a quarter are roots, the rest children taken breadth first and round-robin across
    parents, so the default 10 give 3 roots with 7 sub-categories.
    """
    by_parent: dict[str | None, list[CategoryNode]] = {}
    for node in TAXONOMY:
        by_parent.setdefault(node.parent, []).append(node)
    roots = by_parent[None]
    chosen = roots[: min(len(roots), max(1, math.ceil(count / 4)))]
    frontier = list(chosen)
    while len(chosen) < count and frontier:
        queues = [list(by_parent.get(parent.name, [])) for parent in frontier]
        next_frontier: list[CategoryNode] = []
        while len(chosen) < count and any(queues):
            for queue in queues:
                if queue and len(chosen) < count:
                    node = queue.pop(0)
                    chosen.append(node)
                    next_frontier.append(node)
        frontier = next_frontier
    # Fewer nodes below the chosen roots than asked: widen with the remaining roots' subtrees.
    for node in TAXONOMY:
        if len(chosen) >= count:
            break
        names = {c.name for c in chosen}
        if node.name not in names and (node.parent is None or node.parent in names):
            chosen.append(node)
    return chosen


def build_categories(count: int, start: dt.datetime, seed: int) -> tuple[Columns, list[int]]:
    rng = python_rng(seed, "category")
    nodes = select_categories(count)
    ids = {node.name: i + 1 for i, node in enumerate(nodes)}
    levels: dict[str, int] = {}
    created: dict[str, dt.datetime] = {}
    cols: Columns = {k: [] for k in
                     ("category_id", "category_name", "parent_category_id", "level", "created_at")}
    for node in nodes:
        parent = node.parent
        levels[node.name] = 1 if parent is None else levels[parent] + 1
        low = start - 9 * 365 * DAY if parent is None else created[parent] + DAY
        created[node.name] = _between(rng, low, low + 200 * DAY)
        cols["category_id"].append(ids[node.name])
        cols["category_name"].append(node.name)
        cols["parent_category_id"].append(None if parent is None else ids[parent])
        cols["level"].append(levels[node.name])
        cols["created_at"].append(created[node.name])
    parents = {node.parent for node in nodes}
    leaves = [ids[node.name] for node in nodes if node.name not in parents]
    return cols, leaves


# --- brand --------------------------------------------------------------------------------------

def build_brands(count: int, start: dt.datetime, seed: int) -> Columns:
    rng = python_rng(seed, "brand")
    stems = [p + s for p in BRAND_PREFIXES for s in BRAND_SUFFIXES]
    rng.shuffle(stems)
    names: list[str] = []
    for extra in ("", " Labs", " & Co", " Studio"):
        names.extend(stem.capitalize() + extra for stem in stems)
    cols: Columns = {"brand_id": [], "brand_name": [], "country": [], "founded_year": [],
                     "created_at": []}
    for i in range(count):
        if i % interrupt.CHUNK == 0:
            interrupt.check()
        cols["brand_id"].append(i + 1)
        cols["brand_name"].append(names[i])
        cols["country"].append(rng.choice(BRAND_COUNTRIES))
        # Skewed to recent decades, as most consumer brands are young.
        cols["founded_year"].append(int(start.year - 2 - (1 - rng.random() ** 0.35) * 130))
        cols["created_at"].append(_between(rng, start - 8 * 365 * DAY, start - 2 * 365 * DAY))
    return cols


# --- promotion: the shopping calendar (flash sales are catalog.py's) -------------------------

def calendar_promotions(count: int, start: dt.date, end: dt.date, seed: int) -> list[Promotion]:
    """Up to `count` promotions of the shopping calendar that fall inside [start, end)."""
    rng = python_rng(seed, "promotion")
    events: list[Promotion] = []
    for year in range(start.year, end.year + 1):
        for t in PROMOTION_CALENDAR:
            first = dt.date(year, t.month, t.day)
            last = first + (t.length_days - 1) * DAY
            if first >= start and last < end:
                if t.discount_type == "percentage":
                    value = rng.randint(t.low, t.high) * 100
                else:
                    value = rng.randint(t.low * 2, t.high * 2) * 50
                events.append((first, last, f"{t.name} {year}", t.discount_type, value))
    return sorted(rng.sample(events, min(count, len(events))))


# --- sellers: how many of each type, and a pool of names for the malls ---------------------------

# Official stores are one per brand (at most a fifth of the sellers), malls 30%, the rest
# marketplace shops.
OFFICIAL_SHARE_DIVISOR = 5
MALL_PERCENT = 30


def seller_type_counts(sellers: int, brands: int) -> tuple[int, int]:
    """(official, mall) sellers; the rest are marketplace shops."""
    return min(brands, sellers // OFFICIAL_SHARE_DIVISOR), sellers * MALL_PERCENT // 100


def company_names(fake: Faker, seed: int, count: int) -> tuple[str, ...]:
    """Up to `count` distinct Faker company names (at least one), none ending in a digit:
    catalog.py numbers repeated seller names "<name> 2", which then never meet a drawn name."""
    seeded_faker(fake, seed, "pool.companies")
    seen: dict[str, None] = {}
    for i in range(count * 3):
        if i % interrupt.CHUNK == 0:
            interrupt.check()
        name = str(fake.company()).strip()
        if name and not name[-1].isdigit():
            seen.setdefault(name, None)
        if len(seen) >= count:
            break
    return tuple(seen) or ("Trading Company",)


def build_reference(counts: dict[str, int], start: dt.date, end: dt.date, seed: int,
                    fake: Faker) -> ReferenceData:
    start_ts = _midnight(start)
    category, leaves = build_categories(counts["category"], start_ts, seed)
    brand = build_brands(counts["brand"], start_ts, seed)
    promotions = calendar_promotions(counts["promotion"], start, end, seed)
    _, malls = seller_type_counts(counts["seller"], counts["brand"])
    companies = company_names(fake, seed, max(1, min(COMPANY_NAMES, malls)))
    return ReferenceData(brand, category, leaves, promotions, companies)
