"""Which products sit in an order: distinct by construction, skewed toward popular ones.

Products are ranked by popularity (rank 0 sells most) and the ranks are cut into tiers: the top
2% of products, the next 8%, the next 30% and the long tail. An order's lines are shared among
the tiers (a quarter of lines from the top 2%, ...), capped by each tier's size; inside a tier,
an order walks the ranks from a random start with a stride coprime with the tier's size, which
never repeats a rank. So rule 8's "distinct products per order" holds without any dedupe pass,
and every line is computed from its own row: no sort, no grouping, linear cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from seeds_gen.rng import SqlRng

# Strides an order may walk a tier with: at most this many, spread over the tier (listing every
# coprime of a million-product tier would put megabytes of SQL literal into each chunk query).
MAX_STRIDES = 256


def coprime_strides(size: int, count: int = MAX_STRIDES) -> tuple[int, ...]:
    """Up to `count` distinct strides in [1, size) coprime with `size`, spread over the range
    (every one of them when the tier is small); (1,) for a tier of one."""
    strides: dict[int, None] = {}
    for i in range(count):
        stride = 1 + i * max(size - 1, 1) // count
        while math.gcd(stride, size) != 1:  # size - 1 is always coprime: the walk ends there
            stride += 1
        strides.setdefault(stride, None)
    return tuple(strides)


# (share of the catalogue, share of the lines); the top 10% take over half of the lines.
TIER_SHAPE = ((0.02, 0.25), (0.08, 0.30), (0.30, 0.28), (0.60, 0.17))


@dataclass(frozen=True)
class Tier:
    start: int
    size: int
    line_share: float
    strides: tuple[int, ...]


def tiers(products: int) -> list[Tier]:
    bounds = [0]
    cumulative = 0.0
    for share, _ in TIER_SHAPE[:-1]:
        cumulative += share
        bounds.append(max(bounds[-1], min(products, round(products * cumulative))))
    bounds.append(products)
    if bounds[1] == 0:  # the top tier always holds at least the best seller
        bounds[1] = 1
        bounds = [min(b if i < 2 else max(b, 1), products) for i, b in enumerate(bounds)]
    result = []
    for i, (_, line_share) in enumerate(TIER_SHAPE):
        size = bounds[i + 1] - bounds[i]
        strides = coprime_strides(max(size, 1))
        result.append(Tier(bounds[i], size, line_share, strides))
    return result


def tier_counts_sql(rng: SqlRng, products: int) -> str:
    """SELECT-list expressions a0..a3: lines of an order per tier, summing to line_count.

    Expects columns order_id and line_count. Each tier first takes its share (randomly rounded)
    within its size; the long tail takes the rest, and what the tail cannot hold goes back up.
    """
    t = tiers(products)
    roll = [rng.unit(f"order_item.tier{i}", "order_id") for i in range(3)]
    a0 = f"least({t[0].size}, floor(line_count * {t[0].line_share} + {roll[0]})::BIGINT)"
    a1 = (f"least({t[1].size}, floor(line_count * {t[1].line_share} + {roll[1]})::BIGINT, "
          f"line_count - ({a0}))")
    a2 = (f"least({t[2].size}, floor(line_count * {t[2].line_share} + {roll[2]})::BIGINT, "
          f"line_count - ({a0}) - ({a1}))")
    return f"({a0}) as want0, ({a1}) as want1, ({a2}) as want2"


def order_line_sql(rng: SqlRng, products: int, source: str, carry: tuple[str, ...] = ()) -> str:
    """SQL for (order_id, line_no, rank, *carry) of every order in `source` (order_id,
    line_count, *carry): `carry` columns of the order ride along to each of its lines."""
    kept = "".join(f"{c}, " for c in carry)
    t = tiers(products)
    walks = []
    for i, tier in enumerate(t):
        stride = (f"list_extract({list(tier.strides)}, 1 + "
                  f"{rng.below(len(tier.strides), f'order_item.stride{i}', 'order_id')})")
        start = rng.below(max(tier.size, 1), f"order_item.start{i}", "order_id")
        walks.append(f"{start} as start{i}, {stride} as stride{i}")
    # Positions are shuffled by an affine map p = (a*j + b) mod n with a coprime to n, so the
    # popular tiers do not always come first in an order.
    primes = (7, 11, 13, 17, 19, 23, 29, 31, 37)
    multiplier = "case " + " ".join(f"when line_count % {p} <> 0 then {p}" for p in primes) \
        + " else 1 end"
    rank = "case " + " ".join(
        f"when p < c{i + 1} then {tier.start} + (start{i} + (p - c{i}) * stride{i}) "
        f"% {max(tier.size, 1)}"
        for i, tier in enumerate(t[:-1])
    ) + f" else {t[-1].start} + (start3 + (p - c3) * stride3) % {max(t[-1].size, 1)} end"
    return f"""
        with wanted as (
            select order_id, {kept}line_count, {tier_counts_sql(rng, products)}
            from {source}
        ),
        allotted as (
            -- The tail takes the rest; any overflow past its size moves up, tier by tier.
            select *,
                greatest(0, line_count - want0 - want1 - want2 - {t[3].size}) as overflow
            from wanted
        ),
        settled as (
            select order_id, {kept}line_count,
                want2 + least({t[2].size} - want2, overflow) as n2,
                overflow - least({t[2].size} - want2, overflow) as left2,
                want1, want0
            from allotted
        ),
        counts as (
            select order_id, {kept}line_count, n2,
                want1 + least({t[1].size} - want1, left2) as n1,
                want0 + left2 - least({t[1].size} - want1, left2) as n0
            from settled
        ),
        walks as (
            select order_id, {kept}line_count,
                0 as c0, n0 as c1, n0 + n1 as c2, n0 + n1 + n2 as c3,
                {", ".join(walks)},
                {multiplier} as shuffle_a,
                {rng.below("line_count", "order_item.shuffle", "order_id")} as shuffle_b
            from counts
        ),
        lines as (
            select *, unnest(range(line_count)) as j from walks
        ),
        placed as (
            select *, (shuffle_a * j + shuffle_b) % line_count as p from lines
        )
        select order_id, {kept}j + 1 as line_no, ({rank})::BIGINT as rank
        from placed
    """
