"""Read one archived tabular file (CSV, XLSX, Parquet, JSON Lines) into a raw frame.

A raw frame has the file's own columns (text for CSV, XLSX and JSON Lines; the
stored types for Parquet) plus ``SOURCE_ROW``, the 0-based data row in the file.
Rows that are entirely blank are dropped. A file that cannot be read at all
raises :class:`InputError` (one line: file, rule, what to do); a single row
that cannot be read is kept (as nulls where unknown) and reported in
``problems`` for the validation stage to quarantine.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from scorecard.errors import InputError
from scorecard.sources.dialect import decode, detect_decimal, sniff_delimiter
from scorecard.sources.settings import EntitySource

SOURCE_ROW = "__source_row"
READ_PROBLEMS_SCHEMA = pl.Schema(
    {SOURCE_ROW: pl.Int64(), "column": pl.String(), "raw_value": pl.String(), "rule": pl.String()}
)


@dataclass(frozen=True)
class RawTable:
    frame: pl.DataFrame | pl.LazyFrame  # Parquet is scanned lazily
    decimal: str = "."
    problems: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=READ_PROBLEMS_SCHEMA)
    )


def read_table(path: Path, fmt: str, source: EntitySource, file: str, entity: str) -> RawTable:
    """Read ``path`` (named ``file`` in messages) as ``fmt``: csv, xlsx, parquet or jsonl."""
    if fmt == "csv":
        return read_csv(path.read_bytes(), source, file, entity)
    if fmt == "xlsx":
        return RawTable(_without_blank_rows(read_xlsx(path, source.sheet, file, entity)))
    if fmt == "parquet":
        return RawTable(_read_parquet(path, file))
    return read_jsonl(path.read_bytes(), file, entity)


def read_csv(data: bytes, source: EntitySource, file: str, entity: str) -> RawTable:
    text, utf8 = decode(data, source.encoding, file, entity)
    first_newline = text.find("\n")
    header_line = (text if first_newline < 0 else text[:first_newline]).rstrip("\r")
    if "\x00" in header_line:
        raise InputError(
            file,
            "the header line contains NUL bytes (UTF-16 or a binary file?)",
            f"save it as UTF-8 CSV, or set encoding in [sources.{entity}]",
        )
    delimiter = source.delimiter or sniff_delimiter(header_line)
    header = _column_names(next(csv.reader([header_line], delimiter=delimiter)), file)
    try:
        frame = pl.read_csv(
            utf8,
            separator=delimiter,
            new_columns=header,
            infer_schema=False,
            row_index_name=SOURCE_ROW,
        )
    except pl.exceptions.PolarsError:
        raise InputError(
            file,
            _csv_fault(text, delimiter, len(header)),
            "fix the row or re-export the file (quote fields holding the delimiter)",
        ) from None
    frame = frame.with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))
    return RawTable(
        _without_blank_rows(frame),
        decimal=source.decimal or detect_decimal(text, delimiter),
        problems=_cut_last_row(text, delimiter, header, frame.height - 1),
    )


def read_xlsx(path: Path, sheet: str | int | None, file: str, entity: str) -> pl.DataFrame:
    """One sheet (a name or 0-based index; default the first) with every cell as text."""
    try:
        workbook = fastexcel.read_excel(str(path))
        names = workbook.sheet_names
        wanted = 0 if sheet is None else sheet
        if (isinstance(wanted, int) and not 0 <= wanted < len(names)) or (
            isinstance(wanted, str) and wanted not in names
        ):
            raise InputError(
                file,
                f"no sheet {wanted!r} (sheets: {', '.join(names)})",
                f"set sheet in [sources.{entity}] to one of them",
            )
        frame = workbook.load_sheet(wanted, dtypes="string").to_polars()
    except fastexcel.FastExcelError:
        raise InputError(
            file, "cannot be read as an XLSX workbook", "re-export it as .xlsx"
        ) from None
    frame = frame.rename(dict(zip(frame.columns, _column_names(frame.columns, file))))
    return frame.with_row_index(SOURCE_ROW).with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))


def read_jsonl(data: bytes, file: str, entity: str) -> RawTable:
    """One object per line; a line that is not a JSON object becomes a row of nulls and a problem."""
    text, _ = decode(data, "utf-8", file, entity)
    records: list[dict[str, str | None]] = []
    bad_lines: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            bad_lines.append((len(records), line))
            record = {}
        records.append({key: _json_text(value) for key, value in record.items()})
    columns = list(dict.fromkeys(key for record in records for key in record))
    frame = (
        pl.DataFrame(
            {name: [record.get(name) for record in records] for name in columns},
            schema={name: pl.String() for name in columns},
        )
        .with_row_index(SOURCE_ROW)
        .with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))
    )
    problems = pl.DataFrame(
        {
            SOURCE_ROW: [row for row, _ in bad_lines],
            "column": ["*"] * len(bad_lines),
            "raw_value": [line for _, line in bad_lines],
            "rule": ["unparseable JSON line"] * len(bad_lines),
        },
        schema=READ_PROBLEMS_SCHEMA,
    )
    return RawTable(frame, problems=problems)


def _read_parquet(path: Path, file: str) -> pl.LazyFrame:
    """A lazy scan (the reader filters it to the period's rows before decoding them all)."""
    try:
        names = pl.read_parquet_schema(path).names()
    except (pl.exceptions.PolarsError, OSError):
        raise InputError(file, "cannot be read as Parquet", "re-export the file") from None
    frame = pl.scan_parquet(path, row_index_name=SOURCE_ROW)
    frame = frame.rename(dict(zip(names, _column_names(names, file))))
    return frame.with_columns(pl.col(SOURCE_ROW).cast(pl.Int64))


def _column_names(names: list[str], file: str) -> list[str]:
    """Header names stripped; a blank name becomes ``(column N)``; a repeated name is an error."""
    cleaned = [str(n).strip() or f"(column {i + 1})" for i, n in enumerate(names)]
    seen: set[str] = set()
    for name in cleaned:
        if name in seen:
            raise InputError(
                file, "the header names a column twice", "rename or remove one of them", column=name
            )
        seen.add(name)
    return cleaned


def _without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame without rows whose every cell is empty (blank lines, empty spreadsheet rows)."""
    data_columns = [c for c in frame.columns if c != SOURCE_ROW]
    if not data_columns:
        return frame
    return frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in data_columns))


def _cut_last_row(text: str, delimiter: str, header: list[str], last_row: int) -> pl.DataFrame:
    """A problem for the last row when the file ends mid-row (fewer fields than the header)."""
    if text.endswith(("\n", "\r")) or last_row < 0:
        return pl.DataFrame(schema=READ_PROBLEMS_SCHEMA)
    fields = next(csv.reader([text[text.rfind("\n") + 1 :]], delimiter=delimiter), [])
    if not fields or len(fields) >= len(header):
        return pl.DataFrame(schema=READ_PROBLEMS_SCHEMA)
    return pl.DataFrame(
        {
            SOURCE_ROW: [last_row],
            "column": [header[len(fields) - 1]],
            "raw_value": [fields[-1]],
            "rule": [f"row cut short: {len(fields)} of {len(header)} fields (truncated file?)"],
        },
        schema=READ_PROBLEMS_SCHEMA,
    )


def _csv_fault(text: str, delimiter: str, width: int) -> str:
    """Why Polars could not read the CSV, found again with the csv module: one line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if len(row) > width:
                return f"line {reader.line_num} has {len(row)} fields, the header has {width}"
    except csv.Error as exc:
        return f"malformed CSV at line {reader.line_num} ({exc})"
    return "malformed CSV quoting (a '\"' inside an unquoted field?)"


def _json_text(value: object) -> str | None:
    """A JSON value as text: scalars as written, arrays and objects as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
