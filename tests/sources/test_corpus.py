"""A corpus of bad and unusual input files: each has one outcome, and the archive stays intact.

Every case replaces one canonical export by the case's file, pulls and reads the
period. The outcome is either canonical frames (checked by value) plus problems,
or one InputError line naming the file, the rule and what to do — never a
traceback. In every case the archived copy keeps the checksum of the original.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl
import pytest

from scorecard.errors import InputError
from scorecard.sources import ReadResult, SourcesSettings, pull, read_entities
from transforms.periods import Period
from transforms.schema import polars_schema

from .exports import (
    CANONICAL_CSV,
    TICKETS_HEADER,
    assert_archive_intact,
    assert_one_line,
    write_exports,
    xlsx,
)

T1 = (
    "T1,C1,phone,2026-10-03T10:00:00+03:00,2026-10-03T10:01:00+03:00,2026-10-03T10:20:00+03:00,"
    "A1,north,billing,purchase,false,1,0,1140"
)
T2 = "T2,C2,email,2026-10-04T09:00:00+03:00,2026-10-04T12:00:00+03:00,,A2,south,delivery,experience,true,2,1,"


def tickets_csv(*rows: str, header: str = TICKETS_HEADER, sep: str = ",") -> str:
    return "\n".join([header.replace(",", sep), *(r.replace(",", sep) for r in rows)]) + "\n"


TICKET_ROWS = [TICKETS_HEADER.split(","), T1.split(","), T2.split(",")]


@dataclass(frozen=True)
class Case:
    id: str
    entity: str
    name: str
    data: bytes
    settings: dict = field(default_factory=dict)
    error: str | None = None  # the InputError line expected (a fragment)
    check: Callable[[ReadResult], None] | None = None


def canonical_tickets(result: ReadResult) -> None:
    """The two canonical tickets, read right (10:00+03:00 = 07:00Z, 09:00+03:00 = 06:00Z)."""
    tickets = result.frames["tickets"]
    assert tickets.schema == polars_schema("tickets")
    assert tickets["ticket_id"].to_list() == ["T1", "T2"]
    assert tickets["created_at"].to_list() == [
        datetime(2026, 10, 3, 7, 0, tzinfo=UTC),
        datetime(2026, 10, 4, 6, 0, tzinfo=UTC),
    ]
    assert tickets["handle_seconds"].to_list() == [1140, None]
    assert tickets["is_complaint"].to_list() == [False, True]
    assert result.problems.is_empty()


def problems_of(result: ReadResult) -> list[tuple]:
    return result.problems.select("row_number", "source_row", "column", "raw_value", "rule").rows()


def check_cp1251(result: ReadResult) -> None:
    tickets = result.frames["tickets"]
    assert tickets["category"].to_list() == ["Оплата", "Доставка"]
    assert tickets["channel"].to_list() == ["phone", "email"]  # "Телефон" mapped by config


def check_decimal_comma(result: ReadResult) -> None:
    trainings = result.frames["trainings"]
    assert trainings["hours"].to_list() == [4.5, 1234.25]
    assert trainings["course"].to_list() == ["Вводный курс", "Эскалации; жалобы"]


def check_header_only(result: ReadResult) -> None:
    assert result.frames["tickets"].is_empty()
    assert result.frames["tickets"].schema == polars_schema("tickets")
    assert result.problems.is_empty()


def check_truncated(result: ReadResult) -> None:
    tickets = result.frames["tickets"]
    assert tickets["ticket_id"].to_list() == ["T1", "T2"]
    assert tickets.row(1, named=True)["channel"] == "email"
    assert tickets.row(1, named=True)["contacts"] is None
    assert problems_of(result) == [
        (1, 1, "created_at", "2026-10-04T09:00", "row cut short: 4 of 14 fields (truncated file?)")
    ]


def check_huge_field(result: ReadResult) -> None:
    comments = result.frames["survey_responses"]["comment"].to_list()
    assert [len(c or "") for c in comments] == [10_000_000, 0]
    assert result.problems.is_empty()


def check_nul(result: ReadResult) -> None:
    assert result.frames["tickets"]["category"].to_list() == [None, "delivery"]
    assert problems_of(result) == [(0, 0, "category", "bil\x00ling", "NUL byte in value")]


def check_mixed_offsets(result: ReadResult) -> None:
    assert result.frames["tickets"]["created_at"].to_list() == [
        datetime(2026, 10, 3, 7, 0, tzinfo=UTC),  # 10:00+03:00
        datetime(2026, 10, 4, 14, 0, tzinfo=UTC),  # 09:00-05:00
        datetime(2026, 10, 5, 9, 0, tzinfo=UTC),  # Z
    ]


def check_bad_dates(result: ReadResult) -> None:
    assert result.frames["tickets"]["created_at"].to_list() == [
        None,
        datetime(2026, 10, 4, 6, 0, tzinfo=UTC),
    ]
    assert result.frames["tickets"]["resolved_at"].to_list() == [None, None]
    assert problems_of(result) == [
        (0, 0, "created_at", "2026-13-03T10:00:00+03:00", "unparseable timestamp"),
        (0, 0, "resolved_at", "позавчера", "unparseable timestamp"),
    ]


def check_wrong_types(result: ReadResult) -> None:
    tickets = result.frames["tickets"]
    assert tickets.select("is_complaint", "contacts", "reopens", "handle_seconds").rows() == [
        (None, None, None, None),
        (True, 2, 1, None),
    ]
    assert problems_of(result) == [
        (0, 0, "is_complaint", "maybe", "unparseable boolean"),
        (0, 0, "contacts", "two", "unparseable integer"),
        (0, 0, "reopens", "0.5", "unparseable integer"),
        (0, 0, "handle_seconds", "19 min", "unparseable integer"),
    ]


def check_broken_json_line(result: ReadResult) -> None:
    responses = result.frames["survey_responses"]
    assert responses["response_id"].to_list() == ["R1", None, "R3"]  # the broken line stays a row
    assert responses["score"].to_list() == [5, None, 4]
    assert problems_of(result) == [
        (1, 1, "*", '{"response_id": "R2", "survey": "cs', "unparseable JSON line")
    ]


RENAMED_HEADER = (
    "Номер,Клиент,Канал,Создано,Первый ответ,Решено,Оператор,Группа,Тема,Этап,Жалоба,Обращений,"
    "Переоткрытий,Время работы (мин)"
)
RENAME = {
    "Номер": "ticket_id",
    "Клиент": "customer_id",
    "Канал": "channel",
    "Создано": "created_at",
    "Первый ответ": "first_response_at",
    "Решено": "resolved_at",
    "Оператор": "agent_id",
    "Группа": "team",
    "Тема": "category",
    "Этап": "cjm_stage",
    "Жалоба": "is_complaint",
    "Обращений": "contacts",
    "Переоткрытий": "reopens",
    "Время работы (мин)": "handle_seconds",
}


def check_renamed(result: ReadResult) -> None:
    tickets = result.frames["tickets"]
    assert tickets["ticket_id"].to_list() == ["T1", "T2"]
    assert tickets["channel"].to_list() == ["phone", "chat"]
    assert tickets["handle_seconds"].to_list() == [1140, 90]  # 19 min * 60, 1.5 min * 60
    assert tickets["is_complaint"].to_list() == [False, True]


CASES = [
    Case(
        "windows-1251",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1.replace("phone", "Телефон").replace("billing", "Оплата"),
            T2.replace("delivery", "Доставка"),
        ).encode("cp1251"),
        settings={"mapping": {"values": {"channel": {"Телефон": "phone"}}}},
        check=check_cp1251,
    ),
    Case(
        "utf-8 with BOM",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2).encode("utf-8-sig"),
        check=canonical_tickets,
    ),
    Case(
        "semicolons and decimal commas",
        "trainings",
        "trainings.csv",
        "agent_id;completed_at;hours;course\r\nA2;02.10.2026 15:00;4,5;Вводный курс\r\n"
        'A1;03.10.2026;1 234,25;"Эскалации; жалобы"\r\n'.encode("cp1251"),
        check=check_decimal_comma,
    ),
    Case(
        "tabs",
        "tickets",
        "tickets.tsv",
        tickets_csv(T1, T2, sep="\t").encode(),
        check=canonical_tickets,
    ),
    Case(
        "xlsx, data on the second sheet",
        "tickets",
        "tickets.xlsx",
        xlsx({"Инструкция": [["Выгрузка обращений"]], "Tickets": TICKET_ROWS}),
        settings={"sheet": "Tickets"},
        check=canonical_tickets,
    ),
    Case(
        "xlsx, sheet by index",
        "tickets",
        "tickets.xlsx",
        xlsx({"Инструкция": [["Выгрузка обращений"]], "Tickets": TICKET_ROWS}),
        settings={"sheet": 1},
        check=canonical_tickets,
    ),
    Case(
        "xlsx, default first sheet holds no data",
        "tickets",
        "tickets.xlsx",
        xlsx({"Инструкция": [["Выгрузка обращений"]], "Tickets": TICKET_ROWS}),
        error="tickets.xlsx, column 'ticket_id': required column missing",
    ),
    Case(
        "xlsx, sheet not there",
        "tickets",
        "tickets.xlsx",
        xlsx({"Инструкция": [["x"]], "Tickets": TICKET_ROWS}),
        settings={"sheet": "Обращения"},
        error="tickets.xlsx: no sheet 'Обращения' (sheets: Инструкция, Tickets) — set sheet in [sources.tickets]",
    ),
    Case(
        "not really xlsx",
        "tickets",
        "tickets.xlsx",
        b"PK\x03\x04 not a workbook",
        error="tickets.xlsx: cannot be read as an XLSX workbook",
    ),
    Case(
        "empty file",
        "tickets",
        "tickets.csv",
        b"",
        error="tickets.csv: file is empty (0 bytes) — re-export it",
    ),
    Case(
        "header only",
        "tickets",
        "tickets.csv",
        (TICKETS_HEADER + "\r\n").encode(),
        check=check_header_only,
    ),
    Case(
        "truncated: last line cut",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2)[
            : tickets_csv(T1, T2).index("T2") + len("T2,C2,email,2026-10-04T09:00")
        ].encode(),
        check=check_truncated,
    ),
    Case(
        "truncated inside a quoted field",
        "tickets",
        "tickets.csv",
        (tickets_csv(T1) + 'T2,C2,email,2026-10-04T09:00:00+03:00,,,A2,south,"Достав').encode(),
        error="tickets.csv: malformed CSV at line 3 (unexpected end of data)",
    ),
    Case(
        "a 10 MB single field",
        "survey_responses",
        "survey_responses.csv",
        CANONICAL_CSV["survey_responses"].replace("Спасибо!", "x" * 10_000_000).encode(),
        check=check_huge_field,
    ),
    Case(
        "NUL bytes in a value",
        "tickets",
        "tickets.csv",
        tickets_csv(T1.replace("billing", "bil\x00ling"), T2).encode(),
        check=check_nul,
    ),
    Case(
        "NUL bytes everywhere (UTF-16 without BOM)",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2).encode("utf-16-le"),
        error="tickets.csv: the header line contains NUL bytes (UTF-16 or a binary file?)",
    ),
    Case(
        "UTF-16 with BOM, tab-separated (Excel 'Unicode text')",
        "tickets",
        "tickets.txt",
        tickets_csv(T1, T2, sep="\t").encode("utf-16"),
        check=canonical_tickets,
    ),
    Case(
        "neither UTF-8 nor Windows-1251",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2).encode() + b"\x98\n",
        error="tickets.csv: text is neither UTF-8 nor cp1251 (undecodable byte at offset",
    ),
    Case(
        "mixed time-zone offsets",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1,
            T2.replace("2026-10-04T09:00:00+03:00", "2026-10-04T09:00:00-05:00"),
            T2.replace("T2", "T3").replace("2026-10-04T09:00:00+03:00", "2026-10-05T09:00:00Z"),
        ).encode(),
        check=check_mixed_offsets,
    ),
    Case(
        "unparseable dates",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1.replace("2026-10-03T10:00", "2026-13-03T10:00").replace(
                "2026-10-03T10:20:00+03:00", "позавчера"
            ),
            T2,
        ).encode(),
        check=check_bad_dates,
    ),
    Case(
        "columns renamed by the mapping",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1.replace(",1140", ",19"), T2.replace("email", "Чат") + "1.5", header=RENAMED_HEADER
        ).encode(),
        settings={
            "mapping": {
                "rename": RENAME,
                "values": {"channel": {"Чат": "chat"}},
                "scale": {"handle_seconds": 60},
            }
        },
        check=check_renamed,
    ),
    Case(
        "extra columns are ignored",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1 + ",high,<script>", T2 + ",low,", header=TICKETS_HEADER + ",priority,internal_note"
        ).encode(),
        check=canonical_tickets,
    ),
    Case(
        "a missing column",
        "tickets",
        "tickets.csv",
        tickets_csv(
            T1.replace(",phone", ""),
            T2.replace(",email", ""),
            header=TICKETS_HEADER.replace(",channel", ""),
        ).encode(),
        error="tickets.csv, column 'channel': required column missing — add the column or map it in "
        "[sources.tickets.mapping.rename]",
    ),
    Case(
        "a column mapped from one the file lacks",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2).encode(),
        settings={"mapping": {"rename": {"Канал": "channel", "channel": "ignored"}}},
        error="tickets.csv, column 'channel': required column missing (mapped from 'Канал', which the file lacks)",
    ),
    Case(
        "wrong types",
        "tickets",
        "tickets.csv",
        tickets_csv(T1.replace("false,1,0,1140", "maybe,two,0.5,19 min"), T2).encode(),
        check=check_wrong_types,
    ),
    Case(
        "a row longer than the header",
        "tickets",
        "tickets.csv",
        tickets_csv(T1, T2 + ",surplus").encode(),
        error="tickets.csv: line 3 has 15 fields, the header has 14 — fix the row or re-export the file",
    ),
    Case(
        "a stray quote",
        "tickets",
        "tickets.csv",
        tickets_csv(T1.replace("billing", 'bill"ing'), T2).encode(),
        error="tickets.csv: malformed CSV quoting",
    ),
    Case(
        "a column named twice",
        "tickets",
        "tickets.csv",
        tickets_csv(T1 + ",x", T2 + ",y", header=TICKETS_HEADER + ",team").encode(),
        error="tickets.csv, column 'team': the header names a column twice",
    ),
    Case(
        "JSON Lines with a broken line",
        "survey_responses",
        "survey_responses.jsonl",
        b'{"response_id": "R1", "survey": "csat", "score": 5, "submitted_at": "2026-10-03T11:00:00Z"}\n'
        b'{"response_id": "R2", "survey": "cs\n\n'
        b'{"response_id": "R3", "survey": "csat", "score": "4", "submitted_at": "2026-10-04T11:00:00Z", "x": [1]}',
        check=check_broken_json_line,
    ),
    Case(
        "Zendesk export cut short",
        "tickets",
        "tickets.json",
        b'{"tickets": [{"id": 1, "created_at": "2026-',
        settings={"preset": "zendesk_tickets"},
        error="tickets.json: is not valid JSON — re-export the Zendesk tickets as JSON",
    ),
    Case(
        "JSON that is not a Zendesk export",
        "tickets",
        "tickets.json",
        b'{"results": []}',
        settings={"preset": "zendesk_tickets"},
        error='tickets.json: not a Zendesk ticket export (no "tickets" list)',
    ),
    Case(
        "an unknown extension",
        "tickets",
        "tickets.dat",
        tickets_csv(T1, T2).encode(),
        error="tickets.dat: cannot tell the format from the file name — set format",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_corpus(case: Case, tmp_path):
    folder = write_exports(tmp_path / "src", skip=(case.entity,))
    (folder / case.name).write_bytes(case.data)
    settings = SourcesSettings.model_validate(
        {"path": str(folder), case.entity: {"path": case.name, **case.settings}}
    )
    manifest = pull(settings, Period.parse("2026-10"), tmp_path / "run")

    if case.error is not None:
        with pytest.raises(InputError) as caught:
            read_entities(manifest, settings)
        assert case.error in str(caught.value)
        assert_one_line(str(caught.value))
    else:
        assert case.check is not None
        case.check(read_entities(manifest, settings))

    assert_archive_intact(manifest, {case.name: case.data})
    assert (folder / case.name).read_bytes() == case.data  # the source is untouched


def test_problems_frame_has_the_published_schema(tmp_path):
    folder = write_exports(tmp_path / "src")
    settings = SourcesSettings.for_folder(folder)
    result = read_entities(pull(settings, Period.parse("2026-10"), tmp_path / "run"), settings)
    assert result.problems.schema == pl.Schema(
        {
            "entity": pl.String(),
            "file": pl.String(),
            "row_number": pl.Int64(),
            "source_row": pl.Int64(),
            "column": pl.String(),
            "raw_value": pl.String(),
            "rule": pl.String(),
        }
    )
