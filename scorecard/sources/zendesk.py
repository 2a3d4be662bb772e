"""Read a Zendesk incremental ticket export (``{"tickets": [...], "metric_sets": [...]}``).

Each ticket becomes one raw row. Zendesk's own fields keep their names, for the
preset (presets/zendesk_tickets.toml) to rename and value-map: ``id``,
``created_at``, ``via.channel``, ``requester_id``, ``assignee_id``,
``group_id``, ``status``. The fields Zendesk has no column for are derived here,
under their canonical names, from the ticket and its sideloaded metric set:

- ``first_response_at`` = ``created_at`` + ``reply_time_in_minutes.calendar``;
- ``resolved_at`` = ``created_at`` + ``full_resolution_time_in_minutes.calendar``,
  only for a ticket whose status is solved or closed;
- ``reopens`` = the metric set's ``reopens``;
- ``contacts`` = 1 + max(``replies`` − 1, 0): the customer's first message,
  plus one more customer message for each agent reply after the first (so a
  one-touch ticket, Zendesk's own first-contact measure, has 1 contact);
- ``category`` = the ticket's ``type`` (question, incident, problem, task), else
  its first tag;
- ``is_complaint`` = the ticket carries one of the configured complaint tags.

A ticket without a metric set gets nulls for the metric-derived fields.
Deleted tickets are left out; a ticket listed twice keeps its last version
(the incremental export lists a ticket again after each update).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from scorecard.errors import InputError
from scorecard.sources.settings import ZendeskOptions
from scorecard.sources.tables import SOURCE_ROW, RawTable

RESOLVED_STATUSES = ("solved", "closed")
COLUMNS = (
    "id",
    "created_at",
    "via.channel",
    "requester_id",
    "assignee_id",
    "group_id",
    "status",
    "first_response_at",
    "resolved_at",
    "reopens",
    "contacts",
    "category",
    "is_complaint",
)


def read_zendesk(data: bytes, options: ZendeskOptions, file: str) -> RawTable:
    try:
        export = json.loads(data)
    except ValueError:
        raise InputError(
            file, "is not valid JSON", "re-export the Zendesk tickets as JSON"
        ) from None
    if not isinstance(export, dict) or not isinstance(export.get("tickets"), list):
        raise InputError(
            file,
            'not a Zendesk ticket export (no "tickets" list)',
            "export incremental tickets with include=metric_sets, or change format",
        )
    metrics = {
        m.get("ticket_id"): m for m in export.get("metric_sets") or [] if isinstance(m, dict)
    }
    latest: dict[Any, dict[str, Any]] = {}  # ticket id → its last version
    for row, ticket in enumerate(export["tickets"]):
        if isinstance(ticket, dict) and ticket.get("status") != "deleted":
            record = _record(ticket, metrics.get(ticket.get("id")) or {}, options)
            latest[ticket.get("id")] = {**record, SOURCE_ROW: row}
    rows = sorted(latest.values(), key=lambda r: r[SOURCE_ROW])
    schema = {name: pl.String() for name in COLUMNS} | {SOURCE_ROW: pl.Int64()}
    return RawTable(pl.DataFrame(rows, schema=schema))


def _record(ticket: dict[str, Any], metric: dict[str, Any], options: ZendeskOptions) -> dict:
    tags = [str(t) for t in ticket.get("tags") or []]
    created_at = _text(ticket.get("created_at"))
    replies = metric.get("replies")
    resolved = ticket.get("status") in RESOLVED_STATUSES
    return {
        "id": _text(ticket.get("id")),
        "created_at": created_at,
        "via.channel": _text((ticket.get("via") or {}).get("channel")),
        "requester_id": _text(ticket.get("requester_id")),
        "assignee_id": _text(ticket.get("assignee_id")),
        "group_id": _text(ticket.get("group_id")),
        "status": _text(ticket.get("status")),
        "first_response_at": _plus_minutes(created_at, metric.get("reply_time_in_minutes")),
        "resolved_at": _plus_minutes(created_at, metric.get("full_resolution_time_in_minutes"))
        if resolved
        else None,
        "reopens": _text(metric.get("reopens")),
        "contacts": str(1 + max(replies - 1, 0)) if isinstance(replies, int) else None,
        "category": _text(ticket.get("type")) or (tags[0] if tags else None),
        "is_complaint": "true" if set(tags) & set(options.complaint_tags) else "false",
    }


def _plus_minutes(created_at: str | None, minutes: Any) -> str | None:
    """``created_at`` + the calendar minutes of a Zendesk duration metric, as ISO 8601."""
    calendar = minutes.get("calendar") if isinstance(minutes, dict) else None
    if created_at is None or not isinstance(calendar, (int, float)):
        return None
    try:
        start = datetime.fromisoformat(created_at)
    except ValueError:
        return None  # the cast reports the unparseable created_at itself
    return (start + timedelta(minutes=calendar)).isoformat()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
