"""The small reference tables, built in Python from a seeded RNG and Faker.

brand, category, seller, product, promotion and promotion_product are a few hundred rows at most:
Python reads best here, and the DuckDB stage receives them as column lists. Money is carried as
integer cents so every later sum is exact. Where a DATA_SPEC rule is made true here, the comment
names it.
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
from seeds_gen.pools import ValuePools, seeded_faker
from seeds_gen.rng import python_rng
from seeds_gen.vocab import (
    BRAND_COUNTRIES,
    BRAND_PREFIXES,
    BRAND_SUFFIXES,
    MODEL_CODES,
    PROMOTION_CALENDAR,
    SELLER_NAME_SUFFIXES,
    TAXONOMY,
    CategoryNode,
)

Columns = dict[str, list[Any]]
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ReferenceData:
    brand: Columns
    category: Columns
    seller: Columns
    # Product columns without stock, which depends on the orders (rule 7).
    product: Columns
    promotion: Columns
    promotion_product: Columns
    # Products by popularity rank (rank 0 sells most): order lines sample ranks with a skew.
    popularity: list[int]


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


# --- seller -------------------------------------------------------------------------------------

def build_sellers(count: int, brand_names: list[str], pools: ValuePools, start: dt.datetime,
                  seed: int, fake: Faker) -> tuple[Columns, dict[int, int]]:
    """Sellers, and which brand each official store sells (seller_id -> brand_id)."""
    rng = python_rng(seed, "seller")
    seeded_faker(fake, seed, "seller")
    n_official = min(len(brand_names), count // 5)
    n_mall = (count * 3) // 10
    types = ["official"] * n_official + ["mall"] * n_mall
    types += ["marketplace"] * (count - len(types))
    rng.shuffle(types)
    official_brands = rng.sample(range(1, len(brand_names) + 1), n_official)
    cols: Columns = {k: [] for k in ("seller_id", "seller_name", "seller_type", "email", "city",
                                     "country", "rating", "joined_at", "is_active")}
    used_names: set[str] = set()
    used_emails: set[str] = set()
    store_brand: dict[int, int] = {}
    for i, seller_type in enumerate(types):
        if i % interrupt.CHUNK == 0:
            interrupt.check()
        seller_id = i + 1
        if seller_type == "official":
            brand_id = official_brands.pop()
            store_brand[seller_id] = brand_id
            name = f"{brand_names[brand_id - 1]} Official Store"
        else:
            name = _unique_seller_name(fake, rng, seller_type, used_names)
        used_names.add(name)
        email = f"{slug(name) or 'seller'}@sellers.example.com"
        if email in used_emails:
            email = f"{slug(name) or 'seller'}-{seller_id}@sellers.example.com"
        used_emails.add(email)
        cols["seller_id"].append(seller_id)
        cols["seller_name"].append(name)
        cols["seller_type"].append(seller_type)
        cols["email"].append(email)
        cols["city"].append(rng.choice(pools.cities))
        cols["country"].append(pools.country)
        # Ratings pile up near the top, as on every marketplace; one decimal, 1.0 to 5.0.
        cols["rating"].append(max(10, min(50, round(rng.triangular(2.0, 5.0, 4.7) * 10))))
        cols["joined_at"].append(_between(rng, start - 6 * 365 * DAY, start - 400 * DAY))
        cols["is_active"].append(rng.random() < 0.92)
    return cols, store_brand


def _unique_seller_name(fake: Faker, rng: Any, seller_type: str, used: set[str]) -> str:
    for _ in range(50):
        if seller_type == "mall":
            name = str(fake.company())
        else:
            name = f"{fake.last_name()} {rng.choice(SELLER_NAME_SUFFIXES)}"
        if name not in used:
            return name
    return f"{fake.last_name()} {rng.choice(SELLER_NAME_SUFFIXES)} {len(used) + 1}"


# --- product: prices by category (positively skewed), cost below price, rule 6 timing ---------

def _price_cents(rng: Any, node: CategoryNode) -> int:
    price = rng.lognormvariate(math.log(node.median_price), node.price_sigma)
    if price < 10:
        return max(49, int(price * 2) * 50 + 49)  # 3.49, 3.99, ...
    return int(price) * 100 + 99  # 24.99, 129.99, ...


def build_products(count: int, leaves: list[int], category_names: list[str],
                   brand_names: list[str], seller_cols: Columns, store_brand: dict[int, int],
                   start: dt.datetime, seed: int) -> tuple[Columns, list[int]]:
    rng = python_rng(seed, "product")
    nodes = {node.name: node for node in TAXONOMY}
    seller_ids: list[int] = seller_cols["seller_id"]
    open_sellers = [s for s in seller_ids if s not in store_brand] or seller_ids
    cols: Columns = {k: [] for k in ("product_id", "sku", "product_name", "brand_id",
                                     "category_id", "seller_id", "unit_price", "cost_price",
                                     "is_active", "created_at")}
    for i in range(count):
        if i % interrupt.CHUNK == 0:
            interrupt.check()
        product_id = i + 1
        category_id = rng.choice(leaves)  # rule 2: products sit on leaf categories only
        node = nodes[category_names[category_id - 1]]
        seller_id = rng.choice(seller_ids) if rng.random() < 0.3 else rng.choice(open_sellers)
        brand_id = store_brand.get(seller_id) or rng.randrange(1, len(brand_names) + 1)
        brand = brand_names[brand_id - 1]
        name = f"{brand} {rng.choice(node.adjectives)} {rng.choice(node.nouns)}"
        if rng.random() < 0.6:
            name += f" {rng.choice(MODEL_CODES)}{rng.choice(('', ' ', '-'))}{rng.randint(1, 9)}"
            if rng.random() < 0.3:
                name += "00"
        unit = _price_cents(rng, node)
        cost = max(1, min(unit - 1, round(unit * rng.uniform(0.35, 0.75))))
        joined = seller_cols["joined_at"][seller_id - 1]
        sku = f"{slug(node.name)[:3].upper()}-{slug(brand)[:3].upper()}-{product_id:06d}"
        cols["product_id"].append(product_id)
        cols["sku"].append(sku)
        cols["product_name"].append(name)
        cols["brand_id"].append(brand_id)
        cols["category_id"].append(category_id)
        cols["seller_id"].append(seller_id)
        cols["unit_price"].append(unit)
        cols["cost_price"].append(cost)
        cols["is_active"].append(rng.random() < 0.93)
        # Rule 6: a seller joins before listing; every product predates the order window.
        cols["created_at"].append(_between(rng, joined + DAY, start - DAY))
    popularity = list(cols["product_id"])
    rng.shuffle(popularity)
    return cols, popularity


# --- promotion and promotion_product: rule 4's inputs -------------------------------------------

def build_promotions(count: int, start: dt.date, end: dt.date, seed: int) -> Columns:
    rng = python_rng(seed, "promotion")
    events: list[tuple[dt.date, dt.date, str, str, int]] = []
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
    chosen = sorted(rng.sample(events, min(count, len(events))))
    window_days = (end - start).days
    for k in range(count - len(chosen)):
        if k % interrupt.CHUNK == 0:
            interrupt.check()
        first = start + rng.randrange(window_days) * DAY
        last = min(first + rng.randint(0, 2) * DAY, end - DAY)
        kind = rng.choice(("percentage", "fixed_amount"))
        value = rng.randint(5, 40) * 100 if kind == "percentage" else rng.randint(4, 40) * 50
        chosen.append((first, last, f"Flash Sale #{k + 1}", kind, value))
    chosen.sort()
    cols: Columns = {k: [] for k in ("promotion_id", "promotion_name", "discount_type",
                                     "discount_value", "starts_on", "ends_on")}
    for i, (first, last, name, kind, value) in enumerate(chosen):
        cols["promotion_id"].append(i + 1)
        cols["promotion_name"].append(name)
        cols["discount_type"].append(kind)
        cols["discount_value"].append(value)  # cents; a percentage of 25 is 2500
        cols["starts_on"].append(first)
        cols["ends_on"].append(last)
    return cols


def build_promotion_products(count: int, promotions: int, products: int, seed: int) -> Columns:
    """`count` distinct (promotion, product) pairs, spread evenly over the promotions."""
    rng = python_rng(seed, "promotion_product")
    cols: Columns = {"promotion_id": [], "product_id": []}
    if promotions == 0:
        return cols
    base, extra = divmod(count, promotions)
    for promotion_id in range(1, promotions + 1):
        if promotion_id % interrupt.CHUNK == 0:
            interrupt.check()
        size = base + (1 if promotion_id <= extra else 0)
        for product_id in sorted(rng.sample(range(1, products + 1), size)):
            cols["promotion_id"].append(promotion_id)
            cols["product_id"].append(product_id)
    return cols


def build_reference(counts: dict[str, int], pools: ValuePools, start: dt.date, end: dt.date,
                    seed: int, fake: Faker) -> ReferenceData:
    start_ts = _midnight(start)
    category, leaves = build_categories(counts["category"], start_ts, seed)
    brand = build_brands(counts["brand"], start_ts, seed)
    seller, store_brand = build_sellers(counts["seller"], brand["brand_name"], pools, start_ts,
                                        seed, fake)
    product, popularity = build_products(counts["product"], leaves, category["category_name"],
                                         brand["brand_name"], seller, store_brand, start_ts, seed)
    promotion = build_promotions(counts["promotion"], start, end, seed)
    pairs = build_promotion_products(counts["promotion_product"], counts["promotion"],
                                     counts["product"], seed)
    return ReferenceData(brand, category, seller, product, promotion, pairs, popularity)
