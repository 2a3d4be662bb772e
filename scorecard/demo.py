"""``scorecard demo``: a complete, realistic run on generated exports.

1. Write demo exports (24 months, deterministic) into ``<dir>/data`` unless present.
2. Write ``<dir>/scorecard.toml`` pointing at them.
3. Fill the store with the 23 months before the latest, so the report has
   trends, previous-period and year-ago comparisons.
4. Run the real monthly Prefect flow for the latest complete month.
Returns the PDF path.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from scorecard.config import load_settings
from transforms.periods import Period

DEMO_TZ = "Europe/Moscow"
DEMO_MONTHS = 24

DEMO_CONFIG = """\
# Demo configuration written by `scorecard demo`. See scorecard.example.toml for every key.
[company]
name = "Demo Retail"

[reporting]
timezone = "{tz}"
currency = "RUB"
language = "{language}"
baseline_period = "{baseline}"

[sources]
path = "data"

[validation]
write_data_docs = true   # Great Expectations Data Docs in each run folder

[store]
path = "var/scorecard.duckdb"

[output]
dir = "out"

[targets."customer.csat_pct"]
target = 85
direction = "higher"
amber_band = 5

[targets."customer.nps"]
target = 40
direction = "higher"
amber_band = 10

[targets."customer.churn_rate"]
target = 2.5
direction = "lower"
amber_band = 0.5

[targets."operational.sla_frt_pct"]
target = 90
direction = "higher"
amber_band = 5

[targets."operational.frt_median_min"]
target = 30
direction = "lower"
amber_band = 10

[targets."operational.fcr_pct"]
target = 75
direction = "higher"
amber_band = 5

[targets."growth.enps"]
target = 30
direction = "higher"
amber_band = 10

[targets."growth.attrition_pct"]
target = 3
direction = "lower"
amber_band = 1

[targets."financial.nrr"]
target = 100
direction = "higher"
amber_band = 5
"""


def run_demo(workspace: Path, language: str | None = None, now: datetime | None = None) -> Path:
    from scorecard import pipeline
    from scorecard.demo_data import generate_demo, write_demo
    from scorecard.orchestration import run_monthly

    workspace = workspace.resolve()
    latest = Period.last_complete(now or datetime.now(timezone.utc), DEMO_TZ)
    data = workspace / "data"
    if not (data / "tickets.csv").exists():
        frames = generate_demo(end=latest, months=DEMO_MONTHS, seed=42, tz=DEMO_TZ)
        write_demo(frames, data, fmt="csv")
    config = workspace / "scorecard.toml"
    config.write_text(
        DEMO_CONFIG.format(tz=DEMO_TZ, language=language or "en", baseline=latest.shift(-12).label),
        encoding="utf-8",
    )
    settings = load_settings(config)
    pipeline.fill_history(settings, latest.trailing(DEMO_MONTHS)[:-1])
    return run_monthly(settings, latest, config=config, source=None, send=False)
