"""The MySQL/MariaDB adapter."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Optional, Set, Tuple

import pymysql

from dbt.adapters.base import AdapterConfig, ConstraintSupport, available
from dbt.adapters.base.relation import BaseRelation
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.mysql import manifest as seed_manifest
from dbt.adapters.mysql import seed as seed_loader
from dbt.adapters.mysql.column import MySQLColumn
from dbt.adapters.mysql.connections import (
    ER_LOAD_INFILE_DISABLED,
    MySQLConnectionManager,
    _error_code,
    _friendly_message,
)
from dbt.adapters.mysql.local_files import GuardedConnection, LocalFileRefused
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

# Rows per INSERT statement on the fallback seed path (PyMySQL packs them into one statement
# up to max_stmt_length bytes).
INSERT_BATCH_ROWS = 20_000
INSERT_MAX_STMT_BYTES = 8 * 1024 * 1024
# Seeds are typed from their first rows; the load proves the rest (see seed.py).
SEED_SAMPLE_ROWS = 20_000


class MySQLConfig(AdapterConfig):
    engine: Optional[str] = None


class MySQLAdapter(SQLAdapter):
    Relation = MySQLRelation
    Column = MySQLColumn
    ConnectionManager = MySQLConnectionManager
    AdapterSpecificConfigs = MySQLConfig

    connections: MySQLConnectionManager

    # InnoDB enforces all of them; CHECK since MySQL 8.0.16 and MariaDB 10.2.
    CONSTRAINT_SUPPORT = {
        ConstraintType.check: ConstraintSupport.ENFORCED,
        ConstraintType.not_null: ConstraintSupport.ENFORCED,
        ConstraintType.unique: ConstraintSupport.ENFORCED,
        ConstraintType.primary_key: ConstraintSupport.ENFORCED,
        ConstraintType.foreign_key: ConstraintSupport.ENFORCED,
    }

    _server_info: Optional[Tuple[str, bool]] = None

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
    def get_relation(  # type: ignore[override]
        self, database: Optional[str], schema: str, identifier: str
    ) -> Optional[BaseRelation]:
        return super().get_relation(None, schema, identifier)  # type: ignore[arg-type]

    def list_relations(  # type: ignore[override]
        self, database: Optional[str], schema: str
    ) -> List[BaseRelation]:
        return super().list_relations(None, schema)

    def get_columns_in_relation(self, relation: BaseRelation) -> List[MySQLColumn]:  # type: ignore[override]
        # SHOW COLUMNS (which also sees temporary tables) fails on a missing table, where
        # dbt expects an empty list.
        try:
            return super().get_columns_in_relation(relation)
        except DbtDatabaseError as exc:
            if "error 1146" in str(exc):
                return []
            raise

    # ---------------------------------------------------------------- server flavour
    def _server_version(self) -> Tuple[str, bool]:
        if self._server_info is None:
            _, table = self.execute("select version() as v", fetch=True)
            version = str(table.rows[0][0])
            type(self)._server_info = (version, "mariadb" in version.lower())
        return self._server_info  # type: ignore[return-value]

    @available
    def is_mariadb(self) -> bool:
        """The one place where MariaDB and MySQL 8 behaviour is told apart."""
        return self._server_version()[1]

    @available
    def server_version(self) -> str:
        return self._server_version()[0]

    # ---------------------------------------------------------------- seed type inference
    @classmethod
    def convert_text_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "text"

    @classmethod
    def convert_number_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        values = [
            str(v) for v in agate_table.columns[col_idx].values() if v is not None
        ]
        if any("e" in v.lower() for v in values):
            return "double"
        max_int, max_scale = seed_loader._digits(values)
        return seed_loader.sql_type_for("number", max_int, max_scale)

    @classmethod
    def convert_integer_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "bigint"

    @classmethod
    def convert_boolean_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "boolean"

    @classmethod
    def convert_datetime_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "datetime"

    @classmethod
    def convert_date_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "date"

    @classmethod
    def convert_time_type(cls, agate_table: "agate.Table", col_idx: int) -> str:
        return "time"

    # ---------------------------------------------------------------- catalog
    @classmethod
    def _catalog_filter_table(
        cls, table: "agate.Table", used_schemas: FrozenSet[Tuple[str, str]]
    ) -> "agate.Table":
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
    def render_column_constraint(cls, constraint: ColumnLevelConstraint) -> Optional[str]:
        # InnoDB parses an inline `references` clause on a column and ignores it: column-level
        # foreign keys are rendered as table constraints (mysql_column_foreign_keys).
        # MariaDB takes one CHECK per column definition and wants it last: column checks are
        # rendered as table constraints too.
        if constraint.type in (ConstraintType.foreign_key, ConstraintType.check):
            return None
        return super().render_column_constraint(constraint)

    @available
    @classmethod
    def render_raw_columns_constraints(  # type: ignore[override]
        cls, raw_columns: Dict[str, Dict[str, Any]]
    ) -> List[str]:
        # MySQL's column grammar is ordered: NOT NULL, then UNIQUE, then PRIMARY KEY.
        order = {"not_null": 0, "unique": 1, "primary_key": 2}
        ordered = {}
        for key, col in raw_columns.items():
            col = dict(col)
            col["constraints"] = sorted(
                col.get("constraints") or [], key=lambda c: order.get(c.get("type"), 3)
            )
            ordered[key] = col
        return super().render_raw_columns_constraints(ordered)

    @available
    @classmethod
    def mysql_column_foreign_keys(cls, raw_columns: Dict[str, Dict[str, Any]]) -> List[str]:
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
        cls, raw_columns: Dict[str, Dict[str, Any]], raw_constraints: List[Dict[str, Any]]
    ) -> List[str]:
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
    def valid_incremental_strategies(self) -> List[str]:
        return ["append", "delete+insert", "merge"]

    def timestamp_add_sql(self, add_to: str, number: int = 1, interval: str = "hour") -> str:
        return f"date_add({add_to}, interval {number} {interval})"

    def string_add_sql(self, add_to: str, value: str, location: str = "append") -> str:
        if location == "append":
            return f"concat({add_to}, '{value}')"
        if location == "prepend":
            return f"concat('{value}', {add_to})"
        raise DbtRuntimeError(f'Got an unexpected location value of "{location}"')

    # ---------------------------------------------------------------- seeds
    @available
    def mysql_seed_file_path(self, model: Any) -> str:
        root = model.get("root_path") if isinstance(model, dict) else model.root_path
        original = (
            model.get("original_file_path")
            if isinstance(model, dict)
            else model.original_file_path
        )
        path = os.path.join(root, original)
        if not os.path.exists(path):
            path = os.path.join(self.config.project_root, original)
        return os.path.abspath(path)

    @available
    def mysql_plan_seed(
        self,
        path: str,
        delimiter: str,
        column_types: Optional[Dict[str, str]],
        check_manifest: bool = True,
    ) -> seed_loader.SeedPlan:
        """Type the CSV from its first SEED_SAMPLE_ROWS rows (the load verifies the rest).
        A header-only stub whose rows are in parts (manifest.py) is typed from its first part;
        a stub of Parquet files is refused here, before anything is created."""
        entry = self._seed_entry(path, check_manifest)
        if entry is None or not entry.stub:
            return self._plan_seed(path, delimiter, column_types, SEED_SAMPLE_ROWS)
        if entry.format != "csv":
            raise DbtRuntimeError(
                f"{self._seed_label(path)}: the data is in {entry.files[0].name}"
                f"{f' and {len(entry.files) - 1} more file(s)' if len(entry.files) > 1 else ''} "
                f"({entry.format}), which this seed cannot load: LOAD DATA reads CSV only. Load "
                f"it with `python -m seeds_gen load --target {self.config.target_name}`, then run "
                "dbt as before. The existing seed table is unchanged."
            )
        plan = self._plan_seed(entry.files[0].path, delimiter, column_types, SEED_SAMPLE_ROWS)
        plan.path = path  # the seed; its rows are loaded from the entry's files
        return plan

    def _seed_entry(
        self, path: str, check_manifest: bool
    ) -> Optional[seed_manifest.ManifestEntry]:
        # A stub is loaded from its parts even when unchecked: loading the stub itself would
        # replace the table with no rows.
        return seed_manifest.find_entry(path, strict=check_manifest)

    def _plan_seed(
        self,
        path: str,
        delimiter: str,
        column_types: Optional[Dict[str, str]],
        sample_rows: Optional[int],
    ) -> seed_loader.SeedPlan:
        started = time.time()
        try:
            plan = seed_loader.plan_seed(
                path, delimiter or ",", column_types or {}, sample_rows=sample_rows
            )
        except (ValueError, UnicodeDecodeError, csv_error()) as exc:
            raise DbtRuntimeError(f"Cannot read seed file {path}: {exc}") from None
        logger.debug(
            f"seed {path}: {plan.row_count} rows typed in {time.time() - started:.1f}s"
            f"{' (sample)' if plan.sampled else ''}: "
            + ", ".join(f"{c.name} {c.sql_type}" for c in plan.columns)
        )
        return plan

    @available
    def mysql_seed_sample_table(self, plan: seed_loader.SeedPlan) -> "agate.Table":
        """A small agate table of the first rows, for `dbt seed --show`."""
        from dbt_common.clients.agate_helper import table_from_rows

        return table_from_rows(
            [list(r) for r in plan.sample_rows],
            plan.column_names,
            text_only_columns=plan.column_names,
        )

    def _local_infile_status(self) -> Tuple[bool, str]:
        credentials = self.config.credentials
        if not getattr(credentials, "local_infile", True):
            return False, "local_infile is false in the profile"
        _, table = self.execute("select @@global.local_infile as v", fetch=True)
        value = table.rows[0][0]
        if str(value).upper() not in ("1", "ON", "TRUE"):
            return False, "local_infile is OFF on the server"
        return True, "local_infile is ON"

    @available
    def mysql_load_seed(
        self,
        relation: BaseRelation,
        plan: seed_loader.SeedPlan,
        quoted_columns: List[str],
        like_relation: Optional[BaseRelation] = None,
        check_manifest: bool = True,
    ) -> Dict[str, Any]:
        """Create `relation` (typed from the plan, or LIKE an existing seed table) and load the
        CSV into it, or every part of a stub seed in key order. Returns the create statement,
        the method used and the row count.

        A seed named in the generator's manifest.json must be the files it lists (sizes before
        anything is created; sha256 of the bytes sent and the rows loaded per file, and the
        table's rows, after the load into `relation`, which is dropped on a mismatch): the
        caller's old table stays. The seed config `check_manifest: false` loads unchecked."""
        label = self._seed_label(plan.path)
        entry = self._seed_entry(plan.path, check_manifest)
        # (path, label, the manifest's entry for that file when it is checked)
        files: List[Tuple[str, str, Optional[seed_manifest.ManifestFile]]]
        if entry is not None and entry.stub:
            folder = os.path.dirname(label)
            files = [(f.path, os.path.join(folder, f.name), f) for f in entry.files]
        else:
            files = [(plan.path, label, entry.files[0] if entry is not None else None)]
        if not check_manifest:
            files = [(path, file_label, None) for path, file_label, _ in files]
        for path, file_label, listed in files:
            if listed is not None:
                seed_manifest.check_before_load(listed, path, file_label)
        for _ in range(2):
            if like_relation is not None:
                create_sql = f"create table {relation.render()} like {like_relation.render()}"
            else:
                create_sql = seed_loader.create_table_sql(plan, relation.render(), quoted_columns)
            self.execute(f"drop table if exists {relation.render()}", auto_begin=False)
            self.execute(create_sql, auto_begin=False)
            try:
                method, rows = self._load_seed_rows(relation, plan, quoted_columns, files)
                if check_manifest and entry is not None and rows != entry.rows:
                    raise seed_manifest.mismatch(
                        label, "rows loaded differ", f"{entry.rows} rows", f"{rows} loaded"
                    )
            except DbtRuntimeError:
                self._drop_quietly(relation)
                raise
            except _ValuesDoNotFit as exc:
                self.execute(f"drop table if exists {relation.render()}", auto_begin=False)
                typed = any(c.kind != "override" for c in plan.columns)
                if plan.sampled and typed and like_relation is None and len(files) == 1:
                    logger.info(
                        f"Seed {relation.identifier}: values past the first {plan.row_count} "
                        f"rows do not fit the sampled types ({exc}); typing the whole file"
                    )
                    plan = self._plan_seed(
                        plan.path,
                        plan.delimiter,
                        {c.name: c.sql_type for c in plan.columns if c.kind == "override"},
                        None,
                    )
                    continue
                hint = (
                    " (types were sampled from the first part: declare column_types)"
                    if typed and len(files) > 1 else ""
                )
                raise DbtRuntimeError(
                    f"Seed {label} does not fit table {relation.render()}: {exc}{hint}"
                ) from None
            return {"create_sql": create_sql, "method": method, "rows": rows}
        raise DbtRuntimeError(f"Seed file {plan.path} could not be loaded")  # pragma: no cover

    def _seed_label(self, path: str) -> str:
        """The seed file as the user names it: relative to the project when inside it."""
        relative = os.path.relpath(path, self.config.project_root)
        return path if relative.startswith("..") else relative

    @staticmethod
    def _file_digest(path: str) -> Tuple[int, str]:
        return os.path.getsize(path), seed_manifest.sha256_of(path)

    def _drop_quietly(self, relation: BaseRelation) -> None:
        handle = getattr(self.connections.get_if_exists(), "handle", None)
        if handle is None or not getattr(handle, "open", False):
            return
        try:
            self.execute(f"drop table if exists {relation.render()}", auto_begin=False)
        except DbtRuntimeError:
            logger.debug(f"Could not drop {relation.render()}")

    def _load_seed_rows(
        self,
        relation: BaseRelation,
        plan: seed_loader.SeedPlan,
        quoted_columns: List[str],
        files: List[Tuple[str, str, Optional[seed_manifest.ManifestFile]]],
    ) -> Tuple[str, int]:
        """(method, rows): each file loaded into `relation` in order; each one the manifest
        lists is proved to be that file (bytes and sha256 as sent, rows loaded)."""
        if len(files) == 1 and plan.row_count == 0:
            path, file_label, listed = files[0]
            if listed is not None:
                seed_manifest.check_loaded(listed, file_label, 0, *self._file_digest(path))
            return "empty file", 0
        name = (relation.identifier or "").removesuffix("__dbt_seed")
        ok, reason = self._local_infile_status()
        method = "load data local infile" if ok else "insert"
        started = time.time()
        total = 0
        for path, file_label, listed in files:
            sent: Optional[Tuple[int, str]] = None
            if method != "insert":
                try:
                    rows, sent = self._load_data(plan, relation, quoted_columns, path)
                except LocalFileRefused as exc:
                    raise DbtDatabaseError(exc.message) from None
                except pymysql.err.MySQLError as exc:
                    if _error_code(exc) not in ER_LOAD_INFILE_DISABLED or total:
                        raise DbtDatabaseError(_friendly_message(exc)) from None
                    method, reason = "insert", f"the server refused it: {exc.args[1]}"
            if method == "insert":
                rows = self._insert_rows(relation, plan, quoted_columns, path)
            if listed is not None:
                sent_bytes, sha256 = sent or self._file_digest(path)
                seed_manifest.check_loaded(listed, file_label, rows, sent_bytes, sha256)
            total += rows
        seconds = time.time() - started
        parts = f" from {len(files)} files" if len(files) > 1 else ""
        if method == "insert":
            logger.info(
                f"Seed {name}: multi-row INSERT fallback, {total} rows{parts} in {seconds:.1f}s "
                f"(LOAD DATA LOCAL INFILE not used: {reason})"
            )
        else:
            logger.info(
                f"Seed {name}: LOAD DATA LOCAL INFILE, {total} rows{parts} in {seconds:.1f}s "
                f"({reason})"
            )
        return method, total

    def _load_data(
        self,
        plan: seed_loader.SeedPlan,
        relation: BaseRelation,
        quoted_columns: List[str],
        path: str,
    ) -> Tuple[int, Tuple[int, str]]:
        """LOAD DATA LOCAL INFILE of `path`; the connection sends that file only, and only
        during this statement (local_files.py). Returns the rows loaded and the
        (bytes, sha256) of what was sent."""
        connection = self.connections.get_thread_connection()
        handle = connection.handle
        if not isinstance(handle, GuardedConnection):  # pragma: no cover (opened by connect())
            raise DbtRuntimeError("LOAD DATA LOCAL needs the adapter's guarded connection")
        rows: Tuple[Any, ...] = ()
        with handle.expect_file(path) as local:
            # The statement names the real path (symlinks resolved once, here), which is also
            # the only name the connection will answer for.
            sql = seed_loader.load_data_sql(
                plan, relation.render(), quoted_columns, path=local.real_path
            )
            cursor = handle.cursor()
            try:
                cursor.execute(sql)
                loaded = cursor.rowcount
                result = getattr(cursor, "_result", None)
                # LOCAL turns bad values into warnings (the statement goes on): any is fatal.
                if result is not None and getattr(result, "warning_count", 0):
                    cursor.execute("show warnings limit 5")
                    rows = cursor.fetchall()
            finally:
                cursor.close()
        if rows:
            raise _ValuesDoNotFit("; ".join(f"{r[2]}" for r in rows))
        return int(loaded), (local.sent_bytes, local.sha256)

    def _insert_rows(
        self,
        relation: BaseRelation,
        plan: seed_loader.SeedPlan,
        quoted_columns: List[str],
        path: str,
    ) -> int:
        connection = self.connections.get_thread_connection()
        placeholders = ", ".join(["%s"] * len(plan.columns))
        sql = (
            f"insert into {relation.render()} ({', '.join(quoted_columns)}) "
            f"values ({placeholders})"
        )
        cursor = connection.handle.cursor()
        cursor.max_stmt_length = INSERT_MAX_STMT_BYTES
        rows = 0
        try:
            for batch in seed_loader.iter_insert_batches(plan, INSERT_BATCH_ROWS, path):
                try:
                    cursor.executemany(sql, batch)
                except pymysql.err.MySQLError as exc:
                    if _error_code(exc) in _VALUE_ERRORS:
                        raise _ValuesDoNotFit(str(exc.args[1])) from None
                    raise DbtDatabaseError(_friendly_message(exc)) from None
                rows += len(batch)
        finally:
            cursor.close()
        return rows


class _ValuesDoNotFit(Exception):
    """A CSV value does not fit the column type it was given."""


# Incorrect value, data truncated, out of range, incorrect date/datetime, bad null.
_VALUE_ERRORS = {1265, 1264, 1366, 1292, 1048, 1406, 1367, 4078}


def csv_error() -> type:
    import csv

    return csv.Error
