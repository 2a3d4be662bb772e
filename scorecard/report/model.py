"""What the report is about: the run's facts and the data-quality record it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from transforms.periods import Period

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")


@dataclass(frozen=True)
class ReportMeta:
    """The facts printed on the cover and in every footer."""

    company: str
    period: Period
    generated_at: datetime  # aware; shown in the period's reporting time zone
    run_id: str
    language: Language = "ru"
    currency: str = "RUB"  # ISO 4217


class InputFile(NamedTuple):
    """One pulled export: what was read from it and its archive checksum."""

    entity: str
    file_name: str
    rows_read: int
    rows_quarantined: int
    sha256: str


class QuarantinedRows(NamedTuple):
    """How many rows of an entity one validation rule quarantined."""

    entity: str
    rule: str
    rows: int


@dataclass(frozen=True)
class DataQuality:
    """The data-quality page: plain tuples are accepted and read as the named tuples above."""

    files: list[InputFile] = field(default_factory=list)
    quarantined: list[QuarantinedRows] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
