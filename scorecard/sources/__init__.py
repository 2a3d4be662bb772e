"""Pull exports from their sources into the run archive, and read them as canonical frames.

manifest = pull(settings, period, run_dir)      # copy + checksum, nothing read yet
result = read_entities(manifest, settings, RowWindow.for_periods([period], 12))
                                                # frames (the period's rows), problems, files
"""

from scorecard.archive import ArchivedFile, Manifest
from scorecard.sources.period_rows import RowWindow
from scorecard.sources.pull import pull
from scorecard.sources.read import PROBLEMS_SCHEMA, ReadResult, read_entities
from scorecard.sources.settings import (
    EntitySource,
    Mapping,
    PostgresSettings,
    S3Settings,
    SourcesSettings,
    WideSurvey,
    ZendeskOptions,
)

__all__ = [
    "PROBLEMS_SCHEMA",
    "ArchivedFile",
    "EntitySource",
    "Manifest",
    "Mapping",
    "PostgresSettings",
    "ReadResult",
    "RowWindow",
    "S3Settings",
    "SourcesSettings",
    "WideSurvey",
    "ZendeskOptions",
    "pull",
    "read_entities",
]
