"""A tiny, consistent set of canonical exports (what the demo generator writes), as CSV text."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl

TICKETS_HEADER = (
    "ticket_id,customer_id,channel,created_at,first_response_at,resolved_at,agent_id,team,"
    "category,cjm_stage,is_complaint,contacts,reopens,handle_seconds"
)

CANONICAL_CSV: dict[str, str] = {
    "customers": (
        "customer_id,created_at,churned_at,segment\n"
        "C1,2025-01-05T10:00:00+03:00,,b2c\n"
        "C2,2026-09-15T09:30:00+03:00,2026-10-20T12:00:00+03:00,vip\n"
    ),
    "orders": (
        "order_id,customer_id,ordered_at,amount,currency,status\n"
        "O1,C1,2026-10-03T10:00:00+03:00,1500.50,RUB,paid\n"
        "O2,C2,2026-10-05T11:00:00+03:00,200,RUB,refunded\n"
    ),
    "tickets": (
        TICKETS_HEADER + "\n"
        "T1,C1,phone,2026-10-03T10:00:00+03:00,2026-10-03T10:01:00+03:00,"
        "2026-10-03T10:20:00+03:00,A1,north,billing,purchase,false,1,0,1140\n"
        "T2,C2,email,2026-10-04T09:00:00+03:00,2026-10-04T12:00:00+03:00,,A2,south,delivery,"
        "experience,true,2,1,\n"
    ),
    "agents": (
        "agent_id,team,hired_at,left_at\n"
        "A1,north,2024-02-01T09:00:00+03:00,\n"
        "A2,south,2026-10-01T09:00:00+03:00,\n"
    ),
    "trainings": (
        "agent_id,completed_at,hours,course\nA2,2026-10-02T15:00:00+03:00,4.5,onboarding\n"
    ),
    "survey_responses": (
        "response_id,survey,score,submitted_at,customer_id,ticket_id,agent_id,channel,comment\n"
        "R1,csat,5,2026-10-03T11:00:00+03:00,C1,T1,A1,,Спасибо!\n"
        "R2,enps,9,2026-10-10T18:00:00+03:00,,,A2,,\n"
    ),
}

COSTS_CSV = "period,cost_center,amount\n2026-10,support,250000\n"


def write_exports(folder: Path, skip: tuple[str, ...] = ()) -> Path:
    """Write ``<entity>.csv`` for every required entity not in ``skip``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for entity, text in CANONICAL_CSV.items():
        if entity not in skip:
            (folder / f"{entity}.csv").write_text(text, encoding="utf-8")
    return folder


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_archive_intact(manifest, originals: dict[str, bytes]) -> None:
    """Every archived file still has its pulled checksum; ``originals`` (name → bytes) match too."""
    for entry in manifest.files:
        archived = manifest.path_of(entry).read_bytes()
        assert sha256(archived) == entry.sha256
        assert len(archived) == entry.size
        if entry.name in originals:
            assert archived == originals[entry.name]


def assert_one_line(message: str) -> None:
    """A user-facing error: one line, no traceback, no Python internals."""
    assert "\n" not in message
    assert "Traceback" not in message
    assert "Error(" not in message


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with the given sheets (title → rows), in order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
