"""Configuration: one TOML file, one validated model, every key overridable from the environment.

Precedence, highest first: ``SCORECARD_<SECTION>__<KEY>`` environment variables,
the TOML file (``--config``, else ``$SCORECARD_CONFIG``, else ``./scorecard.toml``
when it exists), then the defaults below (the catalogue's defaults).

A wrong value is reported as one line naming the key (``ConfigError``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from scorecard.errors import ConfigError
from scorecard.sources import SourcesSettings
from scorecard.validation import ValidationSettings
from transforms.comparisons import Target
from transforms.params import DEFAULT_SLA_FRT_MINUTES, MetricParams
from transforms.periods import Period, PeriodError

ENV_PREFIX = "SCORECARD_"
DEFAULT_CONFIG_FILE = Path("scorecard.toml")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompanySettings(Section):
    name: str = "Demo Company"


class ReportingSettings(Section):
    timezone: str = "UTC"
    currency: str = "RUB"
    language: Literal["ru", "en"] = "en"
    min_sample: int = Field(30, ge=1)
    baseline_period: str | None = None  # e.g. "2025-10": the "before" of a change

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Moscow") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError(f"{value!r} is not an ISO 4217 code such as RUB or EUR")
        return value.upper()

    @field_validator("baseline_period")
    @classmethod
    def _period_label(cls, value: str | None) -> str | None:
        if value is not None:
            Period.parse(value)
        return value


class ScaleSettings(Section):
    min: int = 0
    max: int = 5

    @model_validator(mode="after")
    def _ordered(self) -> "ScaleSettings":
        if self.min >= self.max:
            raise ValueError(f"scale min {self.min} must be below max {self.max}")
        return self


class SurveySettings(Section):
    csat: ScaleSettings = ScaleSettings(min=0, max=5)
    csat_satisfied_threshold: int = 4
    ces: ScaleSettings = ScaleSettings(min=0, max=5)
    ces_low_effort_threshold: int = 1
    ces_higher_is_more_effort: bool = True


class MetricSettings(Section):
    gross_margin: float = Field(1.0, gt=0, le=1)
    churned_revenue_months: int = Field(12, ge=1)
    new_agent_tenure_days: int = Field(90, ge=1)


class BusinessHoursSettings(Section):
    days: list[int] = [1, 2, 3, 4, 5]  # ISO weekdays, Monday = 1
    start: str = "09:00"
    end: str = "18:00"

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(f"{value!r} is not a local time HH:MM")
        return f"{int(hours):02d}:{int(minutes):02d}"


class TargetSettings(Section):
    target: float
    direction: Literal["higher", "lower"] = "higher"
    amber_band: float = Field(0.0, ge=0)


class StoreSettings(Section):
    path: Path = Path("var/scorecard.duckdb")  # the DuckDB file (the default backend)
    backend: Literal["auto", "duckdb", "postgres"] = "auto"  # auto: PostgreSQL when $<url_env> is set
    url_env: str = "SCORECARD_STORE_URL"  # the NAME of the variable holding a postgresql:// URL
    lock_timeout_seconds: float = Field(60, ge=0)  # DuckDB: wait this long for another process's lock


class OutputSettings(Section):
    dir: Path = Path("out")


class EmailSettings(Section):
    enabled: bool = False
    host: str = "localhost"
    port: int = 25
    security: Literal["plain", "starttls", "ssl"] = "plain"
    username: str | None = None
    password_env: str = "SCORECARD_SMTP_PASSWORD"  # the NAME of the variable, never the secret
    password_block: str | None = None  # or the name of a Prefect Secret block
    sender: str = "scorecard@localhost"
    recipients: list[str] = []
    retries: int = Field(3, ge=0)  # SMTP attempts after the first, with exponential backoff
    retry_delay_seconds: float = Field(30, ge=0)
    recipients_by_language: dict[Literal["ru", "en"], list[str]] = {}
    ca_file: Path | None = None  # extra CA certificates to trust (a company CA, a self-signed server)

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        return [_address(item) for item in value]

    @field_validator("recipients_by_language")
    @classmethod
    def _addresses_by_language(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {language: [_address(item) for item in items] for language, items in value.items()}

    @model_validator(mode="after")
    def _one_language_per_recipient(self) -> EmailSettings:
        lists = [self.recipients, *self.recipients_by_language.values()]
        seen = [address.lower() for addresses in lists for address in addresses]
        twice = sorted({address for address in seen if seen.count(address) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed more than once; list each recipient once")
        return self


def _address(value: str) -> str:
    """One bare address (``ceo@example.com``): no display name, no list in one string."""
    address = value.strip()
    local, _, domain = address.rpartition("@")
    if not (local and domain) or any(c.isspace() or c in "<>,;" for c in address):
        raise ValueError(f"{value!r} is not an email address such as ceo@example.com")
    return address


class OrchestrationSettings(Section):
    # how a backfill runs periods side by side: worker processes of this machine (the default),
    # threads of the command's own process, or Dask workers
    task_runner: Literal["process", "thread", "dask"] = "process"
    dask_address: str | None = None  # tcp://host:8786; with "dask" and no address, a local cluster
    max_parallel: int = Field(1, ge=1)  # periods at a time (1: one after the other, in this process)


class Settings(BaseSettings):
    """The whole configuration of one installation."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
    )

    company: CompanySettings = CompanySettings()
    reporting: ReportingSettings = ReportingSettings()
    sources: SourcesSettings = SourcesSettings()
    validation: ValidationSettings = ValidationSettings()
    surveys: SurveySettings = SurveySettings()
    metrics: MetricSettings = MetricSettings()
    sla: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_SLA_FRT_MINUTES))
    business_hours: BusinessHoursSettings = BusinessHoursSettings()
    targets: dict[str, TargetSettings] = {}
    store: StoreSettings = StoreSettings()
    output: OutputSettings = OutputSettings()
    email: EmailSettings = EmailSettings()
    orchestration: OrchestrationSettings = OrchestrationSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment overrides the file (passed as init values).
        return (env_settings, init_settings)

    @field_validator("email")
    @classmethod
    def _languages_rendered(cls, value: EmailSettings, info: ValidationInfo) -> EmailSettings:
        # The monthly flow renders one report, in [reporting] language; see README "Delivery".
        reporting = info.data.get("reporting")
        others = sorted(set(value.recipients_by_language) - {reporting.language}) if reporting else []
        if others:
            raise ValueError(
                f"recipients_by_language.{others[0]}: the report is rendered in "
                f"{reporting.language!r} ([reporting] language) only; list these recipients under "
                f"[email] recipients or set [reporting] language = {others[0]!r}"
            )
        return value

    @model_validator(mode="after")
    def _naive_timestamps_default_to_reporting_zone(self) -> "Settings":
        if self.sources.source_timezone is None:
            local = self.sources.model_copy(update={"source_timezone": self.reporting.timezone})
            object.__setattr__(self, "sources", local)
        return self

    @field_validator("targets")
    @classmethod
    def _known_kpis(cls, value: dict[str, TargetSettings]) -> dict[str, TargetSettings]:
        from transforms.catalogue import BY_ID

        unknown = sorted(set(value) - set(BY_ID))
        if unknown:
            raise ValueError(f"unknown KPI id(s) {', '.join(unknown)}; see the KPI catalogue")
        return value

    # --- what the stages need -----------------------------------------------------
    def metric_params(self) -> MetricParams:
        return MetricParams(
            reporting_tz=self.reporting.timezone,
            csat_min=self.surveys.csat.min,
            csat_max=self.surveys.csat.max,
            csat_satisfied_threshold=self.surveys.csat_satisfied_threshold,
            ces_min=self.surveys.ces.min,
            ces_max=self.surveys.ces.max,
            ces_low_effort_threshold=self.surveys.ces_low_effort_threshold,
            ces_higher_is_more_effort=self.surveys.ces_higher_is_more_effort,
            min_sample=self.reporting.min_sample,
            gross_margin=self.metrics.gross_margin,
            churned_revenue_months=self.metrics.churned_revenue_months,
            sla_frt_minutes=dict(self.sla),
            business_days=tuple(self.business_hours.days),
            business_start=self.business_hours.start,
            business_end=self.business_hours.end,
            new_agent_tenure_days=self.metrics.new_agent_tenure_days,
        )

    def metric_targets(self) -> dict[str, Target]:
        return {
            kpi: Target(target=t.target, direction=t.direction, amber_band=t.amber_band)
            for kpi, t in self.targets.items()
        }

    def with_source_folder(self, folder: Path) -> "Settings":
        """The same settings reading canonical exports from ``folder`` (the CLI's --source)."""
        if not Path(folder).is_dir():
            raise ConfigError(f"{folder}: --source must be a folder of exports (it does not exist)")
        folder_sources = SourcesSettings.for_folder(Path(folder).resolve()).model_copy(
            update={"source_timezone": self.sources.source_timezone}
        )
        return self.model_copy(update={"sources": folder_sources})

    def period(self, label: str) -> Period:
        return Period.parse(label, self.reporting.timezone)

    def baseline(self) -> Period | None:
        label = self.reporting.baseline_period
        return Period.parse(label, self.reporting.timezone) if label else None


def config_path(explicit: str | Path | None) -> Path | None:
    """Which TOML file to read: --config, $SCORECARD_CONFIG, ./scorecard.toml, or none."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("SCORECARD_CONFIG")
    if from_env:
        return Path(from_env)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.exists() else None


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read and validate the configuration; raise ConfigError with one line on any problem.

    Relative paths in the file (store, output, sources) are resolved against the
    file's folder, so a config works from any working directory.
    """
    file = config_path(path)
    values: dict[str, Any] = {}
    if file is not None:
        values = _read_toml(file)
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        values.setdefault(section, {})[name] = value
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, file)) from None
    except PeriodError as exc:
        raise ConfigError(f"{file or 'configuration'}: {exc}") from None
    if file is not None:
        settings = _resolve_paths(settings, file.resolve().parent)
    return settings


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{file}: configuration file not found — pass --config with an existing file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc}) — fix the syntax") from None


def _one_line(exc: ValidationError, file: Path | None) -> str:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    env_name = ENV_PREFIX + "__".join(str(part) for part in error["loc"]).upper()
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    source = file or "configuration"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{source}: {key}: {message}{more} — fix it in the file or in ${env_name}"


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    def absolute(path: Path) -> Path:
        return path if path.is_absolute() else base / path

    store = settings.store.model_copy(update={"path": absolute(settings.store.path)})
    output = settings.output.model_copy(update={"dir": absolute(settings.output.dir)})
    sources = settings.sources.resolved(base) if hasattr(settings.sources, "resolved") else settings.sources
    ca_file = settings.email.ca_file
    email = settings.email.model_copy(update={"ca_file": absolute(ca_file) if ca_file else None})
    return settings.model_copy(update={"store": store, "output": output, "sources": sources, "email": email})
