"""The MySQL/MariaDB adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dbt.adapters.base import AdapterConfig, ConstraintSupport, available
from dbt.adapters.base.relation import BaseRelation
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.mysql import seed
from dbt.adapters.mysql.column import MySQLColumn
from dbt.adapters.mysql.connections import (
    MySQLConnectionManager,
)
from dbt.adapters.mysql.relation import MySQLRelation
from dbt.adapters.sql import SQLAdapter
from dbt_common.contracts.constraints import (
    ColumnLevelConstraint,
    ConstraintType,
)
from dbt_common.exceptions import DbtDatabaseError, DbtRuntimeError

if TYPE_CHECKING:
    import agate

logger = AdapterLogger("MySQL")



class MySQLConfig(AdapterConfig):
    engine: str | None = None


class MySQLAdapter(SQLAdapter):
    Relation = MySQLRelation
    Column = MySQLColumn
    ConnectionManager = MySQLConnectionManager
    AdapterSpecificConfigs = MySQLConfig

    connections: MySQLConnectionManager

    # InnoDB enforces all of them; CHECK since MySQL 8.0.16 and MariaDB 10.2.
    CONSTRAINT_SUPPORT = {  # noqa: RUF012 (dbt-adapters' own shape for it)
        ConstraintType.check: ConstraintSupport.ENFORCED,
        ConstraintType.not_null: ConstraintSupport.ENFORCED,
        ConstraintType.unique: ConstraintSupport.ENFORCED,
        ConstraintType.primary_key: ConstraintSupport.ENFORCED,
        ConstraintType.foreign_key: ConstraintSupport.ENFORCED,
    }

    # (version(), whether it is MariaDB) of this adapter's server, asked once per adapter: a
    # class-level cache would answer for another profile's server in the same process
    _server_flavour: tuple[str, bool] | None = None

    @classmethod
    def date_function(cls) -> str:
        return "now()"

    @classmethod
    def quote(cls, identifier: str) -> str:
        if identifier is None:  # the (absent) database level, e.g. in dbt's test helpers
            return ""
        return "`{}`".format(identifier.replace("`", "``"))

    def debug_query(self) -> None:
        self.execute("select 1 as id")

    # ---------------------------------------------------------------- no database level
    def get_relation(
        self, database: str | None, schema: str, identifier: str
    ) -> BaseRelation | None:
        relation: BaseRelation | None = super().get_relation(None, schema, identifier)
        return relation

    def list_relations(
        self, database: str | None, schema: str
    ) -> list[BaseRelation]:
        return super().list_relations(None, schema)

    def get_columns_in_relation(self, relation: BaseRelation) -> list[MySQLColumn]:
        # SHOW COLUMNS (which also sees temporary tables) fails on a missing table, where
        # dbt expects an empty list.
        try:
            columns: list[MySQLColumn] = super().get_columns_in_relation(relation)  # type: ignore[no-untyped-call]
            return columns
        except DbtDatabaseError as exc:
            if "error 1146" in str(exc):
                return []
            raise

    # ---------------------------------------------------------------- server flavour
    def _version_and_is_mariadb(self) -> tuple[str, bool]:
        if self._server_flavour is None:
            _, table = self.execute("select version() as v", fetch=True)
            version = str(table.rows[0][0])
            self._server_flavour = (version, "mariadb" in version.lower())
        return self._server_flavour

    @available
    def is_mariadb(self) -> bool:
        """The one place where MariaDB and MySQL 8 behaviour is told apart."""
        return self._version_and_is_mariadb()[1]

    @available
    def server_version(self) -> str:
        return self._version_and_is_mariadb()[0]

    # ---------------------------------------------------------------- seed type inference
    @classmethod
    def convert_text_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "text"

    @classmethod
    def convert_number_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        values = [
            str(v) for v in agate_table.columns[col_idx].values() if v is not None
        ]
        if any("e" in v.lower() for v in values):
            return "double"
        max_int, max_scale = seed.number_digits(values)
        return seed.sql_type_for("number", max_int, max_scale)

    @classmethod
    def convert_integer_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "bigint"

    @classmethod
    def convert_boolean_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "boolean"

    @classmethod
    def convert_datetime_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "datetime"

    @classmethod
    def convert_date_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "date"

    @classmethod
    def convert_time_type(cls, agate_table: agate.Table, col_idx: int) -> str:
        return "time"

    # ---------------------------------------------------------------- catalog
    @classmethod
    def _catalog_filter_table(
        cls, table: agate.Table, used_schemas: frozenset[tuple[str, str]]
    ) -> agate.Table:
        """No database level: keep catalog rows whose schema dbt uses."""
        from dbt_common.clients.agate_helper import table_from_rows

        table = table_from_rows(
            table.rows,
            table.column_names,
            text_only_columns=[
                "table_database",
                "table_schema",
                "table_name",
                "table_type",
                "table_comment",
                "table_owner",
                "column_name",
                "column_type",
                "column_comment",
            ],
        )
        schemas = {s.lower() for _, s in used_schemas if s is not None}
        return table.where(
            lambda row: row["table_schema"] is not None and row["table_schema"].lower() in schemas
        )

    def _get_catalog_schemas(self, relation_configs):  # type: ignore[no-untyped-def]
        # every relation lives under database None; flatten keeps one information_schema
        return super()._get_catalog_schemas(relation_configs)

    # ---------------------------------------------------------------- constraints
    @classmethod
    def render_column_constraint(cls, constraint: ColumnLevelConstraint) -> str | None:
        # InnoDB parses an inline `references` clause on a column and ignores it: column-level
        # foreign keys are rendered as table constraints (mysql_column_foreign_keys).
        # MariaDB takes one CHECK per column definition and wants it last: column checks are
        # rendered as table constraints too.
        if constraint.type in (ConstraintType.foreign_key, ConstraintType.check):
            return None
        return super().render_column_constraint(constraint)

    @available
    @classmethod
    def render_raw_columns_constraints(
        cls, raw_columns: dict[str, dict[str, Any]]
    ) -> list[str]:
        # MySQL's column grammar is ordered: NOT NULL, then UNIQUE, then PRIMARY KEY.
        order = {"not_null": 0, "unique": 1, "primary_key": 2}
        ordered = {}
        for key, col in raw_columns.items():
            col = dict(col)
            col["constraints"] = sorted(
                col.get("constraints") or [], key=lambda c: order.get(c.get("type"), 3)
            )
            ordered[key] = col
        rendered: list[str] = super().render_raw_columns_constraints(ordered)
        return rendered

    @available
    @classmethod
    def mysql_column_foreign_keys(cls, raw_columns: dict[str, dict[str, Any]]) -> list[str]:
        rendered = []
        for col in raw_columns.values():
            name = cls.quote(col["name"]) if col.get("quote") else col["name"]
            for raw in col.get("constraints") or []:
                constraint = cls._parse_column_constraint(raw)
                if constraint.type == ConstraintType.check and constraint.expression:
                    prefix = f"constraint {constraint.name} " if constraint.name else ""
                    rendered.append(f"{prefix}check ({constraint.expression})")
                    continue
                if constraint.type != ConstraintType.foreign_key:
                    continue
                prefix = f"constraint {constraint.name} " if constraint.name else ""
                if constraint.to and constraint.to_columns:
                    target = f"{constraint.to} ({', '.join(constraint.to_columns)})"
                elif constraint.expression:
                    target = constraint.expression
                else:
                    continue
                rendered.append(f"{prefix}foreign key ({name}) references {target}")
        return rendered

    @available
    @classmethod
    def mysql_constraint_names(
        cls, raw_columns: dict[str, dict[str, Any]], raw_constraints: list[dict[str, Any]]
    ) -> list[str]:
        """Names the user gave to foreign key and check constraints: InnoDB wants foreign key
        names (MySQL also check names) unique per schema, so the table being replaced must
        give them up before its successor is created."""
        names = []
        for col in raw_columns.values():
            for raw in col.get("constraints") or []:
                if raw.get("name") and raw.get("type") in ("foreign_key", "check"):
                    names.append(raw["name"])
        for raw in raw_constraints or []:
            if raw.get("name") and raw.get("type") in ("foreign_key", "check"):
                names.append(raw["name"])
        return names

    # ---------------------------------------------------------------- incremental
    def valid_incremental_strategies(self) -> list[str]:
        return ["append", "delete+insert", "merge"]

    def timestamp_add_sql(self, add_to: str, number: int = 1, interval: str = "hour") -> str:
        return f"date_add({add_to}, interval {number} {interval})"

    def string_add_sql(self, add_to: str, value: str, location: str = "append") -> str:
        if location == "append":
            return f"concat({add_to}, '{value}')"
        if location == "prepend":
            return f"concat('{value}', {add_to})"
        raise DbtRuntimeError(f'Got an unexpected location value of "{location}"')

    # ---------------------------------------------------------------- seeds (seed.py)
    @available
    def mysql_seed_file_path(self, model: Any) -> str:
        return seed.seed_file_path(self, model)

    @available
    def mysql_plan_seed(
        self,
        path: str,
        delimiter: str,
        column_types: dict[str, str] | None,
        check_manifest: bool = True,
    ) -> seed.SeedPlan:
        return seed.plan_for_seed(self, path, delimiter, column_types, check_manifest)

    @available
    def mysql_seed_sample_table(self, plan: seed.SeedPlan) -> agate.Table:
        return seed.sample_table(plan)

    @available
    def mysql_load_seed(
        self,
        relation: BaseRelation,
        plan: seed.SeedPlan,
        quoted_columns: list[str],
        like_relation: BaseRelation | None = None,
        check_manifest: bool = True,
    ) -> dict[str, Any]:
        return seed.load_seed(self, relation, plan, quoted_columns, like_relation, check_manifest)
