"""Fast seeds: infer column types from the CSV in one streaming pass and load the file with
LOAD DATA LOCAL INFILE (or large multi-row INSERTs when the server or driver refuses it).

dbt's default seed path parses the whole file into an agate table and binds every cell; on a
1M-row file that alone takes minutes. Here the file is read with the csv module in chunks and
each column is tested with compiled regular expressions (C loops via map), so a 60 MB file is
typed in a few seconds and the server reads the file itself.

Type inference follows dbt's agate rules (same precedence: number, date, datetime, boolean,
text), with three deliberate differences documented in the README: only an empty field is NULL
(agate also takes the words null/none, so a surname `Null` would be lost),
`YYYY-MM-DD HH:MM:SS.ffffff` is a datetime (agate makes it text), and numbers carry their exact
scale as DECIMAL instead of becoming floats.

The adapter's seed methods (impl.py) call the functions at the end of this module, which plan,
check against the generator's manifest and load through the adapter's own connection.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pymysql
from dbt.adapters.base.relation import BaseRelation
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.mysql import manifest as seed_manifest
from dbt.adapters.mysql.connections import (
    ER_LOAD_INFILE_DISABLED,
    _error_code,
    _friendly_message,
)
from dbt.adapters.mysql.local_files import GuardedConnection, LocalFileRefused
from dbt_common.exceptions import DbtDatabaseError, DbtRuntimeError

if TYPE_CHECKING:
    import agate
    from dbt.adapters.mysql.impl import MySQLAdapter

logger = AdapterLogger("MySQL")

# Seeds are typed from their first rows; the load proves the rest.
SEED_SAMPLE_ROWS = 20_000
# Rows per INSERT statement on the fallback path (PyMySQL packs them into one statement up to
# max_stmt_length bytes).
INSERT_BATCH_ROWS = 20_000
INSERT_MAX_STMT_BYTES = 8 * 1024 * 1024

_NULL = r"|"  # an empty field is NULL; `null`, `NULL`, `None`, `\N` are text
_NUMBER_RE = re.compile(rf"(?:[+-]?(?:\d+\.?\d*|\.\d+){_NULL})")
_FLOAT_RE = re.compile(rf"(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?{_NULL})")
_DATE_RE = re.compile(rf"(?:\d{{4}}-\d{{2}}-\d{{2}}{_NULL})")
_DATETIME_RE = re.compile(rf"(?:\d{{4}}-\d{{2}}-\d{{2}}[ T]\d{{2}}:\d{{2}}:\d{{2}}{_NULL})")
_DATETIME_FRAC_RE = re.compile(
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}[ T]\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d{{1,6}})?{_NULL})"
)
_BOOLEAN_RE = re.compile(rf"(?:(?i:true|false){_NULL})")

# Precedence as in dbt's agate type tester.
_CANDIDATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", _NUMBER_RE),
    ("float", _FLOAT_RE),
    ("date", _DATE_RE),
    ("datetime", _DATETIME_RE),
    ("datetime6", _DATETIME_FRAC_RE),
    ("boolean", _BOOLEAN_RE),
)

CHUNK_ROWS = 50_000


@dataclass
class SeedColumn:
    name: str
    kind: str  # number, float, date, datetime, datetime6, boolean, text, override
    sql_type: str
    is_boolean: bool = False


@dataclass
class SeedPlan:
    path: str
    delimiter: str
    line_terminator: str
    has_bom: bool
    columns: list[SeedColumn] = field(default_factory=list)
    row_count: int = 0
    sampled: bool = False
    sample_rows: list[list[str]] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _open(path: str) -> tuple[Any, bool]:
    """The file, open past its byte order mark (the caller closes it), and whether it had one."""
    fp = open(path, encoding="utf-8", newline="")  # noqa: SIM115
    first = fp.read(1)
    has_bom = first == "\ufeff"
    if not has_bom:
        fp.seek(0)
    return fp, has_bom


def _line_of_record(path: str, delimiter: str, record: int) -> int:
    """The file line where data record `record` (1-based) starts; quoted newlines count.

    Only called on the error path, so reading the file again costs nothing in a good load.
    """
    fp, _ = _open(path)
    with fp:
        reader = csv.reader(fp, delimiter=delimiter)
        next(reader, None)
        line = reader.line_num
        for _ in range(record - 1):
            if next(reader, None) is None:
                break
            line = reader.line_num
        return line + 1


def _line_terminator(path: str) -> str:
    with open(path, "rb") as raw:
        head = raw.read(1 << 16)
    # The header line never holds quoted newlines in practice: look at its end.
    idx = head.find(b"\n")
    if idx > 0 and head[idx - 1 : idx] == b"\r":
        return "\r\n"
    return "\n"


def _number_type(max_int_digits: int, max_scale: int) -> str:
    if max_scale == 0:
        return "bigint" if max_int_digits <= 18 else f"decimal({min(max_int_digits, 65)},0)"
    scale = min(max_scale, 30)
    precision = max(max_int_digits + scale, 18 + scale)
    return f"decimal({min(precision, 65)},{scale})"


def sql_type_for(kind: str, max_int_digits: int = 0, max_scale: int = 0) -> str:
    return {
        "number": _number_type(max_int_digits, max_scale),
        "float": "double",
        "date": "date",
        "datetime": "datetime",
        "datetime6": "datetime(6)",
        "boolean": "boolean",
        "text": "text",
    }[kind]


_TIMESTAMP_RE = re.compile(
    r"^\s*timestamp\s*(\(\s*\d\s*\))?\s*(without\s+time\s+zone)?\s*$", re.I
)


def mysql_type(sql_type: str) -> str:
    """Portable spellings in `column_types` made MySQL ones: a MySQL TIMESTAMP is a UTC
    instant limited to 1970-2038 and shifted by the session time zone, so a zone-less
    `timestamp` becomes DATETIME; `double precision` becomes DOUBLE."""
    match = _TIMESTAMP_RE.match(sql_type)
    if match:
        return f"datetime{match.group(1) or ''}".replace(" ", "")
    if sql_type.strip().lower() == "double precision":
        return "double"
    return sql_type


def _is_boolean_type(sql_type: str) -> bool:
    return sql_type.strip().lower() in ("boolean", "bool", "tinyint(1)")


_DIGITS_INT_RE = re.compile(r"^[+-]?(\d*)", re.M)
_DIGITS_SCALE_RE = re.compile(r"\.(\d*)$", re.M)


def number_digits(values: Sequence[str]) -> tuple[int, int]:
    """Longest integer part and longest fraction among decimal literals."""
    joined = "\n".join(values)
    max_int = max(map(len, _DIGITS_INT_RE.findall(joined)), default=0)
    max_scale = max(map(len, _DIGITS_SCALE_RE.findall(joined)), default=0)
    return max_int, max_scale


def _whole_column_pattern(rx: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:{rx.pattern})(?:\n(?:{rx.pattern}))*")


_WHOLE = {kind: _whole_column_pattern(rx) for kind, rx in _CANDIDATES}


def _column_fits(kind: str, joined: str) -> bool:
    # One regex run over the whole column (values joined by newlines) instead of one call per
    # value: the scan stays in C. Callers rule out values that contain newlines themselves.
    return _WHOLE[kind].fullmatch(joined) is not None


def plan_seed(
    path: str,
    delimiter: str = ",",
    column_types: dict[str, str] | None = None,
    sample_rows: int | None = None,
    sample_size: int = 100,
) -> SeedPlan:
    """Read the CSV (all of it, or the first `sample_rows` rows): header, a sample, and a SQL
    type per column. A sampled plan is checked by the load itself (any value that does not fit
    its column makes the server warn) and replaced by a full plan when that happens."""
    column_types = dict(column_types or {})
    plan = SeedPlan(
        path=path, delimiter=delimiter, line_terminator=_line_terminator(path), has_bom=False
    )
    fp, plan.has_bom = _open(path)
    with fp:
        reader = csv.reader(fp, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return plan
        ncols = len(header)
        candidates: list[list[str]] = [
            [] if name in column_types else [k for k, _ in _CANDIDATES] for name in header
        ]
        digits = [(0, 0)] * ncols
        limit = sample_rows if sample_rows else None
        if all(name in column_types for name in header):
            limit = sample_size  # nothing to type: read only the rows `--show` prints
        while True:
            want = CHUNK_ROWS if limit is None else min(CHUNK_ROWS, limit - plan.row_count)
            if want <= 0:
                plan.sampled = next(reader, None) is not None
                break
            chunk = list(itertools.islice(reader, want))
            if not chunk:
                break
            if len(plan.sample_rows) < sample_size:
                plan.sample_rows.extend(chunk[: sample_size - len(plan.sample_rows)])
            plan.row_count += len(chunk)
            if any(len(row) != ncols for row in chunk):
                bad = next(i for i, row in enumerate(chunk) if len(row) != ncols)
                record = plan.row_count - len(chunk) + bad + 1
                raise ValueError(
                    f"line {_line_of_record(path, delimiter, record)} (record {record}) has "
                    f"{len(chunk[bad])} fields, the header has {ncols}"
                )
            for i, values in enumerate(zip(*chunk, strict=True)):
                remaining = candidates[i]
                if not remaining:
                    continue
                joined = "\n".join(values)
                if joined.count("\n") != len(values) - 1:
                    candidates[i] = []  # a value holds a newline: text
                    continue
                kept = [k for k in remaining if _column_fits(k, joined)]
                candidates[i] = kept
                if kept and kept[0] == "number":
                    a, b = number_digits(values)
                    digits[i] = (max(digits[i][0], a), max(digits[i][1], b))
        for i, name in enumerate(header):
            if name in column_types:
                sql_type = mysql_type(column_types[name])
                plan.columns.append(
                    SeedColumn(name, "override", sql_type, _is_boolean_type(sql_type))
                )
                continue
            kept = candidates[i]
            kind = kept[0] if kept else "text"
            if plan.row_count == 0:
                kind = "text"
            sql_type = sql_type_for(kind, *digits[i])
            plan.columns.append(SeedColumn(name, kind, sql_type, kind == "boolean"))
    return plan


def create_table_sql(plan: SeedPlan, target: str, quoted_columns: Sequence[str]) -> str:
    cols = ",\n  ".join(
        f"{q} {c.sql_type}" for q, c in zip(quoted_columns, plan.columns, strict=True)
    )
    return f"create table {target} (\n  {cols}\n) character set utf8mb4"


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def load_data_sql(
    plan: SeedPlan, target: str, quoted_columns: Sequence[str], path: str | None = None
) -> str:
    """LOAD DATA LOCAL INFILE of `path` (default: the plan's) into `target`, every field
    through a user variable: only an empty field becomes NULL, true/false become 1/0.

    With ESCAPED BY '' a `\\N` is plain text. With ENCLOSED BY set, the server itself reads an
    unquoted field that is exactly `NULL` as NULL (case-sensitive; `Null`, `null` stay text);
    an empty field reaches the variable as '' and never as NULL, so a NULL variable can only
    have been the text NULL, and is given back as such. length() and not `= ''`, which
    ignores trailing spaces and would take a field of spaces for empty."""
    variables = [f"@c{i}" for i in range(len(plan.columns))]
    assignments = []
    for var, col, quoted in zip(variables, plan.columns, quoted_columns, strict=True):
        text = f"ifnull({var}, 'NULL')"
        if col.is_boolean:
            expr = (
                f"case when length({text}) = 0 then null when lower(trim({text})) = 'true' "
                f"then 1 when lower(trim({text})) = 'false' then 0 else {text} end"
            )
        else:
            expr = f"if(length({text}) = 0, null, {text})"
        assignments.append(f"{quoted} = {expr}")
    terminator = "\\r\\n" if plan.line_terminator == "\r\n" else "\\n"
    return (
        f"load data local infile {_sql_string(path or plan.path)}\n"
        f"into table {target}\n"
        f"character set utf8mb4\n"
        f"fields terminated by {_sql_string(plan.delimiter)} optionally enclosed by '\"' "
        f"escaped by ''\n"
        f"lines terminated by '{terminator}'\n"
        f"ignore 1 lines\n"
        f"({', '.join(variables)})\n"
        f"set {', '.join(assignments)}"
    )


def _convert(value: str, is_boolean: bool) -> Any:
    if value == "":
        return None
    if is_boolean:
        low = value.strip().lower()
        if low == "true":
            return 1
        if low == "false":
            return 0
    return value


def iter_insert_batches(
    plan: SeedPlan, batch_rows: int, path: str | None = None
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of the CSV `path` (default: the plan's) converted for INSERT bindings, in batches."""
    flags = [c.is_boolean for c in plan.columns]
    fp, _ = _open(path or plan.path)
    with fp:
        reader = csv.reader(fp, delimiter=plan.delimiter)
        next(reader, None)
        while True:
            chunk = list(itertools.islice(reader, batch_rows))
            if not chunk:
                return
            yield [tuple(_convert(v, f) for v, f in zip(row, flags, strict=True)) for row in chunk]


# ---------------------------------------------------------------- the load, through the adapter
def seed_file_path(adapter: MySQLAdapter, model: Any) -> str:
    """The seed's CSV: the node's path under its root, else under the project."""
    root = str(model["root_path"] if isinstance(model, dict) else model.root_path)
    original = str(
        model["original_file_path"]
        if isinstance(model, dict)
        else model.original_file_path
    )
    path = os.path.join(root, original)
    if not os.path.exists(path):
        path = os.path.join(adapter.config.project_root, original)
    return os.path.abspath(path)

def plan_for_seed(
    adapter: MySQLAdapter,
    path: str,
    delimiter: str,
    column_types: dict[str, str] | None,
    check_manifest: bool = True,
) -> SeedPlan:
    """Type the CSV from its first SEED_SAMPLE_ROWS rows (the load verifies the rest).
    A header-only stub whose rows are in parts (manifest.py) is typed from its first part;
    a stub of Parquet files is refused here, before anything is created."""
    entry = _manifest_entry(path, check_manifest)
    if entry is None or not entry.stub:
        return _typed_plan(path, delimiter, column_types, SEED_SAMPLE_ROWS)
    if entry.format != "csv":
        raise DbtRuntimeError(
            f"{_seed_label(adapter, path)}: the data is in {entry.files[0].name}"
            f"{f' and {len(entry.files) - 1} more file(s)' if len(entry.files) > 1 else ''} "
            f"({entry.format}), which this seed cannot load: LOAD DATA reads CSV only. Load "
            f"it with `python -m seeds_gen load --target {adapter.config.target_name}`, then run "
            "dbt as before. The existing seed table is unchanged."
        )
    plan = _typed_plan(entry.files[0].path, delimiter, column_types, SEED_SAMPLE_ROWS)
    plan.path = path  # the seed; its rows are loaded from the entry's files
    return plan

def _manifest_entry(path: str, check_manifest: bool) -> seed_manifest.ManifestEntry | None:
    # A stub is loaded from its parts even when unchecked: loading the stub itself would
    # replace the table with no rows.
    return seed_manifest.find_entry(path, strict=check_manifest)

def _typed_plan(
    path: str,
    delimiter: str,
    column_types: dict[str, str] | None,
    sample_rows: int | None,
) -> SeedPlan:
    started = time.time()
    try:
        plan = plan_seed(
            path, delimiter or ",", column_types or {}, sample_rows=sample_rows
        )
    except (ValueError, UnicodeDecodeError, csv.Error) as exc:
        raise DbtRuntimeError(f"Cannot read seed file {path}: {exc}") from None
    logger.debug(
        f"seed {path}: {plan.row_count} rows typed in {time.time() - started:.1f}s"
        f"{' (sample)' if plan.sampled else ''}: "
        + ", ".join(f"{c.name} {c.sql_type}" for c in plan.columns)
    )
    return plan

def sample_table(plan: SeedPlan) -> agate.Table:
    """A small agate table of the first rows, for `dbt seed --show`."""
    from dbt_common.clients.agate_helper import table_from_rows

    return table_from_rows(
        [list(r) for r in plan.sample_rows],
        plan.column_names,
        text_only_columns=plan.column_names,
    )

def _local_infile_usable(adapter: MySQLAdapter) -> tuple[bool, str]:
    """(whether LOAD DATA LOCAL can be used, why)"""
    credentials = adapter.config.credentials
    if not getattr(credentials, "local_infile", True):
        return False, "local_infile is false in the profile"
    _, table = adapter.execute("select @@global.local_infile as v", fetch=True)
    value = table.rows[0][0]
    if str(value).upper() not in ("1", "ON", "TRUE"):
        return False, "local_infile is OFF on the server"
    return True, "local_infile is ON"

def load_seed(
    adapter: MySQLAdapter,
    relation: BaseRelation,
    plan: SeedPlan,
    quoted_columns: list[str],
    like_relation: BaseRelation | None = None,
    check_manifest: bool = True,
) -> dict[str, Any]:
    """Create `relation` (typed from the plan, or LIKE an existing seed table) and load the
    CSV into it, or every part of a stub seed in key order. Returns the create statement,
    the method used and the row count.

    A seed named in the generator's manifest.json must be the files it lists (sizes before
    anything is created; sha256 of the bytes sent and the rows loaded per file, and the
    table's rows, after the load into `relation`, which is dropped on a mismatch): the
    caller's old table stays. The seed config `check_manifest: false` loads unchecked."""
    label = _seed_label(adapter, plan.path)
    entry = _manifest_entry(plan.path, check_manifest)
    # (path, label, the manifest's entry for that file when it is checked)
    files: list[tuple[str, str, seed_manifest.ManifestFile | None]]
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
            create_sql = create_table_sql(plan, relation.render(), quoted_columns)
        adapter.execute(f"drop table if exists {relation.render()}", auto_begin=False)
        adapter.execute(create_sql, auto_begin=False)
        try:
            method, rows = _load_files(adapter, relation, plan, quoted_columns, files)
            if check_manifest and entry is not None and rows != entry.rows:
                raise seed_manifest.mismatch(
                    label, "rows loaded differ", f"{entry.rows} rows", f"{rows} loaded"
                )
        except DbtRuntimeError:
            _drop_quietly(adapter, relation)
            raise
        except _ValuesDoNotFit as exc:
            adapter.execute(f"drop table if exists {relation.render()}", auto_begin=False)
            typed = any(c.kind != "override" for c in plan.columns)
            if plan.sampled and typed and like_relation is None and len(files) == 1:
                logger.info(
                    f"Seed {relation.identifier}: values past the first {plan.row_count} "
                    f"rows do not fit the sampled types ({exc}); typing the whole file"
                )
                plan = _typed_plan(
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

def _seed_label(adapter: MySQLAdapter, path: str) -> str:
    """The seed file as the user names it: relative to the project when inside it."""
    relative = os.path.relpath(path, adapter.config.project_root)
    return path if relative.startswith("..") else relative

def _file_digest(path: str) -> tuple[int, str]:
    return os.path.getsize(path), seed_manifest.sha256_of(path)

def _drop_quietly(adapter: MySQLAdapter, relation: BaseRelation) -> None:
    handle = getattr(adapter.connections.get_if_exists(), "handle", None)
    if handle is None or not getattr(handle, "open", False):
        return
    try:
        adapter.execute(f"drop table if exists {relation.render()}", auto_begin=False)
    except DbtRuntimeError:
        logger.debug(f"Could not drop {relation.render()}")

def _load_files(
    adapter: MySQLAdapter,
    relation: BaseRelation,
    plan: SeedPlan,
    quoted_columns: list[str],
    files: list[tuple[str, str, seed_manifest.ManifestFile | None]],
) -> tuple[str, int]:
    """(method, rows): each file loaded into `relation` in order; each one the manifest
    lists is proved to be that file (bytes and sha256 as sent, rows loaded)."""
    if len(files) == 1 and plan.row_count == 0:
        path, file_label, listed = files[0]
        if listed is not None:
            seed_manifest.check_loaded(listed, file_label, 0, *_file_digest(path))
        return "empty file", 0
    name = (relation.identifier or "").removesuffix("__dbt_seed")
    ok, reason = _local_infile_usable(adapter)
    method = "load data local infile" if ok else "insert"
    started = time.time()
    total = 0
    for path, file_label, listed in files:
        sent: tuple[int, str] | None = None
        if method != "insert":
            try:
                rows, sent = _load_data(adapter, plan, relation, quoted_columns, path)
            except LocalFileRefused as exc:
                raise DbtDatabaseError(exc.message) from None
            except pymysql.err.MySQLError as exc:
                if _error_code(exc) not in ER_LOAD_INFILE_DISABLED or total:
                    raise DbtDatabaseError(_friendly_message(exc)) from None
                method, reason = "insert", f"the server refused it: {exc.args[1]}"
        if method == "insert":
            rows = _insert_rows(adapter, relation, plan, quoted_columns, path)
        if listed is not None:
            sent_bytes, sha256 = sent or _file_digest(path)
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
    adapter: MySQLAdapter,
    plan: SeedPlan,
    relation: BaseRelation,
    quoted_columns: list[str],
    path: str,
) -> tuple[int, tuple[int, str]]:
    """LOAD DATA LOCAL INFILE of `path`; the connection sends that file only, and only
    during this statement (local_files.py). Returns the rows loaded and the
    (bytes, sha256) of what was sent."""
    connection = adapter.connections.get_thread_connection()
    handle = connection.handle
    if not isinstance(handle, GuardedConnection):  # pragma: no cover (opened by connect())
        raise DbtRuntimeError("LOAD DATA LOCAL needs the adapter's guarded connection")
    rows: tuple[Any, ...] = ()
    with handle.expect_file(path) as local:
        # The statement names the real path (symlinks resolved once, here), which is also
        # the only name the connection will answer for.
        sql = load_data_sql(
            plan, relation.render(), quoted_columns, path=local.real_path
        )
        cursor = handle.cursor()
        try:
            cursor.execute(sql)
            loaded = cursor.rowcount
            result = getattr(cursor, "_result", None)
            # LOCAL turns bad values into warnings (the statement goes on): any is fatal.
            if result is not None and result.warning_count:
                cursor.execute("show warnings limit 5")
                rows = cursor.fetchall()
        finally:
            cursor.close()
    if rows:
        raise _ValuesDoNotFit("; ".join(f"{r[2]}" for r in rows))
    return int(loaded), (local.sent_bytes, local.sha256)

def _insert_rows(
    adapter: MySQLAdapter,
    relation: BaseRelation,
    plan: SeedPlan,
    quoted_columns: list[str],
    path: str,
) -> int:
    connection = adapter.connections.get_thread_connection()
    placeholders = ", ".join(["%s"] * len(plan.columns))
    sql = (
        f"insert into {relation.render()} ({', '.join(quoted_columns)}) "
        f"values ({placeholders})"
    )
    cursor = connection.handle.cursor()
    cursor.max_stmt_length = INSERT_MAX_STMT_BYTES
    rows = 0
    try:
        for batch in iter_insert_batches(plan, INSERT_BATCH_ROWS, path):
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

