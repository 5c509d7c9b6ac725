"""The dataset's tables, columns, logical types and default volumes: the one source of truth.

The generator writes CSVs in exactly this column order, the tests read the volumes from here,
and `make dbt-schema` (scripts/dbt_schema.py) writes each column's type into the dbt seed and
model YAML. Logical types are spelled per target by `vars.column_types` in dbt_project.yml, and
for DuckDB (the Parquet files' types) by DUCKDB_TYPES below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LogicalType = Literal["int", "bigint", "text", "decimal", "rating", "date", "timestamp", "boolean"]

# The exact DuckDB type of each logical type: what the Parquet files carry and what a reader of
# the CSVs declares. Timestamps have second resolution and no time zone (DATA_SPEC).
DUCKDB_TYPES: dict[LogicalType, str] = {
    "int": "INTEGER", "bigint": "BIGINT", "text": "VARCHAR", "decimal": "DECIMAL(12,2)",
    "rating": "DECIMAL(3,1)", "date": "DATE", "timestamp": "TIMESTAMP", "boolean": "BOOLEAN",
}

# File formats of the table files: CSV (the default, what `dbt seed` reads) or Parquet.
OutputFormat = Literal["csv", "parquet"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("csv", "parquet")


# Fixed vocabularies of the spec. The generator reads the statuses (timeline.py) and payment
# methods (transactions.py) from here, and its tests check every value it writes against them;
# `make dbt-schema` writes them into each column's accepted_values test and check constraint.
ORDER_STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "returned")
DISCOUNT_TYPES = ("percentage", "fixed_amount")
SELLER_TYPES = ("official", "mall", "marketplace")
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "bank_transfer", "gift_card")


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    nullable: bool = False
    # Maximum characters for text columns (MySQL and SQL Server need a bound to index them).
    length: int | None = None
    # The only values a text column may hold (a vocabulary above); empty: any.
    values: tuple[str, ...] = ()

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    default_rows: int
    # Transactional tables grow with --scale; reference tables keep their size.
    scaled: bool
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def seed_name(self) -> str:
        return f"raw_{self.name}"

    @property
    def file_name(self) -> str:
        """The CSV seed's file name."""
        return self.file_name_for("csv")

    def file_name_for(self, output_format: OutputFormat) -> str:
        return f"{self.seed_name}.{output_format}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _id(name: str, nullable: bool = False) -> Column:
    return Column(name, "int", nullable)


def _big(name: str) -> Column:
    return Column(name, "bigint")


def _text(name: str, length: int, nullable: bool = False,
          values: tuple[str, ...] = ()) -> Column:
    return Column(name, "text", nullable, length, values)


def _money(name: str) -> Column:
    return Column(name, "decimal")


def _ts(name: str, nullable: bool = False) -> Column:
    return Column(name, "timestamp", nullable)


TABLES: tuple[Table, ...] = (
    Table(
        "brand", 20, False,
        (
            _id("brand_id"),
            _text("brand_name", 100),
            _text("country", 60),
            _id("founded_year"),
            _ts("created_at"),
        ),
        ("brand_id",),
    ),
    Table(
        "category", 10, False,
        (
            _id("category_id"),
            _text("category_name", 100),
            _id("parent_category_id", nullable=True),
            _id("level"),
            _ts("created_at"),
        ),
        ("category_id",),
    ),
    Table(
        "seller", 25, False,
        (
            _id("seller_id"),
            _text("seller_name", 120),
            _text("seller_type", 20, values=SELLER_TYPES),
            _text("email", 254),
            _text("city", 100),
            _text("country", 60),
            Column("rating", "rating"),
            _ts("joined_at"),
            Column("is_active", "boolean"),
        ),
        ("seller_id",),
    ),
    Table(
        "customer", 10_000, True,
        (
            _big("customer_id"),
            _text("first_name", 100),
            _text("last_name", 100),
            _text("email", 254),
            _text("phone", 40),
            _text("city", 100),
            _text("country", 60),
            _ts("signed_up_at"),
        ),
        ("customer_id",),
    ),
    Table(
        "product", 200, False,
        (
            _id("product_id"),
            _text("sku", 32),
            _text("product_name", 200),
            _id("brand_id"),
            _id("category_id"),
            _id("seller_id"),
            _money("unit_price"),
            _money("cost_price"),
            _id("stock_quantity"),
            # Added column: units ever received, so rule 7 (stock left after sales) is checkable.
            _id("received_quantity"),
            Column("is_active", "boolean"),
            _ts("created_at"),
            # The product's last stock change (a sale, a cancellation, a restock) or created_at.
            _ts("updated_at"),
        ),
        ("product_id",),
    ),
    Table(
        "promotion", 10, False,
        (
            _id("promotion_id"),
            _text("promotion_name", 100),
            _text("discount_type", 20, values=DISCOUNT_TYPES),
            _money("discount_value"),
            Column("starts_on", "date"),
            Column("ends_on", "date"),
        ),
        ("promotion_id",),
    ),
    Table(
        "promotion_product", 100, False,
        (_id("promotion_id"), _id("product_id")),
        ("promotion_id", "product_id"),
    ),
    Table(
        "orders", 100_000, True,
        (
            _big("order_id"),
            _big("customer_id"),
            _ts("ordered_at"),
            _text("status", 20, values=ORDER_STATUSES),
            _text("payment_method", 30, values=PAYMENT_METHODS),
            _ts("paid_at", nullable=True),
            _ts("shipped_at", nullable=True),
            _ts("delivered_at", nullable=True),
            _ts("cancelled_at", nullable=True),
            _ts("returned_at", nullable=True),
            # The latest step timestamp the row carries (rule 6): what changed since an as-of.
            _ts("updated_at"),
            _money("subtotal_amount"),
            _money("discount_amount"),
            _money("shipping_fee"),
            _money("total_amount"),
        ),
        ("order_id",),
    ),
    Table(
        "order_item", 1_000_000, True,
        (
            _big("order_item_id"),
            _big("order_id"),
            _id("product_id"),
            _id("quantity"),
            _money("unit_price"),
            _id("promotion_id", nullable=True),
            _money("discount_amount"),
            _money("line_total"),
        ),
        ("order_item_id",),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(TABLES_BY_NAME)

# Seed of expected row counts written with every dataset, so dbt row-count tests follow --scale.
ROW_COUNTS_SEED = "raw_row_counts"
MANIFEST_FILE = "manifest.json"
# The folder of a change set in a dataset (seeds_gen/changes.py, docs/dataset_layout.md).
CHANGES_DIR = "changes"
