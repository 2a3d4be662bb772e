"""The demo data generator: canonical, consistent, deterministic, realistic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from scorecard.demo_data import generate_demo, write_demo
from scorecard.demo_data.sampling import count_active
from scorecard.demo_data.timeline import NEVER
from transforms.periods import Period
from transforms.schema import CHANNELS, CJM_STAGES, ENTITIES, ORDER_STATUSES, SURVEYS, polars_schema

TZ = "Europe/Moscow"
END = Period.parse("2026-10", TZ)
SMALL = {"end": END, "months": 4, "seed": 7, "tickets_per_month": 1500, "tz": TZ}


@pytest.fixture(scope="module")
def small() -> dict[str, pl.DataFrame]:
    return generate_demo(**SMALL)


@pytest.fixture(scope="module")
def default() -> dict[str, pl.DataFrame]:
    """The CLI's default size: 24 months of 3,000 tickets."""
    return generate_demo(end=END, tz=TZ)


def local(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone(TZ)


# --- shape ------------------------------------------------------------------------


def test_every_entity_has_exactly_the_canonical_schema(small):
    assert list(small) == list(ENTITIES)
    for entity, frame in small.items():
        assert frame.schema == polars_schema(entity), entity
        assert frame.height > 0, entity


def test_same_arguments_give_byte_identical_files(small, tmp_path):
    again = generate_demo(**SMALL)
    for fmt in ("csv", "parquet"):
        first = write_demo(small, tmp_path / f"a-{fmt}", fmt)
        second = write_demo(again, tmp_path / f"b-{fmt}", fmt)
        assert [p.name for p in first] == [f"{e}.{fmt}" for e in ENTITIES]
        for a, b in zip(first, second):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_gives_other_data(small):
    other = generate_demo(**{**SMALL, "seed": 8})
    assert not other["tickets"].equals(small["tickets"])


def test_ticket_volume_follows_tickets_per_month(default):
    # 24 months × 3,000 on average = 72,000, Poisson noise about ±270
    assert 70_000 <= default["tickets"].height <= 74_000


# --- the data contract --------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "key"),
    [("customers", "customer_id"), ("orders", "order_id"), ("tickets", "ticket_id"),
     ("agents", "agent_id"), ("survey_responses", "response_id")],
)
def test_ids_are_unique(small, entity, key):
    assert small[entity][key].n_unique() == small[entity].height
    assert small[entity][key].null_count() == 0


@pytest.mark.parametrize(
    ("entity", "column", "target", "key"),
    [("orders", "customer_id", "customers", "customer_id"),
     ("tickets", "customer_id", "customers", "customer_id"),
     ("tickets", "agent_id", "agents", "agent_id"),
     ("trainings", "agent_id", "agents", "agent_id"),
     ("survey_responses", "ticket_id", "tickets", "ticket_id"),
     ("survey_responses", "customer_id", "customers", "customer_id"),
     ("survey_responses", "agent_id", "agents", "agent_id")],
)
def test_references_exist(small, entity, column, target, key):
    referenced = small[entity][column].drop_nulls()
    assert referenced.len() > 0
    assert referenced.is_in(small[target][key].implode()).all()


def test_ticket_timestamps_are_ordered(small):
    tickets = small["tickets"]
    assert tickets.filter(pl.col("first_response_at") < pl.col("created_at")).is_empty()
    assert tickets.filter(pl.col("resolved_at") < pl.col("created_at")).is_empty()
    assert tickets.filter(pl.col("resolved_at") < pl.col("first_response_at")).is_empty()


def test_ends_come_after_starts(small):
    assert small["customers"].filter(pl.col("churned_at") < pl.col("created_at")).is_empty()
    assert small["agents"].filter(pl.col("left_at") < pl.col("hired_at")).is_empty()


def test_ticket_agents_were_employed_from_creation_to_the_last_event(small):
    worked = small["tickets"].filter(pl.col("agent_id").is_not_null()).join(small["agents"], on="agent_id")
    last_event = pl.coalesce("resolved_at", "first_response_at")
    assert worked.height > 0
    assert worked.filter(pl.col("hired_at") >= pl.col("created_at")).is_empty()
    assert worked.filter(pl.col("left_at") < last_event).is_empty()
    # the ticket's team is its agent's team
    assert (worked["team"] == worked["team_right"]).all()


def test_orders_and_tickets_come_from_customers_active_then(small):
    customers = small["customers"].rename({"created_at": "since"})
    for entity, at in (("orders", "ordered_at"), ("tickets", "created_at")):
        joined = small[entity].join(customers, on="customer_id")
        inactive = joined.filter((pl.col("since") >= pl.col(at)) | (pl.col("churned_at") < pl.col(at)))
        assert inactive.is_empty(), entity


def test_trainings_fall_within_employment(small):
    done = small["trainings"].join(small["agents"], on="agent_id")
    assert done.filter(pl.col("completed_at") <= pl.col("hired_at")).is_empty()
    assert done.filter(pl.col("completed_at") > pl.col("left_at")).is_empty()


def test_ticket_surveys_come_after_resolution_and_name_the_tickets_agent(small):
    linked = small["survey_responses"].filter(pl.col("ticket_id").is_not_null()).join(
        small["tickets"], on="ticket_id", suffix="_ticket"
    )
    assert set(linked["survey"]) == {"csat", "ces"}
    assert linked.filter(pl.col("submitted_at") <= pl.col("resolved_at")).is_empty()
    assert linked.filter(pl.col("resolved_at").is_null()).is_empty()
    assert linked.filter(pl.col("agent_id").ne_missing(pl.col("agent_id_ticket"))).is_empty()
    recorded = linked.filter(pl.col("channel").is_not_null())
    assert (recorded["channel"] == recorded["channel_ticket"]).all()
    assert linked["channel"].null_count() > 0  # some rely on the ticket's channel


def test_enps_comes_from_agents_employed_then(small):
    enps = small["survey_responses"].filter(pl.col("survey") == "enps")
    assert enps["agent_id"].null_count() == 0
    assert enps["customer_id"].null_count() == enps.height
    joined = enps.join(small["agents"], on="agent_id")
    assert joined.filter((pl.col("hired_at") >= pl.col("submitted_at")) | (pl.col("left_at") < pl.col("submitted_at"))).is_empty()


def test_values_are_within_their_rules(small):
    tickets, responses = small["tickets"], small["survey_responses"]
    assert tickets["contacts"].min() >= 1
    assert tickets["reopens"].min() >= 0
    assert tickets["handle_seconds"].min() >= 0
    assert small["orders"]["amount"].min() >= 0
    assert set(small["orders"]["currency"]) == {"RUB"}
    assert small["trainings"]["hours"].min() > 0
    assert small["costs"]["amount"].min() >= 0
    scale = {"csat": 5, "ces": 5, "nps": 10, "enps": 10}
    tops = responses.group_by("survey").agg(pl.col("score").min().alias("low"), pl.col("score").max().alias("top"))
    for survey, low, top in tops.iter_rows():
        assert 0 <= low and top <= scale[survey], survey


def test_everything_happens_inside_the_range(small):
    start, end = END.trailing(SMALL["months"])[0].start_utc, END.end_utc
    for entity, column in (("orders", "ordered_at"), ("tickets", "created_at"), ("trainings", "completed_at"),
                           ("survey_responses", "submitted_at")):
        times = small[entity][column]
        assert times.min() >= start and times.max() < end, entity
    for entity, column in (("tickets", "resolved_at"), ("tickets", "first_response_at"),
                           ("customers", "churned_at"), ("customers", "created_at"), ("agents", "left_at")):
        assert small[entity][column].max() < end, (entity, column)
    assert small["customers"]["created_at"].min() < start  # customers who existed before
    assert small["agents"]["hired_at"].min() < start
    assert small["costs"]["period"].unique().sort().to_list() == ["2026-07", "2026-08", "2026-09", "2026-10"]


# --- coverage of every case -----------------------------------------------------------


def test_every_channel_survey_status_and_stage_is_present(small):
    assert set(small["tickets"]["channel"]) == set(CHANNELS)
    assert set(small["survey_responses"]["survey"]) == set(SURVEYS)
    assert set(small["orders"]["status"]) == set(ORDER_STATUSES)
    assert set(small["tickets"]["cjm_stage"]) == set(CJM_STAGES) | {None}
    assert 3 <= small["agents"]["team"].n_unique() <= 5


def test_some_tickets_are_unanswered_reopened_unresolved_or_unrecorded(small):
    tickets = small["tickets"]
    share = tickets.select(
        unanswered=pl.col("first_response_at").is_null().mean(),
        reopened=(pl.col("reopens") >= 1).mean(),
        unresolved=pl.col("resolved_at").is_null().mean(),
        no_handle_time=pl.col("handle_seconds").is_null().mean(),
        complaints=pl.col("is_complaint").mean(),
        single_contact=(pl.col("contacts") == 1).mean(),
        anonymous=pl.col("customer_id").is_null().mean(),
    ).row(0, named=True)
    assert 0.005 < share["unanswered"] < 0.1
    assert 0.02 < share["reopened"] < 0.15
    assert 0.001 < share["unresolved"] < 0.1
    assert 0 < share["no_handle_time"] < 0.5
    assert 0.02 < share["complaints"] < 0.1
    assert share["single_contact"] > 0.6
    assert 0 < share["anonymous"] < 0.15


def test_chatbot_often_solves_without_an_agent(small):
    bot = small["tickets"].filter((pl.col("channel") == "chatbot") & pl.col("resolved_at").is_not_null())
    assert 0.4 < bot["agent_id"].is_null().mean() < 0.9


def test_some_customers_churn_and_some_agents_leave_and_join(small):
    start = END.trailing(SMALL["months"])[0].start_utc
    assert small["customers"]["churned_at"].is_not_null().sum() > 0
    assert small["agents"]["left_at"].is_not_null().sum() > 0
    assert (small["agents"]["hired_at"] >= start).sum() > 0
    assert set(small["customers"]["segment"]) == {"b2c", "b2b", "vip", None}


def test_comments_are_plain_russian_and_english_text(small):
    comments = small["survey_responses"]["comment"].drop_nulls()
    assert comments.str.contains("[а-яА-Я]").any()
    assert comments.str.contains("^[A-Za-z ,!.]+$").any()


# --- realism at the default size --------------------------------------------------------


def test_every_survey_kpi_has_30_responses_each_month(default):
    monthly = default["survey_responses"].group_by(
        local("submitted_at").dt.strftime("%Y-%m").alias("month"), "survey"
    ).len()
    assert monthly.height == 24 * 4
    assert monthly["len"].min() >= 30


def test_contacts_follow_season_week_and_day(default):
    tickets = default["tickets"].with_columns(at=local("created_at")).with_columns(
        month=pl.col("at").dt.month(), weekday=pl.col("at").dt.weekday(), hour=pl.col("at").dt.hour(),
        day=pl.col("at").dt.date(),
    )
    by_month = dict(tickets.group_by("month").len().iter_rows())
    assert by_month[12] > 1.2 * by_month[7]  # December peak, summer dip
    daily = tickets.group_by("day", "weekday").len()
    weekend = daily.filter(pl.col("weekday") >= 6)["len"].mean()
    weekday = daily.filter(pl.col("weekday") <= 5)["len"].mean()
    assert weekend < 0.7 * weekday
    night = tickets.filter(pl.col("hour") < 6).height / 6
    day = tickets.filter(pl.col("hour").is_between(10, 16)).height / 7
    assert night < 0.2 * day


def frt_minutes() -> pl.Expr:
    return (pl.col("first_response_at") - pl.col("created_at")).dt.total_seconds(fractional=True) / 60


def test_channels_and_hours_answer_at_different_speeds(default):
    tickets = default["tickets"].with_columns(frt=frt_minutes(), at=local("created_at"))
    median = dict(tickets.group_by("channel").agg(pl.col("frt").median()).iter_rows())
    assert median["chatbot"] < 0.1 < median["phone"] < median["chat"] < median["messenger"] < median["email"]
    assert median["email"] > 60  # hours, not minutes
    off_hours = (pl.col("at").dt.weekday() >= 6) | ~pl.col("at").dt.hour().is_between(9, 17)
    chat = tickets.filter(pl.col("channel") == "chat")
    assert chat.filter(off_hours)["frt"].median() > 1.5 * chat.filter(~off_hours)["frt"].median()


def test_quality_improves_and_the_last_month_differs(default):
    months = END.trailing(24)
    tickets = default["tickets"].with_columns(frt=frt_minutes(), month=local("created_at").dt.strftime("%Y-%m"))
    csat = default["survey_responses"].filter(pl.col("survey") == "csat").with_columns(
        month=local("submitted_at").dt.strftime("%Y-%m")
    )
    first_half = [p.label for p in months[:6]]
    last_half = [p.label for p in months[-6:]]
    assert csat.filter(pl.col("month").is_in(last_half))["score"].mean() > csat.filter(
        pl.col("month").is_in(first_half))["score"].mean() + 0.2
    assert tickets.filter(pl.col("month").is_in(last_half))["frt"].median() < tickets.filter(
        pl.col("month").is_in(first_half))["frt"].median()
    email = tickets.filter(pl.col("channel") == "email")
    last, before = months[-1].label, months[-2].label
    assert email.filter(pl.col("month") == last)["frt"].median() > 1.3 * email.filter(
        pl.col("month") == before)["frt"].median()


# --- files --------------------------------------------------------------------------------


def test_csv_reads_back_equal_with_the_canonical_schema(small, tmp_path):
    paths = write_demo(small, tmp_path)
    for path in paths:
        entity = path.stem
        back = pl.read_csv(path, schema=polars_schema(entity))
        assert back.equals(small[entity]), entity


def test_csv_text_uses_local_offsets_and_plain_literals(small, tmp_path):
    write_demo(small, tmp_path)
    tickets = pl.read_csv(tmp_path / "tickets.csv", infer_schema=False)
    assert tickets["created_at"].str.contains(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$").all()
    assert set(tickets["is_complaint"]) == {"true", "false"}
    header = (tmp_path / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "order_id,customer_id,ordered_at,amount,currency,status"
    amounts = pl.read_csv(tmp_path / "costs.csv", infer_schema=False)["amount"]
    assert amounts.str.contains(r"^\d+(\.\d+)?$").all()


def test_parquet_reads_back_equal(small, tmp_path):
    for path in write_demo(small, tmp_path, "parquet"):
        assert pl.read_parquet(path).equals(small[path.stem]), path.name


def test_months_cut_in_a_daylight_saving_zone_stay_inside_the_month():
    # March 2026 in Berlin has a 23-hour day (29 March); every instant must stay in the month.
    berlin = Period.parse("2026-03", "Europe/Berlin")
    frames = generate_demo(end=berlin, months=1, seed=1, tickets_per_month=800, tz="Europe/Berlin")
    created = frames["tickets"]["created_at"]
    assert created.min() >= berlin.start_utc and created.max() < berlin.end_utc
    assert frames["costs"]["period"].unique().to_list() == ["2026-03"]


# --- helpers ------------------------------------------------------------------------------


def test_count_active_uses_the_catalogue_rule():
    # members: [0, 5], [10, open), [20, 25]; active at t when since < t <= until
    since = np.array([0, 10, 20])
    until = np.array([5, NEVER, 25])
    at = np.array([1, 5, 6, 10, 21, 30])
    # t=1: m0; t=5: m0 (until >= t); t=6: none; t=10: none (since < t is strict); t=21: m1, m2; t=30: m1
    assert count_active(since, until, at).tolist() == [1, 1, 0, 0, 2, 1]


def test_write_demo_refuses_an_unknown_format(small, tmp_path: Path):
    with pytest.raises(ValueError, match="unknown format"):
        write_demo(small, tmp_path, "xlsx")  # type: ignore[arg-type]
