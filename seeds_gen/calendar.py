"""When orders happen: integer weights per hour of the order window.

Shopping season (November, December, Black Friday week), a weekly rhythm, an evening peak and
growth over the window. Weights are integers so that placing orders on the calendar is exact
integer arithmetic in DuckDB, identical on every machine.
"""

from __future__ import annotations

import datetime as dt

# Relative weight of each month, January first (percent).
MONTH_WEIGHT = (85, 80, 92, 95, 97, 95, 100, 98, 97, 102, 150, 170)
# Monday first (percent): Sunday evening and Monday are the online peaks.
WEEKDAY_WEIGHT = (108, 100, 98, 98, 94, 92, 110)
# Hour of day, 00 to 23 (percent of the daily mean is not needed: only ratios matter).
HOUR_WEIGHT = (20, 12, 8, 6, 5, 6, 10, 20, 35, 50, 60, 66, 72, 70, 66, 64, 66, 72, 84, 96, 104,
               100, 80, 45)
BLACK_FRIDAY_WEEK_BOOST = 180


def _black_friday(year: int) -> dt.date:
    """The day after the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(days=22)


def day_weight(day: dt.date, index: int, total_days: int) -> int:
    """Weight of one day: month season x weekday x linear growth to double over the window."""
    weight = MONTH_WEIGHT[day.month - 1] * WEEKDAY_WEIGHT[day.weekday()]
    friday = _black_friday(day.year)
    if friday <= day <= friday + dt.timedelta(days=3):
        weight = weight * BLACK_FRIDAY_WEEK_BOOST // 100
    growth = 100 + (100 * index) // max(total_days, 1)
    return weight * growth // 100


def hour_buckets(start: dt.date, end: dt.date) -> list[tuple[dt.datetime, int]]:
    """(bucket start, integer weight) for every hour of [start, end)."""
    total_days = (end - start).days
    buckets: list[tuple[dt.datetime, int]] = []
    for index in range(total_days):
        day = start + dt.timedelta(days=index)
        weight = day_weight(day, index, total_days)
        midnight = dt.datetime(day.year, day.month, day.day)
        for hour, hour_weight in enumerate(HOUR_WEIGHT):
            buckets.append((midnight + dt.timedelta(hours=hour), weight * hour_weight // 100))
    return buckets
