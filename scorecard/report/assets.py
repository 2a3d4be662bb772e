"""Where the report's templates, stylesheet, fonts and logo live."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR: Path = Path(__file__).resolve().parents[2] / "report_templates"
