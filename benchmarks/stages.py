"""Wall time and peak RSS of each stage of one period's run, each stage in its own process.

The stages are the application's own functions, in the order of flows/monthly.py:

    read      scorecard.pipeline.pull_and_read     (archive + checksum + read + map)
    validate  scorecard.pipeline.validate_inputs   (Great Expectations suites + checks)
    compute   scorecard.pipeline.compute           (transforms.compute: every KPI)
    store     scorecard.pipeline.compare_with_history + MetricStore.replace_period (empty store)
    render    scorecard.pipeline.render_report     (Jinja2 + WeasyPrint in its sandbox, read back;
                                                    its worker started before the inputs load,
                                                    as flows/monthly.py starts it before the pull)

A stage's child process loads what the previous stage returned (pickled into the
state folder; ``load_s``), measures its RSS (``rss_in_mb``), resets its peak RSS, runs
the stage once (``seconds``), then reads its peak RSS (``peak_rss_mb``: the inputs it
holds plus what the stage allocates, or its render subprocess, whichever is larger)
before it pickles its own result for the next stage. MB are 10^6 bytes.
Validation first warms Great Expectations up on 1,000 rows per entity (its import and
context cost seconds once per process; ``warm_up_s``), so that the rows/s of each suite
are throughput.

    uv run python -m benchmarks.stages STAGE --config FILE --period LABEL --state DIR
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks.processes import peak_rss_mb, reset_peak_rss, rss_mb, run_child
from benchmarks.workloads import SETTINGS_ENV
from scorecard import pipeline
from scorecard.config import Settings, load_settings
from transforms.periods import Period

STAGES = ("read", "validate", "compute", "store", "render")


def run_stages(config: Path, period: Period, state: Path) -> Iterator[dict]:
    """Every stage in order, each in a fresh process, yielded as soon as it is measured;
    stops at the first that fails (ChildFailed)."""
    state.mkdir(parents=True, exist_ok=True)
    for stage in STAGES:
        arguments = ["--config", str(config), "--period", period.label, "--state", str(state)]
        yield {
            "stage": stage,
            **run_child("benchmarks.stages", stage, *arguments, env=SETTINGS_ENV),
        }


# --- the child: one stage -----------------------------------------------------------------
# What each stage reads from the state folder (the pickled results of earlier stages).
INPUTS: dict[str, tuple[str, ...]] = {
    "read": (),
    "validate": ("run", "read"),
    "compute": ("validate",),
    "store": ("run", "compute"),
    "render": ("run", "validate", "store"),
}
Outputs = dict[str, object]


def read_stage(settings: Settings, period: Period) -> tuple[Outputs, dict]:
    run = pipeline.new_run(settings, period)
    manifest, read = pipeline.pull_and_read(settings, period, run.root)
    rows = {entity: frame.height for entity, frame in read.frames.items()}
    return {"run": run, "read": (manifest, read)}, {
        "rows": rows,
        "input_bytes": sum(f.size for f in manifest.files),
    }


def validate_stage(settings: Settings, period: Period, run, pulled) -> tuple[Outputs, dict]:
    from benchmarks.validation_throughput import _EntityTimes

    manifest, read = pulled
    times = _EntityTimes()  # each suite's rows and seconds, from the runner's log records
    logging.getLogger("scorecard.validation.runner").addHandler(times)
    outcome = pipeline.validate_inputs(settings, period, read, run.root)
    suites = {
        entity: {
            "rows_checked": times.checked[entity],
            "seconds": times.seconds[entity],
            "rows_per_s": round(times.checked[entity] / times.seconds[entity])
            if times.seconds[entity]
            else None,
        }
        for entity in times.seconds
    }
    facts = {
        "suites": suites,
        "critical": outcome.critical,
        "quarantined_rows": outcome.quarantine.height,
    }
    # Pickled together with what was read: a frame with nothing quarantined is the same object
    # in both (as in the flow), so it is stored and loaded once.
    return {"validate": (manifest, read, outcome)}, facts


def warm_up_validation(settings: Settings, period: Period, run, pulled) -> None:
    """Validate 1,000 rows per entity: Great Expectations' import and context, once per process."""
    from scorecard.sources import ReadResult

    _, read = pulled
    heads = {entity: frame.head(1000) for entity, frame in read.frames.items()}
    sample = ReadResult(heads, read.problems.head(0), read.files)
    logging.getLogger("scorecard.validation.runner").setLevel(logging.INFO)
    pipeline.validate_inputs(settings, period, sample, None)


def compute_stage(settings: Settings, period: Period, validated) -> tuple[Outputs, dict]:
    _, _, outcome = validated
    rows = pipeline.compute(settings, period, outcome.clean)
    return {"compute": rows}, {"metric_rows": rows.height}


def store_stage(settings: Settings, period: Period, run, rows) -> tuple[Outputs, dict]:
    from scorecard.store import open_store

    store = open_store(settings.store)
    compared = pipeline.compare_with_history(settings, period, rows, store)
    stored = store.replace_period(period.label, compared, run.run_id)
    return {"store": compared}, {"rows_stored": stored}


def render_stage(
    settings: Settings, period: Period, run, validated, compared
) -> tuple[Outputs, dict]:
    from pypdf import PdfReader

    manifest, read, outcome = validated
    rendered = pipeline.render_report(settings, period, run, compared, manifest, read, outcome)
    facts = {
        "pdf_bytes": rendered.pdf.stat().st_size,
        "pdf_pages": len(PdfReader(rendered.pdf).pages),
    }
    return {}, facts


STAGE_FUNCTIONS: dict[str, Callable[..., tuple[Outputs, dict]]] = {
    "read": read_stage,
    "validate": validate_stage,
    "compute": compute_stage,
    "store": store_stage,
    "render": render_stage,
}
WARM_UPS: dict[str, Callable[..., None]] = {"validate": warm_up_validation}


def measure_stage(stage: str, settings: Settings, period: Period, state: Path) -> dict:
    """Load the stage's inputs, run it once, and report what it cost; pickle its outputs."""
    if stage == "render":  # as a run does: the renderer starts before the data work
        from scorecard.report import start_renderer

        start_renderer()
    started = time.perf_counter()
    inputs = [_load(state, name) for name in INPUTS[stage]]
    load_s = time.perf_counter() - started
    rss_in = rss_mb()
    warm_up_s = None
    if stage in WARM_UPS:
        started = time.perf_counter()
        WARM_UPS[stage](settings, period, *inputs)
        warm_up_s = time.perf_counter() - started
    reset_peak_rss()
    started = time.perf_counter()
    outputs, facts = STAGE_FUNCTIONS[stage](settings, period, *inputs)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    for name, value in outputs.items():
        _save(state, name, value)
    return {
        "seconds": seconds,
        "load_s": load_s,
        "warm_up_s": warm_up_s,
        "rss_in_mb": rss_in,
        "peak_rss_mb": peak,
        **facts,
    }


def _save(state: Path, name: str, value: object) -> None:
    with open(state / f"{name}.pkl", "wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)


def _load(state: Path, name: str):
    with open(state / f"{name}.pkl", "rb") as file:
        return pickle.load(file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument(
        "--state", type=Path, required=True, help="folder of the stages' pickled results"
    )
    args = parser.parse_args()
    settings = load_settings(args.config)
    print(json.dumps(measure_stage(args.stage, settings, settings.period(args.period), args.state)))


if __name__ == "__main__":
    main()
