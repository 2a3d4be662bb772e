"""The Polars checks on small frames, with the expected rows worked out by hand."""

from __future__ import annotations

import polars as pl

from scorecard.validation.checks import ROW, references, repeated_rows
from scorecard.validation.suites import Rule


def numbered(**columns: list) -> pl.DataFrame:
    return pl.DataFrame(columns).with_row_index(ROW)


def test_only_the_later_rows_of_a_repeated_set_id_are_repeats():
    checked = numbered(ticket_id=["t1", None, "t2", "t1", None, "t3", "t2", "t1"])
    repeats = repeated_rows(checked, "ticket_id")
    # t1 at rows 0, 3, 7 and t2 at rows 2, 6: the first of each stays; nulls never repeat.
    assert repeats.get_column(ROW).to_list() == [3, 6, 7]
    assert repeats.get_column("ticket_id").to_list() == ["t1", "t2", "t1"]


def test_ids_seen_once_have_no_repeats():
    assert repeated_rows(numbered(ticket_id=["t1", "t2", None, None]), "ticket_id").is_empty()


def test_a_reference_to_no_row_of_the_target_fails_on_its_row_only():
    rule = Rule(
        type="references",
        kwargs={"column": "agent_id", "entity": "agents", "target": "agent_id"},
        severity="warning",
        scope="row",
        description="agent_id exists in agents",
        action="add the agents",
        by_gx=False,
    )
    checked = numbered(agent_id=["a1", "a9", None, "a2", "a9"])
    agents = pl.DataFrame({"agent_id": ["a2", "a1", None]})
    failure = references(checked, rule, {"agents": agents})
    assert failure is not None
    assert failure.rows == (1, 4)
    assert failure.failed_count == 2
