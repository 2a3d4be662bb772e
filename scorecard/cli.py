"""The ``scorecard`` command line.

Heavy libraries (Prefect, Great Expectations, WeasyPrint) are imported inside
the commands that need them, so ``scorecard --help`` answers at once.
Expected failures print one line on stderr and exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from scorecard.errors import ScorecardError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except ScorecardError as exc:
        print(f"scorecard: {exc.line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("scorecard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `scorecard status | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback on request
        if os.environ.get("SCORECARD_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"scorecard: internal error {type(exc).__name__}: {first[:300]} "
            "(set SCORECARD_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Customer-service balanced scorecard: exports in, KPIs stored, PDF out.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = _command(commands, "run", "run the monthly flow for one period and print the PDF path", cmd_run)
    _period_arg(run, required=False)
    _config_args(run)
    run.add_argument("--no-send", action="store_true", help="do not email the report")
    _wait_arg(run)

    metrics = _command(commands, "metrics", "compute the period's KPIs from the sources and print them", cmd_metrics)
    _period_arg(metrics, required=True)
    _config_args(metrics)
    metrics.add_argument("--timezone", help="reporting time zone (overrides the configuration)")
    metrics.add_argument("--format", choices=("json", "csv"), default="json", help="output format (default json)")
    metrics.add_argument("--no-validate", action="store_true", help="compute on the rows as read, skip validation")

    validate = _command(commands, "validate", "pull and validate one period; exit 0 when nothing critical", cmd_validate)
    _period_arg(validate, required=True)
    _config_args(validate)

    demo_data = _command(commands, "demo-data", "write a realistic demo set of canonical exports", cmd_demo_data)
    demo_data.add_argument("--out", required=True, type=Path, help="folder to write the exports into")
    demo_data.add_argument("--months", type=int, default=24, help="months of history (default 24)")
    demo_data.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo_data.add_argument("--tickets-per-month", type=int, default=3000, help="ticket volume (default 3000)")
    demo_data.add_argument("--end", help="last month, YYYY-MM (default: the last complete month)")
    demo_data.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")

    backfill = _command(commands, "backfill", "run the monthly flow for a range of periods; print a table of outcomes", cmd_backfill)
    backfill.add_argument("--from", dest="first", metavar="PERIOD", required=True, help="first period, e.g. 2024-11")
    backfill.add_argument("--to", dest="last", metavar="PERIOD", required=True, help="last period, e.g. 2026-10")
    backfill.add_argument(
        "--only", metavar="CHOICES", help="comma list of missing, failed, changed: run only the periods any of them selects (default: all)"
    )
    backfill.add_argument("--max-parallel", type=int, metavar="N", help="periods at a time (default: [orchestration] max_parallel)")
    backfill.add_argument("--dry-run", action="store_true", help="print the plan and run nothing")
    backfill.add_argument("--send", action="store_true", help="email each period's report (default: no email)")
    _wait_arg(backfill)
    _config_args(backfill)

    serve = _command(commands, "serve", "run the monthly flow on a schedule (needs a Prefect server)", cmd_serve)
    serve.add_argument("--cron", default="0 6 1 * *", help='cron in the reporting time zone (default "0 6 1 * *")')
    _config_args(serve)

    send = _command(commands, "send", "email the latest report of a period (each recipient once)", cmd_send)
    _period_arg(send, required=True)
    send.add_argument("--resend", action="store_true", help="send again to recipients who already have this report")
    _wait_arg(send)
    send.add_argument("--config", type=Path, help="scorecard.toml (default: $SCORECARD_CONFIG or ./scorecard.toml)")

    status = _command(commands, "status", "print every period: stored values, last run, emails, failures", cmd_status)
    status.add_argument("--config", type=Path, help="scorecard.toml (default: $SCORECARD_CONFIG or ./scorecard.toml)")

    demo = _command(commands, "demo", "generate demo exports, fill 24 months of history, render the latest PDF", cmd_demo)
    demo.add_argument("--dir", type=Path, default=Path("demo"), help="demo workspace (default ./demo)")
    demo.add_argument("--language", choices=("ru", "en"), help="report language (default: the demo config's)")
    return parser


def _command(commands, name: str, help_text: str, handler: Callable) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    sub.set_defaults(handler=handler)
    return sub


def _period_arg(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--period", required=required,
        help="YYYY-MM, YYYYQn or YYYY" + ("" if required else " (default: the last complete month)"),
    )


def _config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="scorecard.toml (default: $SCORECARD_CONFIG or ./scorecard.toml)")
    parser.add_argument("--source", type=Path, help="folder of canonical exports; overrides the configured sources")


def _wait_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true", help="if the period is running elsewhere, wait for it (default: exit)")


# --- shared steps ----------------------------------------------------------------
def _settings(args: argparse.Namespace, **overrides):
    from scorecard.config import load_settings

    settings = load_settings(getattr(args, "config", None), **overrides)
    source = getattr(args, "source", None)
    return settings.with_source_folder(source) if source is not None else settings


def _period(settings, label: str | None, flag: str = "--period"):
    from datetime import datetime, timezone

    from transforms.periods import Period, PeriodError

    try:
        if label is None:
            return Period.last_complete(datetime.now(timezone.utc), settings.reporting.timezone)
        return settings.period(label)
    except PeriodError as exc:
        raise ScorecardError(f"{flag}: {exc}") from None


# --- commands --------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    period = _period(settings, args.period)
    if not args.wait:
        from scorecard.locks import lock_folder, raise_if_busy

        raise_if_busy(lock_folder(settings), period.label)  # before Prefect's start-up, not after it
    from scorecard.orchestration import run_monthly

    pdf = run_monthly(settings, period, config=args.config, source=args.source, send=not args.no_send, wait=args.wait)
    print(pdf)
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    overrides = {"reporting__timezone": args.timezone} if args.timezone else {}
    settings = _settings(args, **overrides)
    period = _period(settings, args.period)
    import tempfile

    from scorecard import pipeline

    with tempfile.TemporaryDirectory(prefix="scorecard-metrics-") as scratch:
        _, read = pipeline.pull_and_read(settings, period, Path(scratch))
        frames = read.frames
        if not args.no_validate:
            # An analysis, not a report: a period with no rows gives null KPIs, not a stop.
            lenient = settings.model_copy(
                update={"validation": settings.validation.model_copy(update={"require_period_data": []})}
            )
            outcome = pipeline.validate_inputs(lenient, period, read, None)
            pipeline.raise_if_critical(outcome)
            frames = outcome.clean
            _say_what_was_left_out(outcome.quarantine)
        rows = pipeline.compute(settings, period, frames)
    if args.format == "json":
        sys.stdout.write(rows.write_json() + "\n")
    else:
        sys.stdout.write(rows.write_csv())
    return 0


def _say_what_was_left_out(quarantine) -> None:
    """One line on stderr when validation quarantined rows (stdout stays machine-readable)."""
    import polars as pl

    left_out = quarantine.filter(pl.col("severity") == "critical")
    if left_out.is_empty():
        return
    counts = left_out.group_by("entity").agg(pl.col("row_number").n_unique()).sort("entity")
    summary = ", ".join(f"{entity}: {rows}" for entity, rows in counts.iter_rows())
    print(f"scorecard: quarantined rows left out ({summary}); `scorecard validate` lists the rules", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    period = _period(settings, args.period)
    import tempfile

    from scorecard import pipeline
    from scorecard.validation import format_summary_table

    with tempfile.TemporaryDirectory(prefix="scorecard-validate-") as scratch:
        _, read = pipeline.pull_and_read(settings, period, Path(scratch))
        outcome = pipeline.validate_inputs(settings, period, read, None)
    print(format_summary_table(outcome))
    for finding in outcome.findings:
        print(f"{finding.severity}: {finding.message}")
    return 3 if outcome.critical else 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from scorecard.demo_data import generate_demo, write_demo
    from transforms.periods import Period, PeriodError

    tz = "Europe/Moscow"
    try:
        end = Period.parse(args.end, tz) if args.end else Period.last_complete(datetime.now(timezone.utc), tz)
    except PeriodError as exc:
        raise ScorecardError(f"--end: {exc}") from None
    if args.months < 1 or args.tickets_per_month < 1:
        raise ScorecardError("--months and --tickets-per-month must be at least 1")
    frames = generate_demo(end=end, months=args.months, seed=args.seed, tickets_per_month=args.tickets_per_month, tz=tz)
    for path in write_demo(frames, args.out, fmt=args.format):
        print(path)
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from scorecard import backfill
    from scorecard.config import config_path

    periods = backfill.periods_between(_period(settings, args.first, "--from"), _period(settings, args.last, "--to"))
    max_parallel = settings.orchestration.max_parallel if args.max_parallel is None else args.max_parallel
    if max_parallel < 1:
        raise ScorecardError("--max-parallel must be at least 1")
    items = _backfill_plan(settings, periods, backfill.parse_only(args.only))
    if args.dry_run:
        print(backfill.plan_table(items))
        return 0
    chosen = [period for period, item in zip(periods, items) if item.run]
    skipped = [backfill.PeriodOutcome(item.period, "skipped", 0.0, item.reason) for item in items if not item.run]
    outcomes = []
    if chosen:
        from scorecard.orchestration import run_backfill

        with _progress_bar(len(chosen)):
            outcomes = run_backfill(
                settings, chosen, config=config_path(args.config), source=args.source,
                send=args.send, wait=args.wait, max_parallel=max_parallel,
            )
    print(backfill.outcome_table(sorted(outcomes + skipped, key=lambda outcome: outcome.period)))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _backfill_plan(settings, periods, only: frozenset[str]):
    """What the store and the period locks say about each period, and the backfill's plan."""
    from scorecard import backfill, pipeline
    from scorecard.locks import holder_of, lock_folder
    from scorecard.store import open_store

    runs = open_store(settings.store).runs()
    labels = [period.label for period in periods]
    running = {label: holder for label in labels if (holder := holder_of(lock_folder(settings), label))}
    checksums: dict[str, dict[str, str] | str] = {}
    if "changed" in only:
        reported = backfill.last_reported(runs)
        for period in periods:
            if period.label in reported:
                try:
                    checksums[period.label] = backfill.pulled_checksums(settings, period)
                except ScorecardError as exc:
                    checksums[period.label] = exc.line()
    return backfill.plan(
        labels, runs, only=only, running=running, checksums=checksums, code_version=pipeline.code_version()
    )


@contextmanager
def _progress_bar(total: int) -> Iterator[None]:
    """A progress bar on stderr, advanced by each period the backfill flow logs as finished."""
    import logging

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("backfill"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=Console(stderr=True),
    )
    task = bar.add_task("", total=total)

    class Advance(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            bar.update(task, advance=1, description=record.getMessage())

    logger = logging.getLogger("scorecard.backfill")
    handler = Advance()
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        with bar:
            yield
    finally:
        logger.removeHandler(handler)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from scorecard.config import config_path
    from scorecard.orchestration import prefect_state_dir, prepare_prefect, require_server

    # A long-running service: Prefect's own log lines (runs starting, finishing) are its output.
    prepare_prefect(prefect_state_dir(settings), PREFECT_LOGGING_LEVEL="INFO", PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="INFO")
    require_server()
    from flows.schedule import serve_monthly

    serve_monthly(settings, config=config_path(args.config), source=args.source, cron=args.cron)
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    settings = _settings(args)
    period = _period(settings, args.period)
    from scorecard.redelivery import send_latest_report

    for delivery in send_latest_report(settings, period, resend=args.resend, wait=args.wait):
        if delivery.message_id:
            print(f"{delivery.recipient}  sent {delivery.message_id}")
        elif delivery.earlier == "unconfirmed":
            print(f"{delivery.recipient}  handed to SMTP before, acceptance unconfirmed (--resend sends it again)")
        else:
            print(f"{delivery.recipient}  already has it")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from scorecard.backfill import StoredPeriod, status_table
    from scorecard.locks import holder_of, lock_folder
    from scorecard.store import open_store

    store = open_store(settings.store)
    runs = store.runs()
    stored = {}
    for label in store.stored_periods():
        values = store.period_values(label)
        stored[label] = StoredPeriod(rows=values.height, run_id=values["run_id"][0])
    labels = set(stored) | {run.period for run in runs}
    if not labels:
        print(f"no periods in {store.location} yet — run `scorecard run` or `scorecard backfill`", file=sys.stderr)
        return 0
    running = {label: holder for label in labels if (holder := holder_of(lock_folder(settings), label))}
    print(status_table(stored, runs, store.deliveries(), running))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from scorecard.demo import run_demo

    print(run_demo(args.dir, language=args.language))
    return 0


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
