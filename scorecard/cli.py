"""The ``scorecard`` command line.

Heavy libraries (Prefect, Great Expectations, WeasyPrint) are imported inside
the commands that need them, so ``scorecard --help`` answers at once.
Expected failures print one line on stderr and exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
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


# --- shared steps ----------------------------------------------------------------
def _settings(args: argparse.Namespace, **overrides):
    from scorecard.config import load_settings

    settings = load_settings(getattr(args, "config", None), **overrides)
    source = getattr(args, "source", None)
    return settings.with_source_folder(source) if source is not None else settings


def _period(settings, label: str | None):
    from datetime import datetime, timezone

    from transforms.periods import Period, PeriodError

    try:
        if label is None:
            return Period.last_complete(datetime.now(timezone.utc), settings.reporting.timezone)
        return settings.period(label)
    except PeriodError as exc:
        raise ScorecardError(f"--period: {exc}") from None


# --- commands --------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    period = _period(settings, args.period)
    from scorecard.orchestration import run_monthly

    pdf = run_monthly(settings, period, config=args.config, source=args.source, send=not args.no_send)
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
            outcome = pipeline.validate_inputs(settings, period, read, None)
            pipeline.raise_if_critical(outcome)
            frames = outcome.clean
        rows = pipeline.compute(settings, period, frames)
    if args.format == "json":
        sys.stdout.write(rows.write_json() + "\n")
    else:
        sys.stdout.write(rows.write_csv())
    return 0


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


def cmd_demo(args: argparse.Namespace) -> int:
    from scorecard.demo import run_demo

    print(run_demo(args.dir, language=args.language))
    return 0


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
