"""Generator settings: defaults, TOML loading, derived row counts and validation.

Every check here raises ConfigError with a message written for the user: what is wrong and how
to fix it. Nothing is generated before the whole configuration has passed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from seeds_gen.schema import OUTPUT_FORMATS, TABLES, TABLES_BY_NAME, OutputFormat
from seeds_gen.vocab import BRAND_PREFIXES, BRAND_SUFFIXES, TAXONOMY

DEFAULT_SEED = 42
# A fixed two-year window (end exclusive), so a bare run gives the same data on any day.
DEFAULT_START = dt.date(2024, 1, 1)
DEFAULT_END = dt.date(2026, 1, 1)
DEFAULT_LOCALE = "en_US"
DEFAULT_OUT = Path("data")
DEFAULT_FORMAT: OutputFormat = "csv"  # what `dbt seed` reads

# Seeds are hashed as a BIGINT in DuckDB (rng.py).
MAX_SEED = 2**63 - 1
# The order window: every target's timestamp type holds these years (MySQL's DATETIME starts at
# 1000, and brands and categories are dated up to ten years before the window); late orders
# are paid, shipped and delivered up to a few weeks after its end, which must stay a four-digit
# year. The calendar holds one weight per hour (876,600 for a century).
MIN_START = dt.date(1900, 1, 1)
MAX_END = dt.date(9999, 1, 1)
MAX_WINDOW_DAYS = 36_525
# DuckDB worker threads: more than this only costs memory.
MAX_THREADS = 1024
# A config file is a few lines; anything this big is the wrong file (or a device).
MAX_CONFIG_BYTES = 1 << 20
# Largest row count per key type: keys count from 1 (schema.py types, as the targets store them).
_KEY_MAX = {"int": 2**31 - 1, "bigint": 2**63 - 1}

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
    format: OutputFormat = DEFAULT_FORMAT
    # How many parts the large tables are written in (docs/dataset_layout.md); not a setting of
    # the data: every part count gives the same rows.
    parts: int = 1
    # The instant the dataset shows the shop at (None: the end of the window), and the start of
    # the change set written beside it (None: none). Not settings of the world: every as-of of
    # one world shows the same shop at another instant (DATA_SPEC "Time").
    as_of: dt.datetime | None = None
    changes_since: dt.datetime | None = None

    @property
    def as_of_instant(self) -> dt.datetime:
        return self.as_of or dt.datetime.combine(self.end, dt.time())

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


def parse_instant(text: str, option: str) -> dt.datetime:
    """An instant as YYYY-MM-DD (midnight) or YYYY-MM-DD HH:MM:SS, UTC, whole seconds."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        if len(value) == 19 and value[10] in " T":
            return dt.datetime.strptime(value[:10] + " " + value[11:], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        pass
    raise ConfigError(f"{option} needs an instant as YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS' (UTC, "
                      f"whole seconds), got {text!r}; e.g. {option} '2025-06-30 18:00:00'")


def parse_format(text: str, option: str = "--format") -> OutputFormat:
    for known in OUTPUT_FORMATS:
        if text == known:
            return known
    raise ConfigError(
        f"{option} must be one of {', '.join(OUTPUT_FORMATS)}, got {text!r}; e.g. --format csv")


def parse_out(text: str, option: str = "--out") -> Path:
    """The output folder; an empty name would silently mean the current folder."""
    if not text.strip():
        raise ConfigError(f"{option} needs a folder name, got an empty one; e.g. --out data")
    return Path(text)


def _count(count: int) -> str:
    """A row count for a message: digits grouped, or an exponent when it is absurdly long."""
    return f"{count:,}" if abs(count) < 10**21 else f"{count:.3e}"


def load_toml(path: Path) -> dict[str, Any]:
    """Read a TOML config file into keyword arguments of GeneratorConfig."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist; check the --config path") from None
    except IsADirectoryError:
        raise ConfigError(
            f"config file {path} is a folder; name a TOML file with --config") from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file {path} ({exc.strerror or exc}); check the --config path "
            "and its permissions"
        ) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config file {path} is larger than {MAX_CONFIG_BYTES // 2**20} MB; name the "
            "generator's TOML settings file with --config"
        )
    try:
        raw = tomllib.loads(data.decode("utf-8"))
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
    if key in ("seed", "threads", "parts"):
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
    if key in ("as_of", "changes_since"):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            return value.replace(microsecond=0)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime.combine(value, dt.time())
        if isinstance(value, str):
            return parse_instant(value, where)
        raise ConfigError(f"{where} must be an instant like \"2025-06-30 18:00:00\" (UTC), "
                          f"got {value!r}")
    if key == "locale":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string like \"de_DE\"")
        return value
    if key == "out":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path string")
        return parse_out(value, where)
    if key == "format":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, one of {', '.join(OUTPUT_FORMATS)}")
        return parse_format(value, where)
    raise ConfigError(f"unknown setting {key!r} in {path}")  # pragma: no cover


def validate(config: GeneratorConfig) -> dict[str, int]:
    """Check the configuration as a whole; return the exact row counts it gives."""
    if not 0 <= config.seed <= MAX_SEED:
        raise ConfigError(
            f"--seed must be between 0 and {MAX_SEED} (2**63 - 1), got {_count(config.seed)}")
    if not (math.isfinite(config.scale) and config.scale > 0):
        raise ConfigError(
            f"--scale must be a finite number greater than 0, got {config.scale:g}")
    if not 1 <= config.threads <= MAX_THREADS:
        raise ConfigError(
            f"--threads must be between 1 and {MAX_THREADS}, got {_count(config.threads)}")
    if config.end <= config.start:
        raise ConfigError(
            f"the order window {config.start} .. {config.end} is empty or inverted; "
            "--end (exclusive) must be after --start"
        )
    if config.start < MIN_START or config.end > MAX_END:
        raise ConfigError(
            f"the order window {config.start} .. {config.end} must lie within {MIN_START} .. "
            f"{MAX_END}; choose --start and --end inside it"
        )
    if (config.end - config.start).days > MAX_WINDOW_DAYS:
        raise ConfigError(
            f"the order window {config.start} .. {config.end} is longer than 100 years "
            f"({MAX_WINDOW_DAYS:,} days); choose a shorter --start .. --end"
        )
    _check_locale(config.locale)
    _check_instants(config)
    counts = config.row_counts()
    for name, count in counts.items():
        minimum = 0 if name in OPTIONAL_TABLES else 1
        how = "--rows" if name in config.rows else "--scale or --rows"
        if count < minimum:
            raise ConfigError(
                f"{name} would have {_count(count)} rows but needs at least {minimum}; "
                f"raise it with {how} {name}=N"
            )
        table = TABLES_BY_NAME[name]
        key = next(c for c in table.columns if c.name == table.primary_key[0])
        if len(table.primary_key) == 1 and count > _KEY_MAX[key.type]:
            raise ConfigError(
                f"{name} would have {_count(count)} rows, more than its key {key.name} "
                f"({key.type}) can number ({_KEY_MAX[key.type]:,}); lower it with {how}"
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


def _check_instants(config: GeneratorConfig) -> None:
    """--as-of lies in the order window; --changes-since before it, in the window too."""
    start = dt.datetime.combine(config.start, dt.time())
    end = dt.datetime.combine(config.end, dt.time())
    window = f"the order window {config.start} 00:00:00 .. {config.end} 00:00:00"
    as_of = config.as_of_instant
    if not start <= as_of <= end:
        where = "before the start of" if as_of < start else "after the end of"
        raise ConfigError(f"--as-of {as_of} is {where} {window}; choose an instant inside it "
                          "(or move the window with --start/--end)")
    since = config.changes_since
    if since is None:
        return
    if since >= as_of:
        raise ConfigError(f"--changes-since {since} is not before --as-of {as_of}; a change set "
                          "covers (changes-since, as-of]: choose an earlier --changes-since")
    if since < start:
        raise ConfigError(f"--changes-since {since} is before the start of {window}; choose "
                          f"{config.start} or later (the dataset as of the start holds no orders)")


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
