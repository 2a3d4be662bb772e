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

from scorecard.errors import InputError
from scorecard.sources.tables import SOURCE_ROW
from scorecard.sources.timestamps import local_to_utc, parse_timestamps
from transforms.schema import CANONICAL, TIMESTAMP, Column

POSITION = "__position"
PROBLEMS_SCHEMA = pl.Schema(
    {
        POSITION: pl.Int64(),
        SOURCE_ROW: pl.Int64(),
        "column": pl.String(),
        "raw_value": pl.String(),
        "rule": pl.String(),
    }
)
TRUE_WORDS = ("true", "1", "yes", "да")
FALSE_WORDS = ("false", "0", "no", "нет")
NUL_RULE = "NUL byte in value"
RULES = {  # what a value that cannot be read as the column's type broke
    "str": NUL_RULE,  # any text is text, unless it holds a NUL byte
    "int": "unparseable integer",
    "float": "unparseable number",
    "bool": "unparseable boolean",
    "ts": "unparseable timestamp",
}
_NESTED = (pl.List, pl.Array, pl.Struct, pl.Object)
_TEXT = "text:"  # a source value as stripped text (blank: null)
_OK = "ok:"  # the canonical value (null: missing or unparseable)


def to_canonical(
    frame: pl.DataFrame,
    entity: str,
    file: str,
    *,
    decimal: str = ".",
    scale: dict[str, float] | None = None,
    source_timezone: str = "UTC",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The canonical frame of ``entity`` (contract order and types) and its parse problems.

    ``frame`` holds every canonical column (already renamed and value-mapped) plus
    ``POSITION`` and ``SOURCE_ROW``, which the problems frame refers to.

    Text columns are parsed together (one parallel pass). A typed column is
    converted on its own, and passed through untouched when it already has its
    canonical type (and, for text, no value to strip, blank or with a NUL byte):
    the common case for Parquet and database sources costs no copy.
    """
    scale = scale or {}  # only number columns (checked by SourcesSettings)
    columns = CANONICAL[entity]
    clean = _clean_text_columns(frame, columns)
    as_text = [
        c for c in columns if _reads_as_text(c, frame.schema[c.name], file) and c.name not in clean
    ]
    text_values, text_problems = _from_text(frame, as_text, decimal, scale, source_timezone)
    values = dict(text_values)
    problems = [text_problems]
    for column in columns:
        if column.name not in values:
            values[column.name], lost = _from_typed(frame, column, scale.get(column.name), source_timezone)
            problems.append(lost)
    canonical = pl.DataFrame([values[c.name].cast(c.dtype).alias(c.name) for c in columns])
    return canonical, pl.concat(problems, how="vertical").sort(POSITION, maintain_order=True)


def _from_text(
    frame: pl.DataFrame,
    columns: list[Column],
    decimal: str,
    scale: dict[str, float],
    source_timezone: str,
) -> tuple[dict[str, pl.Series], pl.DataFrame]:
    """The text columns parsed to their canonical values, and the values that could not be."""
    if not columns:
        return {}, pl.DataFrame(schema=PROBLEMS_SCHEMA)
    cleaned = frame.select(
        pl.col(POSITION),
        pl.col(SOURCE_ROW),
        *(_stripped(pl.col(c.name).cast(pl.String)).alias(_TEXT + c.name) for c in columns),
    )
    timestamps = [c for c in columns if c.type == "ts"]
    parsed = (
        cleaned.with_columns(
            parse_timestamps(cleaned[_TEXT + c.name], source_timezone).alias(_OK + c.name)
            for c in timestamps
        )
        .lazy()
        .with_columns(
            _parse(c, pl.String(), True, decimal, scale.get(c.name), source_timezone).alias(
                _OK + c.name
            )
            for c in columns
            if c not in timestamps
        )
        .collect()
    )
    problems = pl.concat(
        [
            _lost(parsed.lazy(), pl.col(_TEXT + c.name), pl.col(_OK + c.name), c, True)
            for c in columns
        ],
        how="vertical",
    ).collect()
    return {c.name: parsed.get_column(_OK + c.name) for c in columns}, problems


def _from_typed(
    frame: pl.DataFrame, column: Column, factor: float | None, source_timezone: str
) -> tuple[pl.Series, pl.DataFrame]:
    """A typed column converted to its canonical value, and the values lost in the conversion.

    Only a fractional number in an integer column, a number out of range and a
    local time that never happens (spring DST gap) can be lost; the check reads
    validity bitmaps, and rows are only gathered when a value was lost.
    """
    source = frame.get_column(column.name)
    if source.dtype == column.dtype and factor is None:
        return source, pl.DataFrame(schema=PROBLEMS_SCHEMA)
    value = (
        source.to_frame()
        .select(
            _parse(column, source.dtype, False, ".", factor, source_timezone).alias(column.name)
        )
        .to_series()
    )
    lost = source.is_not_null() & value.is_null()
    if not lost.any():
        return value, pl.DataFrame(schema=PROBLEMS_SCHEMA)
    rows = frame.select(POSITION, SOURCE_ROW).filter(lost).with_columns(
        source.filter(lost).alias(column.name), value.filter(lost).alias(_OK + column.name)
    )
    problems = _lost(rows.lazy(), pl.col(column.name), pl.col(_OK + column.name), column, False)
    return value, problems.collect()


def _clean_text_columns(frame: pl.DataFrame, columns: tuple[Column, ...]) -> set[str]:
    """The text columns of a typed source that already are canonical text: no value with
    surrounding white space, none blank, none with a NUL byte (they are used as they are).
    One pass, the columns in parallel."""
    candidates = [c.name for c in columns if c.type == "str" and frame.schema[c.name] == pl.String]
    if not candidates:
        return set()
    verdicts = frame.select(_is_clean(pl.col(name)).alias(name) for name in candidates).row(0)
    return {name for name, clean in zip(candidates, verdicts) if clean}


def _is_clean(text: pl.Expr) -> pl.Expr:
    length = text.str.len_bytes()
    unclean = (
        (length == 0)
        | (text.str.strip_chars().str.len_bytes() != length)
        | text.str.contains("\x00", literal=True)
    )
    return ~unclean.any()


def _lost(
    parsed: pl.LazyFrame, source: pl.Expr, value: pl.Expr, column: Column, as_text: bool
) -> pl.LazyFrame:
    """The rows where ``column`` had a value but no canonical value came out of it."""
    text = source.cast(pl.String)
    has_nul = text.str.contains("\x00", literal=True) if as_text else pl.lit(False)
    return parsed.filter(source.is_not_null() & value.is_null()).select(
        pl.col(POSITION).cast(pl.Int64),
        pl.col(SOURCE_ROW).cast(pl.Int64),
        pl.lit(column.name).alias("column"),
        text.alias("raw_value"),
        pl.when(has_nul).then(pl.lit(NUL_RULE)).otherwise(pl.lit(RULES[column.type])).alias("rule"),
    )


def _reads_as_text(column: Column, dtype: pl.DataType, file: str) -> bool:
    """Whether the source column is parsed from text (else converted from its own type)."""
    if isinstance(dtype, _NESTED):
        raise InputError(
            file,
            f"holds {dtype} values, expected {column.type}",
            "map a plain column to it",
            column=column.name,
        )
    typed = {
        "str": False,
        "int": dtype.is_numeric(),
        "float": dtype.is_numeric(),
        "bool": dtype == pl.Boolean,
        "ts": isinstance(dtype, (pl.Datetime, pl.Date)),
    }
    return not typed[column.type]


def _parse(
    column: Column, dtype: pl.DataType, as_text: bool, decimal: str, factor: float | None, tz: str
) -> pl.Expr:
    """The canonical value of ``column`` from its source (null when unparseable)."""
    source = pl.col(_TEXT + column.name) if as_text else pl.col(column.name)
    if column.type == "str":
        return pl.when(~source.str.contains("\x00", literal=True)).then(source)
    if column.type in ("int", "float"):
        number = _number(source, decimal) if as_text else source.cast(pl.Float64)
        if factor is not None:
            number = number * factor
        if column.type == "float":
            return number
        if not as_text and dtype.is_integer() and factor is None:
            return source.cast(pl.Int64)
        whole = number.round(0) if factor is not None else number
        integer = pl.when(whole == whole.floor()).then(whole).cast(pl.Int64, strict=False)
        if as_text and factor is None:  # exact for integers beyond float precision
            integer = pl.coalesce(
                _number_text(source, decimal).str.to_integer(strict=False), integer
            )
        return integer
    if column.type == "bool":
        if not as_text:
            return source
        word = source.str.to_lowercase()
        return pl.when(word.is_in(TRUE_WORDS)).then(True).when(word.is_in(FALSE_WORDS)).then(False)
    return utc_timestamps(source, dtype, tz)


def utc_timestamps(source: pl.Expr, dtype: pl.DataType, tz: str) -> pl.Expr:
    """A typed time column (aware or naive datetime, or date) as UTC timestamps; naive
    values are read in ``tz``."""
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return source.dt.convert_time_zone("UTC").cast(TIMESTAMP)
    return local_to_utc(source.cast(pl.Datetime("us")), tz)  # naive datetime or date


def _stripped(text: pl.Expr) -> pl.Expr:
    stripped = text.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _number_text(text: pl.Expr, decimal: str) -> pl.Expr:
    """Number text with "." as the decimal mark; with a decimal comma, a "." is ambiguous (null)."""
    compact = text
    for space in (" ", "\u00a0", "\u202f"):  # thousands separators
        compact = compact.str.replace_all(space, "", literal=True)
    if decimal == ".":
        return compact
    return pl.when(~compact.str.contains(".", literal=True)).then(
        compact.str.replace(",", ".", literal=True)
    )


def _number(text: pl.Expr, decimal: str) -> pl.Expr:
    """A finite Float64 from text, or null."""
    value = _number_text(text, decimal).cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)
