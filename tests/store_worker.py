"""A child process the store tests start, watch and kill (it is not a test module).

    python store_worker.py replace STORE_PATH PERIOD ROWS VALUE RUN_ID
        replace PERIOD with ROWS synthetic rows; prints "writing <t>" before and
        "done <t>" after (t: time.monotonic(), comparable across processes)
    python store_worker.py deliver STORE_PATH EMAIL_SETTINGS_JSON PDF PERIOD
        email PDF to the configured recipients; prints "delivering" before and
        "delivered <n>" after

The store is opened from the environment as in production ($SCORECARD_STORE_URL
selects PostgreSQL), so a child reaches the store its test set up.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from store_backends import synthetic_rows

from scorecard.config import EmailSettings, StoreSettings
from scorecard.delivery import deliver
from scorecard.store import open_store


def replace(store_path: str, period: str, rows: str, value: str, run_id: str) -> None:
    store = open_store(StoreSettings(path=Path(store_path)))
    frame = synthetic_rows(int(rows), float(value))
    print(f"writing {time.monotonic()}", flush=True)
    store.replace_period(period, frame, run_id)
    print(f"done {time.monotonic()}", flush=True)


def send(store_path: str, settings_json: str, pdf: str, period: str) -> None:
    store = open_store(StoreSettings(path=Path(store_path)))
    settings = EmailSettings.model_validate_json(settings_json)
    print("delivering", flush=True)
    sent = deliver(settings, store, period=period, pdf=Path(pdf), subject="Scorecard", html_body="<p>KPIs</p>")
    print(f"delivered {len(sent)}", flush=True)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"replace": replace, "deliver": send}[command](*arguments)
