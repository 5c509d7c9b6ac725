"""Value pools drawn once from a seeded Faker: names, cities, phones, the locale's country.

Faker costs tens of microseconds a call, so it fills pools of a few hundred distinct values and
the DuckDB stage samples them by hash; it is never called once per row of a large table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from faker import Faker

from seeds_gen import interrupt
from seeds_gen.locales import fix_for

FIRST_NAMES = 400
LAST_NAMES = 400
CITIES = 250
PHONES = 500
# Reserved example domains (RFC 2606): plausible, and never a real person's mailbox.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")


@dataclass(frozen=True)
class ValuePools:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    phones: tuple[str, ...]
    country: str


def seeded_faker(fake: Faker, seed: int, stream: str) -> Faker:
    """Reseed the one Faker instance for a stream (building a Faker costs ~0.1 s)."""
    fake.seed_instance(f"{seed}:{stream}")
    return fake


def _distinct(draw: Callable[[], str], size: int) -> tuple[str, ...]:
    """Up to `size` distinct values in first-seen order (small locales have fewer)."""
    seen: dict[str, None] = {}
    for i in range(size * 3):
        if i % interrupt.CHUNK == 0:
            interrupt.check()
        value = draw().strip()
        if value:
            seen.setdefault(value, None)
        if len(seen) >= size:
            break
    return tuple(seen)


def _country(fake: Faker) -> str:
    try:
        return str(fake.current_country())
    except (AttributeError, ValueError):
        # Locales without a single country (e.g. en, la) fall back to a drawn country name.
        return str(fake.country())


def build_pools(fake: Faker, seed: int, locale: str) -> ValuePools:
    """The pools of `locale` (`fake` is its Faker): Faker's values, fixed or extended where the
    locale's data is thin or wrong (locales.py)."""
    fix = fix_for(locale)
    first_names = _distinct(seeded_faker(fake, seed, "pool.first_names").first_name, FIRST_NAMES)
    last_names = _distinct(seeded_faker(fake, seed, "pool.last_names").last_name, LAST_NAMES)
    if fix.first_names is not None:
        first_names = _merged(first_names if fix.faker_first_names else (),
                              fix.first_names(fake), FIRST_NAMES)
    last_names = _merged(last_names, fix.last_names(fake), LAST_NAMES)
    if fix.places is not None:
        cities = tuple(dict.fromkeys(fix.places(fake)))[:CITIES]
    else:
        cities = _distinct(seeded_faker(fake, seed, "pool.cities").city, CITIES)
    # Extensions ("x123") make a phone look odd in a shop database; keep plain numbers.
    phone_faker = seeded_faker(fake, seed, "pool.phones")
    if fix.phone_formats:
        formats = fix.phone_formats
        phones = _distinct(lambda: str(phone_faker.numerify(
            phone_faker.random_element(formats))), PHONES)
    else:
        phones = _distinct(lambda: _plain_phone(phone_faker), PHONES)
    country = fix.country or _country(seeded_faker(fake, seed, "pool.country"))
    return ValuePools(first_names, last_names, cities, phones, country)


def _merged(drawn: tuple[str, ...], extra: Sequence[str], size: int) -> tuple[str, ...]:
    """Faker's values, then the locale's own list, distinct, at most `size`."""
    return tuple(dict.fromkeys((*drawn, *extra)))[:size]


def _plain_phone(fake: Faker) -> str:
    for _ in range(20):
        number = str(fake.phone_number())
        if "x" not in number.lower() and sum(ch.isdigit() for ch in number) >= 7:
            return number
    return str(fake.numerify("###-###-####"))
