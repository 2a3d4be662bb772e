"""What can safely be detected about a CSV file: its encoding, delimiter and decimal mark.

- Encoding: a byte-order mark decides (UTF-8, UTF-16); otherwise a configured
  encoding, else strict UTF-8, then Windows-1251 (what Russian-language Excel
  writes).
- Delimiter: the most frequent of ``,`` ``;`` and tab in the header line.
- Decimal mark: a comma when the delimiter is ``;`` and numbers look like ``1,5``.
"""

from __future__ import annotations

import codecs
import csv
import re

from scorecard.errors import InputError

DELIMITERS = (",", ";", "\t")
FALLBACK_ENCODING = "cp1251"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECIMAL_COMMA_NUMBER = re.compile(r"^\s*-?\d+,\d+\s*$")
_SAMPLE_CHARS = 64 * 1024


def decode(data: bytes, encoding: str | None, file: str, entity: str) -> tuple[str, bytes]:
    """The file's text and its UTF-8 bytes (without BOM): by its BOM if it has one, else in
    ``encoding`` if configured, else UTF-8 if it decodes strictly, else Windows-1251."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, bom_encoding, file, entity)
    if encoding is not None:
        return _decode(data, encoding, file, entity)
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        return _decode(
            data, FALLBACK_ENCODING, file, entity, f"neither UTF-8 nor {FALLBACK_ENCODING}"
        )


def sniff_delimiter(header_line: str) -> str:
    """The most frequent candidate delimiter in the header line (comma on a tie or none)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def detect_decimal(text: str, delimiter: str) -> str:
    """``,`` for a ';'-delimited file whose sample holds a number like ``1,5``; else ``.``."""
    if delimiter != ";":
        return "."
    lines = text[:_SAMPLE_CHARS].splitlines()[1:]
    sample = lines[:-1] if len(text) > _SAMPLE_CHARS else lines  # drop a line cut by the sample
    for row in csv.reader(sample, delimiter=delimiter):
        if any(_DECIMAL_COMMA_NUMBER.match(field) for field in row):
            return ","
    return "."


def _decode(
    data: bytes, encoding: str, file: str, entity: str, what: str | None = None
) -> tuple[str, bytes]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            file,
            f"text is {what or f'not {encoding}'} (undecodable byte at offset {exc.start})",
            f"save it as UTF-8, or set encoding in [sources.{entity}]",
        ) from None
    return text, text.encode("utf-8")
