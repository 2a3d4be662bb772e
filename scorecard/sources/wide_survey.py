"""Reshape a wide survey export (one row per respondent, one column per question).

Each answered question becomes one ``survey_responses`` row: the survey is the
one configured for its column, ``response_id`` is ``<respondent>-<survey>``,
the respondent's comment goes to the row of their first answered question (in
the configured order) so that it is counted once. Unanswered questions make no
row. ``SOURCE_ROW`` still points at the respondent's row in the file.
"""

from __future__ import annotations

import polars as pl

from scorecard.errors import InputError
from scorecard.sources.settings import WideSurvey
from scorecard.sources.tables import SOURCE_ROW

_QUESTION = "__question"
_ORDER = "__order"


def unpivot_survey(frame: pl.DataFrame, wide: WideSurvey, entity: str, file: str) -> pl.DataFrame:
    """One row per answered question, with survey_responses' column names."""
    per_respondent = {
        "response_id": wide.respondent_column,
        "submitted_at": wide.submitted_column,
        "comment": wide.comment_column,
        "customer_id": wide.customer_column,
        "ticket_id": wide.ticket_column,
        "agent_id": wide.agent_column,
        "channel": wide.channel_column,
    }
    questions = list(wide.questions)
    for column in [*questions, *(c for c in per_respondent.values() if c is not None)]:
        if column not in frame.columns:
            raise InputError(
                file,
                "column of the wide survey missing",
                f"rename it in the file or fix [sources.{entity}.wide_survey]",
                column=column,
            )
    respondents = frame.select(
        pl.col(SOURCE_ROW),
        *(
            (pl.col(source).cast(pl.String) if source else pl.lit(None, pl.String)).alias(target)
            for target, source in per_respondent.items()
        ),
        *(pl.col(q).cast(pl.String).alias(q) for q in questions),
    )
    answers = (
        respondents.unpivot(
            on=questions,
            index=[SOURCE_ROW, *per_respondent],
            variable_name=_QUESTION,
            value_name="score",
        )
        .filter(pl.col("score").str.strip_chars().fill_null("") != "")
        .with_columns(
            pl.col(_QUESTION).replace_strict(questions, range(len(questions))).alias(_ORDER)
        )
        .sort(SOURCE_ROW, _ORDER)
    )
    first_answer = pl.int_range(pl.len()).over(SOURCE_ROW) == 0
    survey = pl.col(_QUESTION).replace_strict(wide.questions)
    respondent = pl.col("response_id").str.strip_chars()
    return answers.select(
        pl.col(SOURCE_ROW),
        pl.when(respondent != "")
        .then(pl.concat_str(respondent, survey, separator="-"))
        .alias("response_id"),
        survey.alias("survey"),
        pl.col("score"),
        pl.col("submitted_at"),
        pl.col("customer_id"),
        pl.col("ticket_id"),
        pl.col("agent_id"),
        pl.col("channel"),
        pl.when(first_answer).then(pl.col("comment")).alias("comment"),
    )
