"""Generator settings: defaults, TOML loading, derived row counts and validation.

Every check here raises ConfigError with a message written for the user: what is wrong and how
to fix it. Nothing is generated before the whole configuration has passed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from seeds_gen.schema import TABLES, TABLES_BY_NAME
from seeds_gen.vocab import BRAND_PREFIXES, BRAND_SUFFIXES, TAXONOMY

DEFAULT_SEED = 42
# A fixed two-year window (end exclusive), so a bare run gives the same data on any day.
DEFAULT_START = dt.date(2024, 1, 1)
DEFAULT_END = dt.date(2026, 1, 1)
DEFAULT_LOCALE = "en_US"
DEFAULT_OUT = Path("data")

# Tables that may legitimately be empty: a shop can run without promotions.
OPTIONAL_TABLES = frozenset({"promotion", "promotion_product"})
MAX_BRANDS = len(BRAND_PREFIXES) * len(BRAND_SUFFIXES) * 4


class ConfigError(ValueError):
    """A setting the generator cannot honour; the message tells the user how to fix it."""


@dataclass(frozen=True)
class GeneratorConfig:
    seed: int = DEFAULT_SEED
    scale: float = 1.0
    rows: dict[str, int] = field(default_factory=dict)
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END
    locale: str = DEFAULT_LOCALE
    out: Path = DEFAULT_OUT
    threads: int = max(1, os.cpu_count() or 1)

    def row_counts(self) -> dict[str, int]:
        """Exact rows per table: overrides win, else defaults, scaled where the table scales."""
        counts: dict[str, int] = {}
        for table in TABLES:
            if table.name in self.rows:
                counts[table.name] = self.rows[table.name]
            elif table.scaled:
                counts[table.name] = round(table.default_rows * self.scale)
            else:
                counts[table.name] = table.default_rows
        return counts

    def settings(self) -> dict[str, Any]:
        """The settings as plain values, for the manifest and --json."""
        return {
            "seed": self.seed,
            "scale": self.scale,
            "rows": dict(sorted(self.rows.items())),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "locale": self.locale,
        }


def parse_rows_override(text: str) -> tuple[str, int]:
    """Parse one `table=N` override."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise ConfigError(f"--rows expects table=N, got {text!r}; e.g. --rows orders=5000")
    _check_table_name(name)
    try:
        count = int(value.replace("_", ""))
    except ValueError:
        raise ConfigError(
            f"--rows {name}= needs a whole number, got {value!r}; e.g. --rows {name}=1000"
        ) from None
    return name, count


def _check_table_name(name: str) -> None:
    if name not in TABLES_BY_NAME:
        known = ", ".join(TABLES_BY_NAME)
        raise ConfigError(f"unknown table {name!r} in row counts; known tables: {known}")


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} needs a date as YYYY-MM-DD, got {text!r}") from None


def load_toml(path: Path) -> dict[str, Any]:
    """Read a TOML config file into keyword arguments of GeneratorConfig."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist; check the --config path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML ({exc}); fix its syntax") from None
    allowed = {f.name for f in fields(GeneratorConfig)}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown setting {unknown[0]!r} in {path}; allowed: {', '.join(sorted(allowed))}"
        )
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        kwargs[key] = _coerce(key, value, path)
    return kwargs


def _coerce(key: str, value: Any, path: Path) -> Any:
    where = f"{key} in {path}"
    if key in ("seed", "threads"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{where} must be a whole number, got {value!r}")
        return value
    if key == "scale":
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{where} must be a number, got {value!r}")
        return float(value)
    if key == "rows":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table like [rows] orders = 5000")
        rows: dict[str, int] = {}
        for name, count in value.items():
            _check_table_name(name)
            if not isinstance(count, int) or isinstance(count, bool):
                raise ConfigError(f"rows.{name} in {path} must be a whole number, got {count!r}")
            rows[name] = count
        return rows
    if key in ("start", "end"):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            return parse_date(value, where)
        raise ConfigError(f"{where} must be a date like 2024-01-01, got {value!r}")
    if key == "locale":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string like \"de_DE\"")
        return value
    if key == "out":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path string")
        return Path(value)
    raise ConfigError(f"unknown setting {key!r} in {path}")  # pragma: no cover


def validate(config: GeneratorConfig) -> dict[str, int]:
    """Check the configuration as a whole; return the exact row counts it gives."""
    if config.seed < 0:
        raise ConfigError(f"--seed must be zero or positive, got {config.seed}")
    if not config.scale > 0:
        raise ConfigError(f"--scale must be greater than 0, got {config.scale:g}")
    if config.threads < 1:
        raise ConfigError(f"--threads must be at least 1, got {config.threads}")
    if config.end <= config.start:
        raise ConfigError(
            f"the order window {config.start} .. {config.end} is empty or inverted; "
            "--end (exclusive) must be after --start"
        )
    _check_locale(config.locale)
    counts = config.row_counts()
    for name, count in counts.items():
        minimum = 0 if name in OPTIONAL_TABLES else 1
        if count < minimum:
            how = "--rows" if name in config.rows else "--scale or --rows"
            raise ConfigError(
                f"{name} would have {count} rows but needs at least {minimum}; "
                f"raise it with {how} {name}=N"
            )
    if counts["category"] > len(TAXONOMY):
        raise ConfigError(
            f"category={counts['category']} exceeds the {len(TAXONOMY)} categories of the "
            f"built-in taxonomy; use --rows category={len(TAXONOMY)} or fewer"
        )
    if counts["brand"] > MAX_BRANDS:
        raise ConfigError(f"brand={counts['brand']} exceeds {MAX_BRANDS} distinct brand names")
    pairs = counts["promotion"] * counts["product"]
    if counts["promotion_product"] > pairs:
        raise ConfigError(
            f"promotion_product={counts['promotion_product']} exceeds the {pairs} possible "
            f"pairs of {counts['promotion']} promotions x {counts['product']} products; "
            "lower promotion_product or raise promotion/product"
        )
    if counts["order_item"] < counts["orders"]:
        raise ConfigError(
            f"order_item={counts['order_item']} is fewer than orders={counts['orders']}; "
            "every order needs at least one line: raise order_item or lower orders"
        )
    if counts["order_item"] > counts["orders"] * counts["product"]:
        raise ConfigError(
            f"order_item={counts['order_item']} needs more lines per order "
            f"({counts['order_item'] / counts['orders']:.1f}) than the {counts['product']} "
            "products that exist (lines of an order are distinct products); "
            "raise product or lower order_item"
        )
    # The line allocation multiplies order_item by the orders' summed weights in 64-bit integers.
    if counts["order_item"] * counts["orders"] * 50 >= 2**63:
        raise ConfigError(
            f"order_item={counts['order_item']} with orders={counts['orders']} is beyond the "
            "generator's exact 64-bit line allocation; use a smaller --scale"
        )
    return counts


def _check_locale(locale: str) -> None:
    known = available_locales()
    if locale not in known:
        close = [loc for loc in known if loc.split("_")[0] == locale.split("_")[0]]
        hint = f" (did you mean {', '.join(sorted(close)[:4])}?)" if close else ""
        raise ConfigError(f"unknown locale {locale!r}{hint}; use a Faker locale such as en_US")


def available_locales() -> set[str]:
    """Faker's locales, read from its package folders without importing Faker (0.4 s).

    Faker itself lists the sub-packages of its providers the same way (faker.config).
    """
    spec = importlib.util.find_spec("faker")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        return set()
    providers = Path(next(iter(spec.submodule_search_locations))) / "providers"
    packages = (
        entry.name
        for provider in providers.iterdir() if provider.is_dir()
        for entry in provider.iterdir() if (entry / "__init__.py").exists()
    )
    # Locale packages are "de_DE", "en_US", ... or bare languages such as "la"; not "__pycache__".
    return {name for name in packages
            if "_" in name.strip("_") or (name.isalpha() and name.islower() and len(name) <= 3)}
