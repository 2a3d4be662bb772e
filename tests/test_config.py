"""Configuration: file values, environment overrides, one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.config import load_settings
from scorecard.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scorecard.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_catalogue_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./scorecard.toml here
    settings = load_settings()
    params = settings.metric_params()
    assert params.reporting_tz == "UTC"
    assert (params.csat_min, params.csat_max, params.csat_satisfied_threshold) == (0, 5, 4)
    assert params.ces_low_effort_threshold == 1
    assert params.min_sample == 30
    assert params.sla_frt_minutes["social"] == 30 and params.sla_frt_minutes["email"] == 1440
    assert params.business_start == "09:00" and params.business_end == "18:00"


def test_file_values_and_relative_paths(tmp_path):
    config = write(
        tmp_path,
        """
[reporting]
timezone = "Europe/Moscow"
language = "ru"
[store]
path = "var/metrics.duckdb"
[sla]
chat = 3
[targets."customer.nps"]
target = 40
amber_band = 10
""",
    )
    settings = load_settings(config)
    assert settings.reporting.timezone == "Europe/Moscow"
    assert settings.store.path == tmp_path / "var" / "metrics.duckdb"
    assert settings.metric_params().sla_frt_minutes["chat"] == 3
    assert settings.metric_targets()["customer.nps"].amber_band == 10
    assert settings.period("2026-10").start.utcoffset().total_seconds() == 3 * 3600


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    config = write(tmp_path, '[reporting]\ntimezone = "Europe/Moscow"\ncurrency = "RUB"\n')
    monkeypatch.setenv("SCORECARD_REPORTING__TIMEZONE", "Asia/Yekaterinburg")
    monkeypatch.setenv("SCORECARD_REPORTING__MIN_SAMPLE", "50")
    settings = load_settings(config)
    assert settings.reporting.timezone == "Asia/Yekaterinburg"
    assert settings.reporting.min_sample == 50
    assert settings.reporting.currency == "RUB"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[reporting]\ntimezone = "Mars/Olympus"\n', "reporting.timezone: unknown time zone 'Mars/Olympus'"),
        ('[reporting]\nmin_sample = 0\n', "reporting.min_sample:"),
        ('[reporting]\ncolour = "red"\n', "reporting.colour: unknown key"),
        ('[targets."customer.happiness"]\ntarget = 1\n', "unknown KPI id(s) customer.happiness"),
        ('[reporting\n', "not valid TOML"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_key(tmp_path, text, expected):
    config = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    line = caught.value.line()
    assert expected in line
    assert "\n" not in line
    assert str(config) in line


def test_a_wrong_environment_value_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORECARD_REPORTING__LANGUAGE", "fr")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "reporting.language" in caught.value.line()
    assert "$SCORECARD_REPORTING__LANGUAGE" in caught.value.line()


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "nope.toml")


def test_the_annotated_example_is_valid():
    example = Path(__file__).resolve().parent.parent / "scorecard.example.toml"
    settings = load_settings(example)
    assert settings.reporting.language == "ru"
    assert settings.metric_targets()["customer.churn_rate"].direction == "lower"
    assert settings.sources.path == str(example.parent / "exports")


def test_naive_timestamps_are_read_in_the_reporting_zone_unless_configured(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCORECARD_REPORTING__TIMEZONE", "Europe/Moscow")
    settings = load_settings()
    assert settings.sources.timezone_of("tickets") == "Europe/Moscow"
    assert settings.with_source_folder(tmp_path).sources.timezone_of("tickets") == "Europe/Moscow"
    monkeypatch.setenv("SCORECARD_SOURCES__SOURCE_TIMEZONE", "UTC")
    assert load_settings().with_source_folder(tmp_path).sources.timezone_of("tickets") == "UTC"
