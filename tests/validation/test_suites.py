"""The suite files and the settings: they load, agree with the schema, and reject bad edits."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic
import pytest

from scorecard.errors import ConfigError
from scorecard.validation import ValidationSettings, validate
from scorecard.validation.gx_runner import build_suite
from scorecard.validation.suites import COLUMN_SET, load_suite
from tests.validation._data import PERIOD, valid_frames
from transforms.schema import CANONICAL, ENTITIES

SUITES_DIR = ValidationSettings().suites_dir


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_entity_has_a_suite_whose_column_set_is_the_canonical_one(entity):
    suite = load_suite(SUITES_DIR, entity)
    [column_set] = [rule for rule in suite.expectations if rule.type == COLUMN_SET]
    assert column_set.kwargs["column_set"] == [column.name for column in CANONICAL[entity]]


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_expectation_of_a_suite_is_a_valid_gx_expectation(entity):
    rules = list(load_suite(SUITES_DIR, entity).expectations)
    assert [e.description for e in build_suite(entity, rules).expectations] == [r.description for r in rules]


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_not_null_column_of_the_schema_has_a_not_null_rule(entity):
    suite = load_suite(SUITES_DIR, entity)
    not_null = {rule.column for rule in suite.expectations if rule.type == "expect_column_values_to_not_be_null"}
    assert not_null == {column.name for column in CANONICAL[entity] if not column.nullable}


def test_a_row_condition_counts_among_the_columns_a_rule_reads():
    suite = load_suite(SUITES_DIR, "survey_responses")
    [csat_scale] = [rule for rule in suite.expectations if rule.description == "csat score within the csat scale"]
    assert csat_scale.columns == ("score", "survey")


def _write_suite(folder: Path, entity: str, edit) -> Path:
    data = json.loads((SUITES_DIR / f"{entity}.json").read_text(encoding="utf-8"))
    edit(data)
    (folder / f"{entity}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_a_rule_without_a_known_severity_is_a_config_error(tmp_path):
    folder = _write_suite(tmp_path, "agents", lambda d: d["expectations"][1].update(severity="fatal"))
    with pytest.raises(ConfigError, match=r"agents\.json: rule 'agent_id is set': severity must be critical or warning"):
        load_suite(folder, "agents")


def test_two_rules_with_one_description_are_a_config_error(tmp_path):
    folder = _write_suite(tmp_path, "agents", lambda d: d["expectations"][2].update(description="agent_id is set"))
    with pytest.raises(ConfigError, match="description 'agent_id is set' is used twice"):
        load_suite(folder, "agents")


def test_requiring_period_data_of_an_entity_without_a_period_check_is_a_config_error():
    settings = ValidationSettings(require_period_data=["tickets", "customers"])
    with pytest.raises(ConfigError, match="require_period_data names customers, but .*customers.json has no rows_in_period"):
        validate(valid_frames(), PERIOD, settings)


def test_a_scale_whose_minimum_is_above_its_maximum_is_rejected():
    with pytest.raises(pydantic.ValidationError, match="survey_scales.nps: min 10 is above max 0"):
        ValidationSettings(survey_scales={"csat": (0, 5), "ces": (0, 5), "nps": (10, 0), "enps": (0, 10)})


def test_an_unknown_entity_in_require_period_data_is_rejected():
    with pytest.raises(pydantic.ValidationError, match="require_period_data names ticket;"):
        ValidationSettings(require_period_data=["ticket"])
