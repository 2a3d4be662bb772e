"""Shipped mapping presets: ``presets/<name>.toml`` files that fill an entity's source settings.

A preset holds the same keys as a ``[sources.<entity>]`` table. The entity's own
settings win: tables merge key by key (so a config can add one channel to a
preset's value map), except a wide survey's ``questions``, which is replaced as
a whole (its keys are the columns of one particular questionnaire).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

PRESETS_DIR = Path(__file__).resolve().parents[2] / "presets"
_REPLACED_WHOLE = {("wide_survey", "questions")}


def available_presets() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def load_preset(name: str) -> dict[str, Any]:
    path = PRESETS_DIR / f"{name}.toml"
    if "/" in name or "\\" in name or not path.is_file():
        raise ValueError(
            f"unknown preset {name!r}; shipped presets: {', '.join(available_presets())}"
        )
    with path.open("rb") as stream:
        return tomllib.load(stream)


def apply_preset(name: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The preset's settings overlaid with ``settings`` (which win)."""
    return _overlay(load_preset(name), settings, ())


def _overlay(base: dict[str, Any], top: dict[str, Any], where: tuple[str, ...]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        path = (*where, key)
        if (
            isinstance(value, dict)
            and isinstance(base.get(key), dict)
            and path not in _REPLACED_WHOLE
        ):
            merged[key] = _overlay(base[key], value, path)
        else:
            merged[key] = value
    return merged
