"""Reading only the period's rows: the KPIs do not change, Parquet and CSV agree, problems follow."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from scorecard.demo_data import generate_demo, write_demo
from scorecard.sources import RowWindow, SourcesSettings, pull, read_entities
from transforms.compute import compute_metrics
from transforms.params import MetricParams
from transforms.periods import Period

from .exports import TICKETS_HEADER

TZ = "Europe/Moscow"
PARAMS = MetricParams()
FRAMES = generate_demo(end=Period.parse("2026-10", TZ), months=15, seed=3, tickets_per_month=400, tz=TZ)


def window_rows(frames: dict[str, pl.DataFrame], window: RowWindow) -> dict[str, pl.DataFrame]:
    """The window applied to whole frames (what the reader keeps)."""
    kept = {}
    for entity, frame in frames.items():
        keep = window.rows(entity, window.related_ids(entity, frames))
        kept[entity] = frame if keep is None else frame.filter(keep)
    return kept


def kpis(frames: dict[str, pl.DataFrame], period: Period) -> pl.DataFrame:
    lazy = {entity: frame.lazy() for entity, frame in frames.items()}
    return compute_metrics(lazy, period, PARAMS).sort("kpi", "segment")


@pytest.mark.parametrize(
    "labels",
    [["2026-10"], ["2026-01"], ["2026Q3"], ["2026-06", "2026-07", "2026-08", "2026-09"], ["2025"]],
)
def test_the_kpis_of_the_window_rows_are_the_kpis_of_every_row(labels):
    periods = [Period.parse(label, TZ) for label in labels]
    window = RowWindow.for_periods(periods, PARAMS.churned_revenue_months)
    kept = window_rows(FRAMES, window)

    # the window drops most history (else this test would prove nothing)
    assert kept["tickets"].height < FRAMES["tickets"].height / 2
    assert kept["survey_responses"].height < FRAMES["survey_responses"].height / 2
    assert kept["customers"].height == FRAMES["customers"].height
    for period in periods:
        assert_frame_equal(kpis(kept, period), kpis(FRAMES, period))


def test_the_window_keeps_old_open_tickets_and_answered_tickets():
    october = Period.parse("2026-10", TZ)
    window = RowWindow.for_periods([october], 12)
    tickets = pl.DataFrame(
        {
            "ticket_id": ["old-open", "old-closed", "answered", "in-october", "no-date"],
            "created_at": ["2025-01-10", "2025-01-10", "2026-08-30", "2026-10-05", None],
            "resolved_at": [None, "2025-02-01", "2026-08-31", None, None],
        }
    ).with_columns(pl.col("created_at", "resolved_at").str.to_datetime(time_zone="UTC"))
    responses = pl.DataFrame(
        {"ticket_id": ["answered", None], "submitted_at": ["2026-10-02", "2026-10-03"]}
    ).with_columns(pl.col("submitted_at").str.to_datetime(time_zone="UTC"))
    answered = window.related_ids("tickets", {"survey_responses": responses})
    kept = tickets.filter(window.rows("tickets", answered))["ticket_id"].to_list()
    assert kept == ["old-open", "answered", "in-october", "no-date"]
    # orders: 12 months back from 2026-10-01 Moscow = 2025-09-30T21:00Z
    assert window.orders_since.isoformat() == "2025-09-30T21:00:00+00:00"


def test_the_window_keeps_old_orders_only_of_customers_who_churned_in_it():
    october = Period.parse("2026-10", TZ)
    window = RowWindow.for_periods([october], 12)
    customers = pl.DataFrame(
        {"customer_id": ["stays", "churns"], "churned_at": [None, "2026-10-15"]}
    ).with_columns(pl.col("churned_at").str.to_datetime(time_zone="UTC"))
    orders = pl.DataFrame(
        {
            "order_id": ["stays-sep", "stays-old", "churns-old", "churns-too-old", "undated"],
            "customer_id": ["stays", "stays", "churns", "churns", "stays"],
            "ordered_at": ["2026-09-05", "2026-03-01", "2026-03-01", "2025-09-01", None],
        }
    ).with_columns(pl.col("ordered_at").str.to_datetime(time_zone="UTC"))
    churned = window.related_ids("orders", {"customers": customers})
    assert churned.to_list() == ["churns"]
    kept = orders.filter(window.rows("orders", churned))["order_id"].to_list()
    assert kept == ["stays-sep", "churns-old", "undated"]
    # without the customers, every order of the look-back is kept
    assert orders.filter(window.rows("orders"))["order_id"].to_list() == [
        "stays-sep", "stays-old", "churns-old", "undated"
    ]


def _export(frames: dict[str, pl.DataFrame], folder, fmt: str) -> SourcesSettings:
    write_demo(frames, folder, fmt=fmt, tz=TZ)
    return SourcesSettings.for_folder(folder)


def test_parquet_and_csv_read_the_same_window_rows(tmp_path):
    frames = generate_demo(end=Period.parse("2026-10", TZ), months=6, seed=5, tickets_per_month=150, tz=TZ)
    october = Period.parse("2026-10", TZ)
    window = RowWindow.for_periods([october], 12)
    expected = window_rows(frames, window)
    for fmt in ("parquet", "csv"):
        settings = _export(frames, tmp_path / fmt, fmt)
        read = read_entities(pull(settings, october, tmp_path / f"run-{fmt}"), settings, window)
        assert read.problems.is_empty()
        for entity, frame in expected.items():
            assert_frame_equal(read.frames[entity], frame)
    assert expected["tickets"].height < frames["tickets"].height


def test_problems_of_dropped_rows_go_and_kept_rows_are_renumbered(tmp_path):
    """A CSV is filtered after parsing: row_number counts the kept rows only."""
    frames = generate_demo(end=Period.parse("2026-10", TZ), months=2, seed=5, tickets_per_month=20, tz=TZ)
    settings = _export(frames, tmp_path / "src", "csv")
    tickets = tmp_path / "src" / "tickets.csv"
    tickets.write_text(
        TICKETS_HEADER + "\n"
        "T-aug,C1,phone,2026-08-03T10:00:00+03:00,,2026-08-04T10:00:00+03:00,A1,north,billing,"
        "purchase,false,many,0,60\n"
        "T-oct-1,C1,phone,2026-10-03T10:00:00+03:00,,,A1,north,billing,purchase,false,1,0,60\n"
        "T-sep,C1,phone,2026-09-03T10:00:00+03:00,,2026-09-04T10:00:00+03:00,A1,north,billing,"
        "purchase,false,1,x,60\n"
        "T-oct-2,C1,phone,2026-10-04T10:00:00+03:00,,,A1,north,billing,purchase,false,lots,0,60\n",
        encoding="utf-8",
    )
    october = Period.parse("2026-10", TZ)
    read = read_entities(pull(settings, october, tmp_path / "run"), settings, RowWindow.for_periods([october], 12))

    assert read.frames["tickets"]["ticket_id"].to_list() == ["T-oct-1", "T-oct-2"]
    problems = read.problems.filter(pl.col("entity") == "tickets")
    assert problems.select("row_number", "source_row", "column", "raw_value").rows() == [
        (1, 3, "contacts", "lots")
    ]
