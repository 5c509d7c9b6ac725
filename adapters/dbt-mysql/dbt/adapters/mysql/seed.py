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
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

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
_CANDIDATES: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
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
    columns: List[SeedColumn] = field(default_factory=list)
    row_count: int = 0
    sampled: bool = False
    sample_rows: List[List[str]] = field(default_factory=list)

    @property
    def column_names(self) -> List[str]:
        return [c.name for c in self.columns]


def _open(path: str) -> Tuple[Any, bool]:
    fp = open(path, encoding="utf-8", newline="")
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


def _digits(values: Sequence[str]) -> Tuple[int, int]:
    """Longest integer part and longest fraction among decimal literals."""
    joined = "\n".join(values)
    max_int = max(map(len, _DIGITS_INT_RE.findall(joined)), default=0)
    max_scale = max(map(len, _DIGITS_SCALE_RE.findall(joined)), default=0)
    return max_int, max_scale


def _whole_column_pattern(rx: "re.Pattern[str]") -> "re.Pattern[str]":
    return re.compile(rf"(?:{rx.pattern})(?:\n(?:{rx.pattern}))*")


_WHOLE = {kind: _whole_column_pattern(rx) for kind, rx in _CANDIDATES}


def _column_fits(kind: str, joined: str) -> bool:
    # One regex run over the whole column (values joined by newlines) instead of one call per
    # value: the scan stays in C. Callers rule out values that contain newlines themselves.
    return _WHOLE[kind].fullmatch(joined) is not None


def plan_seed(
    path: str,
    delimiter: str = ",",
    column_types: Optional[Dict[str, str]] = None,
    sample_rows: Optional[int] = None,
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
        candidates: List[List[str]] = [
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
            for i, values in enumerate(zip(*chunk)):
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
                    a, b = _digits(values)
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
    cols = ",\n  ".join(f"{q} {c.sql_type}" for q, c in zip(quoted_columns, plan.columns))
    return f"create table {target} (\n  {cols}\n) character set utf8mb4"


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def load_data_sql(
    plan: SeedPlan, target: str, quoted_columns: Sequence[str], path: Optional[str] = None
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
    for var, col, quoted in zip(variables, plan.columns, quoted_columns):
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
    plan: SeedPlan, batch_rows: int, path: Optional[str] = None
) -> Iterator[List[Tuple[Any, ...]]]:
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
            yield [tuple(_convert(v, f) for v, f in zip(row, flags)) for row in chunk]
