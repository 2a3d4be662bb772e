"""The [sources] settings: presets merged under the user's keys, and clear refusals."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from scorecard.sources import SourcesSettings
from scorecard.sources.presets import PRESETS_DIR, available_presets

CONFIG = """
kind = "folder"
path = "exports"
source_timezone = "Europe/Moscow"

[tickets]
preset = "zendesk_tickets"
template = "zendesk/tickets_{period}.json"
mapping.values.channel = { slack = "chat", web = "chat" }
mapping.rename = { group_id = "category" }

[survey_responses]
preset = "wide_survey"
path = "survey.xlsx"
sheet = "Ответы"
wide_survey.questions = { "Оценка" = "csat" }
"""


def test_a_preset_fills_what_the_config_leaves_unset():
    settings = SourcesSettings.model_validate(tomllib.loads(CONFIG))
    tickets = settings.source_for("tickets")
    assert tickets.format == "zendesk"
    assert tickets.zendesk.complaint_tags == ["complaint", "жалоба", "скарга"]
    channel = tickets.mapping.values["channel"]
    assert (channel["slack"], channel["web"], channel["voice"]) == ("chat", "chat", "phone")
    assert tickets.mapping.rename["group_id"] == "category"  # the user's key wins
    assert tickets.mapping.rename["via.channel"] == "channel"  # the preset's others stay


def test_wide_survey_questions_are_replaced_as_a_whole():
    survey = SourcesSettings.model_validate(tomllib.loads(CONFIG)).source_for("survey_responses")
    assert survey.wide_survey is not None
    assert survey.wide_survey.questions == {"Оценка": "csat"}
    assert survey.wide_survey.respondent_column == "Respondent ID"  # from the preset
    assert survey.sheet == "Ответы"


def test_defaults_inherit_the_top_level_and_the_config_folder():
    settings = SourcesSettings.model_validate(tomllib.loads(CONFIG)).resolved(
        Path("/etc/scorecard")
    )
    assert settings.path == "/etc/scorecard/exports"
    assert settings.kind_of("orders") == "folder"
    assert settings.timezone_of("orders") == "Europe/Moscow"
    assert settings.source_for("orders").format == "auto"
    assert SourcesSettings.for_folder("/data/demo").path == "/data/demo"


def test_shipped_presets_are_all_valid():
    assert available_presets() == ["wide_survey", "zendesk_tickets"]
    for name in available_presets():
        assert SourcesSettings.model_validate({"tickets": {"preset": name}}).tickets.preset == name
    assert PRESETS_DIR.name == "presets"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"tickets": {"preset": "freshdesk"}},
            "unknown preset 'freshdesk'; shipped presets: wide_survey",
        ),
        ({"tickets": {"template": "tickets.csv"}}, "template must contain {period}"),
        ({"tickets": {"template": "{year}/tickets_{period}.csv"}}, "and no other {…}"),
        (
            {"kind": "postgres", "tickets": {"path": "t.csv"}},
            "tickets: a postgres source takes table or query",
        ),
        (
            {"tickets": {"table": "helpdesk.tickets"}},
            "tickets: table and query need kind = 'postgres'",
        ),
        ({"tickets": {"path": "a.csv", "glob": "*.csv"}}, "only one of path, template and glob"),
        ({"tickets": {"table": "t", "query": "select 1"}}, "either table or query"),
        ({"tickets": {"format": "wide_survey"}}, "format wide_survey needs"),
        ({"tickets": {"encoding": "klingon"}}, "unknown encoding 'klingon'"),
        ({"tickets": {"delimiter": ";;"}}, "delimiter must be one character"),
        ({"tickets": {"mapping": {"source_timezone": "Moscow"}}}, "unknown time zone 'Moscow'"),
        ({"kind": "s3"}, "needs a [sources.s3] table"),
        (
            {"tickets": {"mapping": {"values": {"kanal": {"Чат": "chat"}}}}},
            "tickets: mapping.values: 'kanal' is not a column of tickets",
        ),
        (
            {"tickets": {"mapping": {"scale": {"channel": 60}}}},
            "tickets: mapping.scale: 'channel' is not a number column of tickets (contacts, reopens, handle_seconds)",
        ),
        ({"tickets": {"typo": 1}}, "Extra inputs are not permitted"),
        (
            {
                "survey_responses": {
                    "preset": "wide_survey",
                    "wide_survey": {"questions": {"Q": "cast"}},
                }
            },
            "unknown survey 'cast'",
        ),
    ],
)
def test_wrong_settings_are_refused_with_the_reason(section, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        SourcesSettings.model_validate(section)
