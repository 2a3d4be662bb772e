"""Cast mapped columns to the canonical schema; a value that cannot be parsed becomes null.

Text is parsed as follows (every rule is applied column-wise, in Polars):

- text: stripped; blank → null;
- int / float: spaces inside numbers ignored; the file's decimal mark (in a
  decimal-comma file a "." is ambiguous — 1.500 may mean 1500 — so unparseable); a
  ``scale`` factor multiplies (int columns are then rounded); an int column
  accepts ``3.0`` but not ``2.5``;
- bool: true/false, 1/0, yes/no, да/нет (any case);
- ts: ISO 8601 with an offset or ``Z`` (mixed offsets are fine; converted to
  UTC), or naive and read in the source time zone (see :mod:`timestamps`).

Typed columns (Parquet, database rows) are converted directly. A value that
was present but could not be parsed, or that holds a NUL byte, becomes null
and is reported in the problems frame.
"""

from __future__ import annotations

import polars as pl

from scorecard.errors import ConfigError, InputError
from scorecard.sources.tables import SOURCE_ROW
from scorecard.sources.timestamps import local_to_utc, parse_timestamps
from transforms.schema import CANONICAL, TIMESTAMP, Column

POSITION = "__position"
PROBLEMS_SCHEMA = pl.Schema(
    {POSITION: pl.Int64(), SOURCE_ROW: pl.Int64(), "column": pl.String(),
     "raw_value": pl.String(), "rule": pl.String()}
)
TRUE_WORDS = ("true", "1", "yes", "да")
FALSE_WORDS = ("false", "0", "no", "нет")
RULES = {
    "str": "NUL byte in value",
    "int": "unparseable integer",
    "float": "unparseable number",
    "bool": "unparseable boolean",
    "ts": "unparseable timestamp",
}
_NESTED = (pl.List, pl.Array, pl.Struct, pl.Object)


def to_canonical(
    frame: pl.DataFrame, entity: str, file: str, *,
    decimal: str = ".", scale: dict[str, float] | None = None, source_timezone: str = "UTC",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The canonical frame of ``entity`` (contract order and types) and its parse problems.

    ``frame`` holds every canonical column (already renamed and value-mapped) plus
    ``POSITION`` and ``SOURCE_ROW``, which the problems frame refers to.
    """
    scale = scale or {}
    columns = CANONICAL[entity]
    _check_scale(entity, columns, scale)
    timestamp_text = [c for c in columns if c.type == "ts" and not _is_datetime(frame.schema[c.name])]
    parsed = frame.select(
        pl.col(POSITION), pl.col(SOURCE_ROW),
        *(_raw_text(frame, c, file).alias(f"raw:{c.name}") for c in columns),
        *(
            _parse(c, frame.schema[c.name], decimal, scale.get(c.name), source_timezone).alias(c.name)
            for c in columns
            if c not in timestamp_text
        ),
    ).with_columns(
        parse_timestamps(frame[c.name].cast(pl.String), source_timezone).alias(c.name) for c in timestamp_text
    )
    problems = pl.concat(
        [
            parsed.filter(_is_problem(c)).select(
                pl.col(POSITION), pl.col(SOURCE_ROW), pl.lit(c.name).alias("column"),
                pl.col(f"raw:{c.name}").alias("raw_value"),
                pl.when(_has_nul(c)).then(pl.lit(RULES["str"])).otherwise(pl.lit(RULES[c.type]))
                .alias("rule"),
            )
            for c in columns
        ],
        how="vertical",
    ).sort(POSITION, maintain_order=True)
    canonical = parsed.select(
        pl.when(_has_nul(c)).then(None).otherwise(pl.col(c.name)).cast(c.dtype).alias(c.name)
        for c in columns
    )
    return canonical, problems.cast(PROBLEMS_SCHEMA)


def _is_problem(column: Column) -> pl.Expr:
    raw = pl.col(f"raw:{column.name}")
    present = raw.is_not_null() & (raw.str.strip_chars() != "")
    return present & (pl.col(column.name).is_null() | _has_nul(column))


def _has_nul(column: Column) -> pl.Expr:
    return pl.col(f"raw:{column.name}").str.contains("\x00", literal=True).fill_null(False)


def _raw_text(frame: pl.DataFrame, column: Column, file: str) -> pl.Expr:
    dtype = frame.schema[column.name]
    if isinstance(dtype, _NESTED):
        raise InputError(file, f"holds {dtype} values, expected {column.type}",
                         "map a plain column to it", column=column.name)
    return pl.col(column.name).cast(pl.String)


def _parse(column: Column, dtype: pl.DataType, decimal: str, factor: float | None, tz: str) -> pl.Expr:
    """The expression turning the source column into the canonical value (null when unparseable)."""
    name = column.name
    if column.type == "str":
        return _text(name)
    if column.type in ("int", "float"):
        number = pl.col(name).cast(pl.Float64) if dtype.is_numeric() else _number(name, decimal)
        if factor is not None:
            number = number * factor
        if column.type == "float":
            return number
        if dtype.is_integer() and factor is None:
            return pl.col(name).cast(pl.Int64)
        whole = number.round(0) if factor is not None else number
        integer = pl.when(whole == whole.floor()).then(whole).cast(pl.Int64, strict=False)
        if dtype == pl.String and factor is None:  # exact for integers beyond float precision
            integer = pl.coalesce(_number_text(name, decimal).str.to_integer(strict=False), integer)
        return integer
    if column.type == "bool":
        if dtype == pl.Boolean:
            return pl.col(name)
        word = _text(name).str.to_lowercase()
        return pl.when(word.is_in(TRUE_WORDS)).then(True).when(word.is_in(FALSE_WORDS)).then(False)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return pl.col(name).dt.convert_time_zone("UTC").cast(TIMESTAMP)
    return local_to_utc(pl.col(name).cast(pl.Datetime("us")), tz)  # naive datetime or date


def _text(name: str) -> pl.Expr:
    stripped = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _number_text(name: str, decimal: str) -> pl.Expr:
    """Number text with "." as the decimal mark; with a decimal comma, a "." is ambiguous (null)."""
    compact = _text(name).str.replace_all(r"[\s\u00a0\u202f]", "")
    if decimal == ".":
        return compact
    return pl.when(~compact.str.contains(".", literal=True)).then(compact.str.replace(",", ".", literal=True))


def _number(name: str, decimal: str) -> pl.Expr:
    """A finite Float64 from text, or null."""
    value = _number_text(name, decimal).cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _is_datetime(dtype: pl.DataType) -> bool:
    return isinstance(dtype, (pl.Datetime, pl.Date))


def _check_scale(entity: str, columns: tuple[Column, ...], scale: dict[str, float]) -> None:
    numeric = {c.name for c in columns if c.type in ("int", "float")}
    for name in scale:
        if name not in numeric:
            raise ConfigError(
                f"[sources.{entity}.mapping.scale] {name!r}: only int and float columns of "
                f"{entity} can be scaled ({', '.join(sorted(numeric))})"
            )
