"""Casting text and typed columns to the canonical schema; unreadable values become problems."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import polars as pl

from scorecard.sources.casting import POSITION, to_canonical
from scorecard.sources.tables import SOURCE_ROW
from transforms.schema import CANONICAL, polars_schema


def cast(entity: str, values: dict[str, list], **options) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Cast ``values`` (other canonical columns null) the way the reader does."""
    height = len(next(iter(values.values())))
    series = [
        pl.Series(c.name, values[c.name])
        if c.name in values
        else pl.Series(c.name, [None] * height, pl.String)
        for c in CANONICAL[entity]
    ]
    frame = pl.DataFrame(series).with_columns(
        pl.int_range(height, dtype=pl.Int64).alias(POSITION),
        (pl.int_range(height, dtype=pl.Int64) + 10).alias(SOURCE_ROW),
    )
    return to_canonical(frame, entity, "f.csv", **options)


def test_timestamps_with_mixed_offsets_are_converted_to_utc():
    text = [
        "2026-10-03T09:15:00+03:00",
        "2026-10-03T06:15:00Z",
        "2026-10-03 01:15:00.5-05:00",
        "2026-10-03T09:15+0300",
    ]
    frame, problems = cast("customers", {"created_at": text})
    assert frame["created_at"].to_list() == [
        datetime(2026, 10, 3, 6, 15, tzinfo=UTC),
        datetime(2026, 10, 3, 6, 15, tzinfo=UTC),
        datetime(2026, 10, 3, 6, 15, 0, 500000, tzinfo=UTC),  # 01:15:00.5 at -05:00
        datetime(2026, 10, 3, 6, 15, tzinfo=UTC),
    ]
    assert problems.is_empty()


def test_naive_timestamps_are_read_in_the_source_zone():
    text = [
        "2026-10-03 09:15:00",
        "2026-10-03T09:15",
        "2026-10-03",
        "03.10.2026 09:15",
        "03.10.2026",
        "2026-10-25 02:30",
        "2026-03-29 02:30",
    ]
    frame, problems = cast("customers", {"created_at": text}, source_timezone="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    expected = [
        datetime(2026, 10, 3, 9, 15, tzinfo=berlin),
        datetime(2026, 10, 3, 9, 15, tzinfo=berlin),
        datetime(2026, 10, 3, tzinfo=berlin),
        datetime(2026, 10, 3, 9, 15, tzinfo=berlin),
        datetime(2026, 10, 3, tzinfo=berlin),
        datetime(
            2026, 10, 25, 0, 30, tzinfo=UTC
        ),  # 02:30 happens twice: the earlier, CEST (+02:00)
        None,  # 02:30 is skipped when clocks go forward
    ]
    assert frame["created_at"].to_list() == [
        e if e is None else e.astimezone(UTC) for e in expected
    ]
    assert problems.select("column", "raw_value", "rule").rows() == [
        ("created_at", "2026-03-29 02:30", "unparseable timestamp")
    ]


def test_unparseable_values_become_null_and_problems():
    frame, problems = cast(
        "tickets",
        {
            "ticket_id": ["T1", "T2", "T3"],
            "created_at": ["2026-10-03T09:15:00Z", "32.13.2026", "вчера"],
            "is_complaint": ["Да", "maybe", " нет "],
            "contacts": ["1", "two", "3.0"],
            "reopens": ["0", "1.5", " "],
            "handle_seconds": ["1e3", "nan", "12\x00"],
            "category": ["ok", "bad\x00byte", None],
        },
    )
    assert frame.schema == polars_schema("tickets")
    assert frame["is_complaint"].to_list() == [True, None, False]
    assert frame["contacts"].to_list() == [1, None, 3]
    assert frame["reopens"].to_list() == [0, None, None]
    assert frame["handle_seconds"].to_list() == [1000, None, None]
    assert frame["category"].to_list() == ["ok", None, None]
    assert problems.rows() == [
        (1, 11, "created_at", "32.13.2026", "unparseable timestamp"),
        (1, 11, "category", "bad\x00byte", "NUL byte in value"),
        (1, 11, "is_complaint", "maybe", "unparseable boolean"),
        (1, 11, "contacts", "two", "unparseable integer"),
        (1, 11, "reopens", "1.5", "unparseable integer"),
        (1, 11, "handle_seconds", "nan", "unparseable integer"),
        (2, 12, "created_at", "вчера", "unparseable timestamp"),
        (2, 12, "handle_seconds", "12\x00", "NUL byte in value"),
    ]  # a blank value (reopens " ") is null, not a problem


def test_booleans_in_every_listed_spelling():
    words = ["true", "FALSE", "1", "0", "yes", "No", "да", "НЕТ"]
    frame, problems = cast("tickets", {"is_complaint": words})
    assert frame["is_complaint"].to_list() == [True, False, True, False, True, False, True, False]
    assert problems.filter(pl.col("column") == "is_complaint").is_empty()


def test_numbers_with_decimal_comma_spaces_and_scale():
    frame, problems = cast("trainings", {"hours": ["1 234,5", "2,25", "-0,5", "1.5"]}, decimal=",")
    # In a decimal-comma file "1.5" is ambiguous (1.500 may mean 1500): a problem, not a guess.
    assert frame["hours"].to_list() == [1234.5, 2.25, -0.5, None]
    assert problems["raw_value"].to_list() == ["1.5"]

    minutes = {"handle_seconds": ["4.5", "0.33", "2"], "contacts": ["1", "1", "1"]}
    frame, _ = cast("tickets", minutes, scale={"handle_seconds": 60})
    assert frame["handle_seconds"].to_list() == [270, 20, 120]  # 4.5*60, round(19.8), 2*60


def test_integers_beyond_float_precision_stay_exact():
    frame, _ = cast("tickets", {"contacts": ["9007199254740993"]})
    assert frame["contacts"].to_list() == [9007199254740993]


def test_typed_columns_are_converted_directly():
    moscow = datetime(2026, 10, 3, 9, 15, tzinfo=ZoneInfo("Europe/Moscow"))
    frame, problems = cast(
        "tickets",
        {
            "ticket_id": pl.Series([101, 102], dtype=pl.Int64),
            "created_at": pl.Series([moscow, moscow]),
            "first_response_at": pl.Series(
                [datetime(2026, 10, 3, 9, 20), None]
            ),  # naive: source zone
            "resolved_at": pl.Series([date(2026, 10, 4), None]),
            "is_complaint": pl.Series([True, False]),
            "contacts": pl.Series([1.0, 2.5]),
            "reopens": pl.Series([0, 1], dtype=pl.Int32),
        },
        source_timezone="Europe/Moscow",
    )
    assert frame["ticket_id"].to_list() == ["101", "102"]
    assert frame["created_at"].to_list() == [datetime(2026, 10, 3, 6, 15, tzinfo=UTC)] * 2
    assert frame["first_response_at"].to_list() == [datetime(2026, 10, 3, 6, 20, tzinfo=UTC), None]
    assert frame["resolved_at"].to_list() == [datetime(2026, 10, 3, 21, 0, tzinfo=UTC), None]
    assert frame["contacts"].to_list() == [1, None]
    assert frame["reopens"].to_list() == [0, 1]
    assert problems.select("column", "raw_value").rows() == [("contacts", "2.5")]
