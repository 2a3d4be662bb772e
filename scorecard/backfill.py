"""Which periods a backfill runs, and the tables that show periods: pure functions over run records.

A backfill covers every period from ``--from`` to ``--to``. ``--only`` narrows it;
a period runs when any of the listed choices selects it:

- ``missing``: no run of the period produced a report (``never run``, or only failures);
- ``failed``: its last run failed, or was interrupted (still ``running`` in the
  store while nobody holds the period's lock: the process died);
- ``changed``: its inputs or the code differ from its last reporting run. The
  inputs are compared by the sha256 of every file the period pulls, which the
  caller computes beforehand by pulling into a scratch folder (a copy and a hash
  per file, no parsing); the code by :func:`scorecard.pipeline.code_version`.
  A configuration change is neither: re-run the range without ``--only``.

The one function here that does I/O is :func:`pulled_checksums`;
:func:`outcome_of` runs what it is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from scorecard.config import Settings
from scorecard.errors import ScorecardError, ValidationFailed
from scorecard.locks import PeriodBusy
from scorecard.store import DeliveryRecord, RunRecord
from transforms.periods import Period

ONLY_CHOICES = ("missing", "failed", "changed")
REPORTED = frozenset({"succeeded", "sent", "delivery failed"})  # the run stored the period and rendered its report
FAILED = frozenset({"failed", "validation failed"})
MAX_PERIODS = 240


@dataclass(frozen=True)
class PlanItem:
    period: str
    run: bool
    reason: str


@dataclass(frozen=True)
class PeriodOutcome:
    period: str
    status: str  # succeeded | validation failed | already running | failed
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


def outcome_of(period: str, run: Callable[[], object]) -> PeriodOutcome:
    """Run one period's work and say how it went: a failure is the outcome, never an exception."""
    from scorecard.pipeline import error_line

    started = time.perf_counter()
    try:
        run()
    except Exception as exc:  # noqa: BLE001 (one period's failure must not stop the others)
        return PeriodOutcome(period, _failure_status(exc), time.perf_counter() - started, error_line(exc))
    return PeriodOutcome(period, "succeeded", time.perf_counter() - started)


def _failure_status(exc: Exception) -> str:
    if isinstance(exc, ValidationFailed):
        return "validation failed"
    if isinstance(exc, PeriodBusy):
        return "already running"
    return "failed"


# --- planning ----------------------------------------------------------------------------
def parse_only(text: str | None) -> frozenset[str]:
    """``missing,failed`` → {"missing", "failed"}; None or "" → every period."""
    chosen = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    unknown = sorted(chosen - set(ONLY_CHOICES))
    if unknown:
        raise ScorecardError(f"--only: unknown choice {unknown[0]!r}; use a comma list of {', '.join(ONLY_CHOICES)}")
    return chosen


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last`` inclusive; one line for a reversed or huge range."""
    if first.kind != last.kind:
        raise ScorecardError(f"--from {first} and --to {last} must both be months, quarters or years")
    if last < first:
        raise ScorecardError(f"--from {first} is after --to {last}; swap them")
    periods = Period.range(first, last)
    if len(periods) > MAX_PERIODS:
        raise ScorecardError(f"{first}..{last} is {len(periods)} periods; backfill at most {MAX_PERIODS} at a time")
    return periods


def last_reported(runs: Sequence[RunRecord]) -> dict[str, RunRecord]:
    """Each period's latest run that produced a report (runs in start order)."""
    return {run.period: run for run in runs if run.status in REPORTED}


def plan(
    periods: Sequence[str],
    runs: Sequence[RunRecord],
    *,
    only: frozenset[str],
    running: Mapping[str, str],
    checksums: Mapping[str, dict[str, str] | str],
    code_version: str,
) -> list[PlanItem]:
    """Decide for each period whether the backfill runs it, and why.

    ``runs`` are all run records in start order; ``running`` maps the periods whose
    lock is held now to their holder; ``checksums`` holds the current input
    checksums of the periods that have a reporting run (needed for ``changed``
    only), or the one-line reason they could not be pulled.
    """
    last = {run.period: run for run in runs}
    reported = last_reported(runs)
    items = []
    for period in periods:
        reasons = {
            "missing": _missing(reported.get(period)),
            "failed": _failed(last.get(period), period in running),
            "changed": _changed(reported.get(period), checksums.get(period), code_version),
        }
        selected = [reasons[choice] for choice in ONLY_CHOICES if choice in only and reasons[choice]]
        if period in running:
            items.append(PlanItem(period, not only, f"running now ({running[period]})"))
        elif not only:
            items.append(PlanItem(period, True, _state(last.get(period))))
        elif selected:
            items.append(PlanItem(period, True, selected[0]))
        else:
            items.append(PlanItem(period, False, _state(last.get(period))))
    return items


def _missing(reported: RunRecord | None) -> str | None:
    return "no report yet" if reported is None else None


def _failed(last: RunRecord | None, locked: bool) -> str | None:
    if last is None:
        return None
    if last.status in FAILED:
        return f"last run {last.status}"
    if last.status == "running" and not locked:
        return "last run interrupted"
    return None


def _changed(reported: RunRecord | None, current: dict[str, str] | str | None, code_version: str) -> str | None:
    if reported is None:
        return "no report yet"
    if isinstance(current, str):
        return f"inputs cannot be pulled ({current})"
    if reported.code_version != code_version:
        return f"code changed ({reported.code_version} → {code_version})"
    if current is not None and current != reported.input_checksums:
        names = sorted(name for name in current.keys() | reported.input_checksums.keys()
                       if current.get(name) != reported.input_checksums.get(name))
        return f"inputs changed ({', '.join(names)})"
    return None


def _state(last: RunRecord | None) -> str:
    if last is None:
        return "never run"
    finished = last.finished_at or last.started_at
    return f"last run {last.status} {finished:%Y-%m-%d %H:%M}"


# --- the periods' inputs, before running ---------------------------------------------------
def pulled_checksums(settings: Settings, period: Period) -> dict[str, str]:
    """The sha256 of every file ``period`` pulls, by name: a pull into a scratch folder."""
    import tempfile
    from pathlib import Path

    from scorecard import pipeline
    from scorecard.sources import pull

    with tempfile.TemporaryDirectory(prefix="scorecard-checksums-") as scratch:
        return pipeline.checksums(pull(settings.sources, period, Path(scratch)))


# --- tables ------------------------------------------------------------------------------
def plan_table(items: Sequence[PlanItem]) -> str:
    return text_table(("period", "action", "reason"), [(i.period, "run" if i.run else "skip", i.reason) for i in items])


def outcome_table(outcomes: Sequence[PeriodOutcome]) -> str:
    rows = [(o.period, o.status, f"{o.seconds:.1f}", o.error or "") for o in outcomes]
    return text_table(("period", "status", "seconds", "error"), rows, numeric={2})


@dataclass(frozen=True)
class StoredPeriod:
    rows: int
    run_id: str


def status_table(
    stored: Mapping[str, StoredPeriod],
    runs: Sequence[RunRecord],
    deliveries: Sequence[DeliveryRecord],
    running: Mapping[str, str],
) -> str:
    """``scorecard status``: one line per period known to the store.

    ``sent`` counts the emails the SMTP server accepted, plus those handed to it
    whose acceptance was never recorded (``unconfirmed``, see scorecard.delivery).
    """
    last = {run.period: run for run in runs}
    sent = {period: _sent_text(deliveries, period) for period in {d.period for d in deliveries}}
    failures: dict[str, int] = {}
    errors: dict[str, str] = {}
    for run in runs:
        if run.error:
            failures[run.period] = failures.get(run.period, 0) + 1
            errors[run.period] = run.error
    rows = []
    for period in sorted(stored.keys() | last.keys() | sent.keys()):
        values = stored.get(period)
        rows.append((
            period,
            f"{values.rows} rows ({values.run_id})" if values else "-",
            _last_status(last.get(period), running.get(period)),
            sent.get(period, "0"),
            str(failures.get(period, 0)),
            errors.get(period, ""),
        ))
    header = ("period", "computed", "validated", "sent", "failures", "last error")
    return text_table(header, rows, numeric={3, 4})


def _sent_text(deliveries: Sequence[DeliveryRecord], period: str) -> str:
    statuses = [d.status for d in deliveries if d.period == period]
    unconfirmed = statuses.count("unconfirmed")
    return f"{statuses.count('sent')}" + (f" (+{unconfirmed} unconfirmed)" if unconfirmed else "")


def _last_status(last: RunRecord | None, holder: str | None) -> str:
    if holder is not None:
        return f"running ({holder})"
    if last is None:
        return "-"
    return "interrupted" if last.status == "running" else last.status


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[int] = ()) -> str:
    """Plain columns separated by two spaces; numeric columns right-aligned."""
    lines = [tuple(header), *(tuple(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip()
        for line in lines
    )
