"""The ``[validation]`` section of the configuration."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from transforms.schema import CHANNELS, ENTITIES, SURVEYS

SUITES_DIR = Path(__file__).resolve().parents[2] / "expectations"

DEFAULT_SURVEY_SCALES: dict[str, tuple[int, int]] = {
    "csat": (0, 5),
    "ces": (0, 5),
    "nps": (0, 10),
    "enps": (0, 10),
}


class ValidationSettings(BaseModel):
    """What the suites check against: the configured currency, scales and channels."""

    model_config = ConfigDict(extra="forbid")

    currency: str = "RUB"
    survey_scales: dict[str, tuple[int, int]] = Field(default_factory=lambda: dict(DEFAULT_SURVEY_SCALES))
    channels: list[str] = Field(default_factory=lambda: list(CHANNELS))
    max_duplicate_share: float = Field(0.01, ge=0.0, le=1.0)
    require_period_data: list[str] = Field(
        default_factory=lambda: ["tickets", "orders", "survey_responses"]
    )
    # Orders this many months before the period are checked too (keep it >= the
    # churned-revenue look-back of the metrics; the previous period is always checked).
    orders_lookback_months: int = Field(12, ge=0)
    write_data_docs: bool = False
    suites_dir: Path = SUITES_DIR

    @field_validator("survey_scales")
    @classmethod
    def _every_survey_has_a_scale(cls, scales: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        missing = [survey for survey in SURVEYS if survey not in scales]
        if missing:
            raise ValueError(f"survey_scales lacks {', '.join(missing)}; give each as [min, max]")
        for survey, (low, high) in scales.items():
            if low > high:
                raise ValueError(f"survey_scales.{survey}: min {low} is above max {high}")
        return scales

    @model_validator(mode="after")
    def _known_entities(self) -> ValidationSettings:
        unknown = [entity for entity in self.require_period_data if entity not in ENTITIES]
        if unknown:
            raise ValueError(
                f"require_period_data names {', '.join(unknown)}; use entities of {', '.join(ENTITIES)}"
            )
        return self
