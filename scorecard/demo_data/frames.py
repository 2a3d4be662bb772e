"""Turning the generator's numpy arrays into canonical Polars columns and frames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from scorecard.demo_data.timeline import NEVER
from transforms.schema import polars_schema

Column = pl.Series | np.ndarray


def ids(prefix: str, count: int) -> pl.Series:
    """``prefix`` followed by 1..count, zero-padded to one width (``C000001``)."""
    width = max(6, len(str(count)))
    number = pl.int_range(1, count + 1, eager=True).cast(pl.String).str.zfill(width)
    return pl.select(pl.lit(prefix) + number).to_series()


def with_nulls(values: np.ndarray, missing: np.ndarray) -> pl.Series:
    """``values`` as a Series, null where ``missing`` is true."""
    return pl.Series(values).scatter(np.flatnonzero(missing), None)


def timestamps(at: np.ndarray) -> pl.Series:
    """Epoch microseconds as UTC timestamps; :data:`NEVER` becomes null."""
    return with_nulls(at, at == NEVER).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def take(values: pl.Series, index: np.ndarray) -> pl.Series:
    """``values[index]``, null where ``index`` is -1."""
    return values.gather(with_nulls(index, index < 0))


def labels(names: Sequence[str | None], codes: np.ndarray) -> pl.Series:
    """``names[code]`` for each code; code -1 and a ``None`` name give null."""
    return take(pl.Series(list(names), dtype=pl.String), codes)


def canonical(entity: str, columns: Mapping[str, Column]) -> pl.DataFrame:
    """A frame of exactly ``entity``'s canonical columns, in contract order and type."""
    frame = pl.DataFrame(dict(columns))
    return frame.select(pl.col(name).cast(dtype) for name, dtype in polars_schema(entity).items())
