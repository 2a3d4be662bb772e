"""The ``[sources]`` section of the configuration: where each export comes from and how it maps.

A default location (a folder, an S3 bucket or a PostgreSQL database) serves every
entity; ``[sources.<entity>]`` overrides it for one entity: another kind or path,
a ``{period}`` name template for monthly drops, the file format and its options,
a shipped preset, and the mapping to the canonical schema. Secrets are never
values here: the settings hold the NAME of an environment variable or of a
Prefect Secret block.
"""

from __future__ import annotations

import codecs
import string
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from scorecard.sources.presets import apply_preset
from transforms.schema import CANONICAL, ENTITIES, SURVEYS

Kind = Literal["folder", "s3", "postgres"]
Format = Literal["auto", "csv", "xlsx", "parquet", "jsonl", "zendesk", "wide_survey"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mapping(_Strict):
    """How a source's columns and values become canonical ones.

    ``rename`` maps source column → canonical column. ``values``, ``scale`` and
    ``source_timezone`` speak of canonical columns (after renaming).
    """

    rename: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}  # column → {source value → canonical value}
    scale: dict[str, float] = {}  # column → factor, e.g. handle minutes → seconds: 60
    source_timezone: str | None = None  # naive timestamps are read here; default [sources]

    @field_validator("source_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)


class WideSurvey(_Strict):
    """A wide survey export: one row per respondent, one column per question."""

    respondent_column: str
    submitted_column: str
    questions: dict[str, str]  # question column → survey (csat, ces, nps, enps)
    comment_column: str | None = None  # goes to the first answered question's row
    customer_column: str | None = None
    ticket_column: str | None = None
    agent_column: str | None = None
    channel_column: str | None = None

    @field_validator("questions")
    @classmethod
    def _known_surveys(cls, questions: dict[str, str]) -> dict[str, str]:
        if not questions:
            raise ValueError("questions must map at least one column to a survey")
        unknown = sorted(set(questions.values()) - set(SURVEYS))
        if unknown:
            raise ValueError(f"unknown survey {unknown[0]!r} (surveys: {', '.join(SURVEYS)})")
        return questions


class ZendeskOptions(_Strict):
    """Choices the Zendesk ticket export leaves open."""

    complaint_tags: list[str] = ["complaint"]  # a ticket with any of these tags is a complaint


class EntitySource(_Strict):
    """Where one entity comes from and how it is read. Unset fields inherit [sources]."""

    kind: Kind | None = None
    path: str | None = None  # one file (a full snapshot)
    template: str | None = (
        None  # a name with {period}: one file per month, e.g. tickets_{period}.csv
    )
    glob: str | None = None  # every matching file
    format: Format = "auto"
    encoding: str | None = None  # CSV: detected when unset (UTF-8, BOM, Windows-1251)
    delimiter: str | None = None  # CSV: sniffed from the header line when unset
    decimal: Literal[".", ","] | None = None  # CSV: "," detected for ';' files with "1,5" numbers
    sheet: str | int | None = None  # XLSX: a sheet name or 0-based index; default the first
    preset: str | None = None  # a shipped preset (presets/<name>.toml) filling unset fields
    mapping: Mapping = Mapping()
    wide_survey: WideSurvey | None = None
    zendesk: ZendeskOptions = ZendeskOptions()
    table: str | None = None  # PostgreSQL: schema.table
    query: str | None = (
        None  # PostgreSQL; may use %(period_start)s, %(period_end)s (UTC; then write % as %%)
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("preset"):
            return apply_preset(data["preset"], data)
        return data

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r} (e.g. utf-8, cp1251)") from None
        return value

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError("delimiter must be one character, e.g. ';' or '\\t'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> EntitySource:
        if sum(x is not None for x in (self.path, self.template, self.glob)) > 1:
            raise ValueError("set only one of path, template and glob")
        if self.template is not None and _placeholders(self.template) != {"period"}:
            raise ValueError(
                "template must contain {period} and no other {…}, e.g. tickets_{period}.csv"
            )
        if self.table is not None and self.query is not None:
            raise ValueError("set either table or query, not both")
        if self.format == "wide_survey" and self.wide_survey is None:
            raise ValueError(
                "format wide_survey needs a [wide_survey] table (or preset = 'wide_survey')"
            )
        return self


class S3Settings(_Strict):
    """S3-compatible object storage. Keys are read from the named environment variables."""

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id_env: str = "AWS_ACCESS_KEY_ID"
    secret_access_key_env: str = "AWS_SECRET_ACCESS_KEY"
    secret_access_key_block: str | None = None  # a Prefect Secret block instead of the env var


class PostgresSettings(_Strict):
    """PostgreSQL: the URL comes from the named environment variable or Prefect Secret block."""

    url_env: str = "SCORECARD_DATABASE_URL"
    url_secret_block: str | None = None


class SourcesSettings(_Strict):
    """The ``[sources]`` section: a default location plus per-entity overrides."""

    kind: Kind = "folder"
    path: str = "."  # the folder, for kind "folder"
    source_timezone: str | None = None  # unset: the reporting time zone  # naive timestamps are read in this zone unless a mapping says
    s3: S3Settings | None = None
    postgres: PostgresSettings = PostgresSettings()
    customers: EntitySource | None = None
    orders: EntitySource | None = None
    tickets: EntitySource | None = None
    agents: EntitySource | None = None
    trainings: EntitySource | None = None
    survey_responses: EntitySource | None = None
    costs: EntitySource | None = None

    @classmethod
    def for_folder(cls, path: Path | str) -> SourcesSettings:
        """A folder of canonical exports named ``<entity>.<csv|parquet|jsonl|xlsx>``."""
        return cls(kind="folder", path=str(path))

    @field_validator("source_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)

    @model_validator(mode="after")
    def _complete(self) -> SourcesSettings:
        if self.s3 is None and any(self.kind_of(e) == "s3" for e in ENTITIES):
            raise ValueError("kind 's3' needs a [sources.s3] table with at least bucket")
        for entity in ENTITIES:
            source = self.source_for(entity)
            names_a_file = any(x is not None for x in (source.path, source.template, source.glob))
            names_sql = source.table is not None or source.query is not None
            if self.kind_of(entity) == "postgres" and names_a_file:
                raise ValueError(
                    f"{entity}: a postgres source takes table or query, not path/template/glob"
                )
            if self.kind_of(entity) != "postgres" and names_sql:
                raise ValueError(f"{entity}: table and query need kind = 'postgres'")
            _check_mapping(entity, source.mapping)
        return self

    def resolved(self, base: Path) -> SourcesSettings:
        """The same settings with a relative folder ``path`` read from ``base`` (the config's folder)."""
        folder = Path(self.path)
        return (
            self if folder.is_absolute() else self.model_copy(update={"path": str(base / folder)})
        )

    def source_for(self, entity: str) -> EntitySource:
        """The entity's override, or an empty one (everything inherited)."""
        return getattr(self, entity) or EntitySource()

    def kind_of(self, entity: str) -> Kind:
        return self.source_for(entity).kind or self.kind

    def timezone_of(self, entity: str) -> str:
        return self.source_for(entity).mapping.source_timezone or self.source_timezone or "UTC"


def _check_mapping(entity: str, mapping: Mapping) -> None:
    """``values`` and ``scale`` name canonical columns; only numbers can be scaled."""
    columns = {c.name: c.type for c in CANONICAL[entity]}
    for name in mapping.values:
        if name not in columns:
            raise ValueError(f"{entity}: mapping.values: {name!r} is not a column of {entity}")
    for name in mapping.scale:
        if columns.get(name) not in ("int", "float"):
            numeric = ", ".join(n for n, t in columns.items() if t in ("int", "float"))
            raise ValueError(
                f"{entity}: mapping.scale: {name!r} is not a number column of {entity} ({numeric})"
            )


def _placeholders(template: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    except ValueError:  # an unmatched brace
        return set()


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: a malformed key
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Moscow)"
        ) from None
    return name
