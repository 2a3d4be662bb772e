"""The monthly flow end to end on a small generated set, through Prefect.

The PDF is read back with pypdf: it shows the four level titles and the same
numbers the store holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from pypdf import PdfReader
from workspace import TIMEZONE, write_workspace

from scorecard.config import load_settings
from scorecard.store import MetricStore
from transforms.periods import Period

pytestmark = pytest.mark.slow

PERIOD = Period.parse("2026-10", TIMEZONE)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return write_workspace(tmp_path_factory.mktemp("flow"), end=PERIOD, months=3, seed=7, tickets_per_month=600,
                           company="Flow Test", extra_config='[targets."customer.csat_pct"]\ntarget = 80\n')


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_monthly_flow_end_to_end(prefect_test_server, workspace):
    from flows.monthly import monthly_scorecard

    pdf = Path(monthly_scorecard(period=PERIOD.label, config=str(workspace / "scorecard.toml"), send=False))
    assert pdf.exists() and pdf.suffix == ".pdf"
    text = pdf_text(pdf)
    for title in ("Financial", "Customer", "Operational", "Growth & learning"):
        assert title in text, title

    settings = load_settings(workspace / "scorecard.toml")
    store = MetricStore(settings.store.path)
    stored = store.period_values(PERIOD.label)
    assert stored.filter(pl.col("segment") == "all").height >= 40
    # The report shows the stored numbers: tickets created and resolved, as integers.
    for kpi in ("operational.tickets_created", "operational.tickets_resolved"):
        value = stored.filter((pl.col("kpi") == kpi) & (pl.col("segment") == "all"))["value"].item()
        assert re.search(rf"(?<![\d,]){int(value):,}(?![\d,])", text), (kpi, value)
    runs = store.runs(PERIOD.label)
    assert runs[-1].status == "succeeded" and runs[-1].report_path == str(pdf)
    assert runs[-1].input_checksums  # every archived input has its checksum recorded
