"""Parse timestamp text: ISO 8601 with an offset (to UTC) or naive (read in the source zone).

Accepted shapes (a space may stand for ``T``; ``Z`` means ``+00:00``)::

    2026-10-03T09:15:00+03:00   2026-10-03T09:15:00.123-05:00   2026-10-03T09:15+0300
    2026-10-03T09:15:00         2026-10-03T09:15:00.5           2026-10-03T09:15
    2026-10-03                  03.10.2026 09:15:00             03.10.2026 09:15    03.10.2026

A naive time is read in the source zone: an autumn hour that happens twice is
read as the earlier one; a spring hour that never happens is unparseable (null).

Trying a format on a value it does not fit is slow in Polars, so the formats are
tried in the order that fits a sample of the column best, each on the values
still unparsed only: a uniform column is parsed in one fast pass.
"""

from __future__ import annotations

import polars as pl

from transforms.schema import TIMESTAMP

OFFSET_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z")
NAIVE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d.%m.%YT%H:%M:%S",
    "%d.%m.%YT%H:%M",
    "%d.%m.%Y",
)
_SAMPLE = 1000


def parse_timestamps(text: pl.Series, source_timezone: str) -> pl.Series:
    """``text`` as UTC timestamps; null where the text is blank or fits no accepted shape."""
    iso = (
        text.str.strip_chars()
        .str.replace(" ", "T", literal=True)
        .str.replace("Z", "+00:00", literal=True)
    )
    todo = pl.DataFrame({"row": pl.int_range(len(iso), dtype=pl.UInt32, eager=True), "iso": iso})
    todo = todo.filter(pl.col("iso").is_not_null() & (pl.col("iso") != ""))
    result = pl.repeat(None, len(iso), dtype=TIMESTAMP, eager=True).alias(text.name)
    for fmt in _formats_by_fit(todo["iso"].head(_SAMPLE)):
        if todo.is_empty():
            break
        attempt = todo.with_columns(
            pl.col("iso").str.to_datetime(fmt, time_unit="us", strict=False).alias("ts")
        )
        parsed = attempt.filter(pl.col("ts").is_not_null())
        in_utc = (
            parsed["ts"].dt.convert_time_zone("UTC")
            if fmt in OFFSET_FORMATS
            else _local_to_utc(parsed["ts"], source_timezone)
        )
        result = result.scatter(parsed["row"], in_utc.cast(TIMESTAMP))
        todo = attempt.filter(pl.col("ts").is_null()).drop("ts")
    return result


def local_to_utc(naive: pl.Expr, source_timezone: str) -> pl.Expr:
    """Naive local times (an expression) in ``source_timezone``, as UTC timestamps."""
    return (
        naive.dt.replace_time_zone(source_timezone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .cast(TIMESTAMP)
    )


def _local_to_utc(naive: pl.Series, source_timezone: str) -> pl.Series:
    return naive.to_frame("ts").select(local_to_utc(pl.col("ts"), source_timezone)).to_series()


def _formats_by_fit(sample: pl.Series) -> list[str]:
    """Every accepted format, the ones that parse most of ``sample`` first."""
    formats = [*OFFSET_FORMATS, *NAIVE_FORMATS]
    fits = {
        fmt: sample.str.to_datetime(fmt, time_unit="us", strict=False).is_not_null().sum()
        for fmt in formats
    }
    return sorted(formats, key=lambda fmt: -fits[fmt])
