"""Column types: names as information_schema reports them, and CAST targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from dbt.adapters.base.column import Column

_STRING_TYPES = {"varchar", "char", "character varying", "character", "nvarchar", "nchar"}
_TEXT_TYPES = {"text", "tinytext", "mediumtext", "longtext", "string"}
_INTEGER_TYPES = {
    "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "int2", "int4", "int8",
}
_FLOAT_TYPES = {"float", "double", "real", "double precision", "float4", "float8"}
_NUMERIC_TYPES = {"decimal", "numeric", "dec", "fixed"}

_TYPE_RE = re.compile(
    r"^\s*([a-z ]+?)\s*(\(\s*([0-9]+)\s*(?:,\s*([0-9]+)\s*)?\))?\s*(unsigned)?\s*$", re.I
)


@dataclass
class MySQLColumn(Column):
    TYPE_LABELS: ClassVar[dict[str, str]] = {
        "STRING": "text",
        "TIMESTAMP": "datetime",
        "BOOLEAN": "boolean",
        "INTEGER": "int",
        "FLOAT": "double",
        "NUMERIC": "decimal",
    }

    @property
    def quoted(self) -> str:
        return "`{}`".format(self.column.replace("`", "``"))

    def is_string(self) -> bool:
        return self.dtype.lower() in _STRING_TYPES | _TEXT_TYPES

    def is_integer(self) -> bool:
        return self.dtype.lower() in _INTEGER_TYPES

    def is_float(self) -> bool:
        return self.dtype.lower() in _FLOAT_TYPES

    def is_numeric(self) -> bool:
        return self.dtype.lower() in _NUMERIC_TYPES

    def string_size(self) -> int:
        dtype = self.dtype.lower()
        if dtype in _TEXT_TYPES:
            return {"tinytext": 255, "text": 65535, "mediumtext": 16777215}.get(dtype, 4294967295)
        if self.char_size is None:
            return 255
        return int(self.char_size)

    @classmethod
    def string_type(cls, size: int) -> str:
        return f"varchar({size})" if size <= 16383 else "longtext"

    @property
    def data_type(self) -> str:
        dtype = self.dtype.lower()
        if dtype in _TEXT_TYPES:
            return dtype
        if dtype in _STRING_TYPES:
            base = "char" if dtype in ("char", "character", "nchar") else "varchar"
            return f"{base}({self.string_size()})"
        if self.is_numeric():
            return self.numeric_type("decimal", self.numeric_precision, self.numeric_scale)
        return self.dtype

    def literal(self, value: Any) -> str:
        return f"cast({value} as {self.cast_type(self.data_type)})"

    @classmethod
    def cast_type(cls, data_type: str) -> str:
        """The CAST target for a column type: MySQL's CAST accepts only a few type names
        (signed, unsigned, decimal, char, binary, date, datetime, time, double, json)."""
        match = _TYPE_RE.match(data_type or "")
        if match is None:
            return data_type
        name = match.group(1).strip().lower()
        size, scale, unsigned = match.group(3), match.group(4), match.group(5)
        if name in _INTEGER_TYPES or name in ("bool", "boolean", "year"):
            return "unsigned" if unsigned else "signed"
        if name in _NUMERIC_TYPES:
            if size and scale:
                return f"decimal({size},{scale})"
            if size:
                return f"decimal({size})"
            return "decimal(10,0)" if name != "fixed" else "decimal"
        if name in _FLOAT_TYPES:
            return "double"
        if name in _STRING_TYPES:
            return f"char({size})" if size else "char"
        if name in _TEXT_TYPES or name in ("enum", "set"):
            return "char"
        if name in ("datetime", "timestamp"):
            return f"datetime({size})" if size else "datetime"
        if name == "time":
            return f"time({size})" if size else "time"
        if name == "date":
            return "date"
        if name in ("binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob"):
            return f"binary({size})" if size else "binary"
        if name == "json":
            return "char"  # MariaDB has no CAST AS JSON; its json type is longtext
        return data_type
