"""The text of a PDF that WeasyPrint wrote, read in a tenth of a second instead of seconds.

pypdf's ``extract_text`` turns every operator of every page into Python objects and
re-reads each font's Unicode map on every page and in every chart: about 2 s for the
executive report. WeasyPrint (through pydyf) writes text in one narrow shape, one
operator a line, and this module reads exactly that shape:

* ``a b c d x y Tm`` places the text, ``/Name size Tf`` picks a Type0 font whose
  ToUnicode map is a list of ``bfchar`` pairs and whose widths are a ``/W`` array;
* ``[<glyph ids> kerning <glyph ids> …] TJ`` shows it; ``/Name Do`` draws a chart (a form).

Like pypdf, it puts a space between two pieces of text unless the second starts where
the first ended on the same line (a chart draws each letter on its own). Anything else
(another font type, ``Tj``, ranges in a Unicode map, a TJ not alone on its line) raises
UnreadableText, and the caller reads the PDF the slow way: nothing is guessed.
pypdf opens the file and inflates the streams.
"""

from __future__ import annotations

import re

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

_OTHER_SHOWING = (b"Tj", b"'", b'"')  # text operators pydyf never writes
_TJ_PART = re.compile(rb"<(?P<glyphs>[0-9A-Fa-f]*)>|(?P<kerning>[-+]?[\d.]+)|(?P<other>\S)")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFCHAR_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
# How close (in font sizes) the next piece must start to where the last one ended to
# continue the same word: the letters of a chart label are 0 apart, table cells far.
_SAME_LINE = 0.3
_SAME_WORD = 0.15


class UnreadableText(ValueError):
    """The PDF shows text in a way this reader does not know; nothing was guessed."""


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text in drawing order; UnreadableText if the PDF is not as WeasyPrint writes."""
    pages = _Pages()
    try:
        return [pages.text(page) for page in reader.pages]
    except UnreadableText:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise UnreadableText(f"unexpected PDF structure ({exc!r})") from exc


class _Font:
    """A Type0 font: the Unicode text and the width (1/1000 em) of each 2-byte glyph id."""

    def __init__(self, font: DictionaryObject) -> None:
        if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
            raise UnreadableText(f"font {font.get('/BaseFont')} is not Type0 with a Unicode map")
        cmap = font["/ToUnicode"].get_object().get_data()
        if b"beginbfrange" in cmap:
            raise UnreadableText("a font's Unicode map uses ranges")
        self.text: dict[int, str] = {
            int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for block in _BFCHAR_BLOCK.findall(cmap)
            for code, text in _BFCHAR_PAIR.findall(block)
        }
        descendant = font["/DescendantFonts"][0].get_object()
        self.default_width = float(descendant.get("/DW", 1000))
        self.widths = _cid_widths(descendant.get("/W", ArrayObject()))

    def decode(self, glyphs: bytes) -> tuple[str, float]:
        """The text of ``glyphs`` and their advance in 1/1000 em."""
        codes = [int.from_bytes(glyphs[i:i + 2], "big") for i in range(0, len(glyphs), 2)]
        try:
            text = "".join(self.text[code] for code in codes)
        except KeyError as missing:
            raise UnreadableText(f"glyph {missing} has no Unicode text") from None
        return text, sum(self.widths.get(code, self.default_width) for code in codes)


class _Cursor:
    """Where the text shown last ended, to tell a new word from the same one."""

    def __init__(self) -> None:
        self.end: tuple[float, float] | None = None
        self.start = (0.0, 0.0)
        self.scale = 1.0

    def move_to(self, matrix: list[float], size: float) -> bool:
        """Place the text at ``matrix``; True when that continues the text shown last."""
        scale, _, _, _, x, y = matrix
        continues = (
            self.end is not None
            and abs(y - self.end[1]) <= _SAME_LINE * size
            and abs(x - self.end[0]) <= _SAME_WORD * size
        )
        self.start, self.scale, self.end = (x, y), scale, None
        return continues

    def advance(self, thousandths: float, size: float) -> None:
        x, y = self.end or self.start
        self.end = (x + self.scale * thousandths / 1000 * size, y)


class _Pages:
    """Reads the pages of one PDF; fonts and charts shared by pages are decoded once."""

    def __init__(self) -> None:
        self._fonts: dict[int, _Font] = {}  # by id(): pypdf hands out one object per PDF object
        self._forms: dict[int, str] = {}

    def text(self, page: PageObject) -> str:
        contents = page.get_contents()
        data = b"" if contents is None else contents.get_data()
        return self._stream_text(data, page.get("/Resources"))

    def _stream_text(self, data: bytes, resources: object) -> str:
        resources = DictionaryObject() if resources is None else resources.get_object()
        pieces: list[str] = []
        font: _Font | None = None
        size = 0.0
        cursor = _Cursor()
        shown = 0
        for command in data.splitlines():
            operands, _, operator = command.rpartition(b" ")
            if operator == b"TJ":
                if font is None:
                    raise UnreadableText("text shown before a font was chosen")
                pieces.append(_tj_text(operands, font, size, cursor))
                shown += 1
            elif operator == b"Tm":
                if not cursor.move_to([float(n) for n in operands.split()], size):
                    pieces.append(" ")
            elif operator == b"Tf":
                name, size_text = operands.split()
                font, size = self._font(resources, name), float(size_text)
            elif operator == b"Do":
                pieces.extend((" ", self._form(resources, operands), " "))
                cursor.end = None
        if shown != data.count(b"TJ") or any(op in data for op in _OTHER_SHOWING):
            raise UnreadableText("text is shown in a way pydyf does not write")
        return "".join(pieces)

    def _font(self, resources: DictionaryObject, name: bytes) -> _Font:
        font = _resource(resources, "/Font", name)
        if id(font) not in self._fonts:
            self._fonts[id(font)] = _Font(font)
        return self._fonts[id(font)]

    def _form(self, resources: DictionaryObject, name: bytes) -> str:
        xobject = _resource(resources, "/XObject", name)
        if xobject.get("/Subtype") != "/Form":
            return ""  # a picture: no text
        if not isinstance(xobject, StreamObject):
            raise UnreadableText("a form that is not a stream")
        if id(xobject) not in self._forms:
            self._forms[id(xobject)] = ""  # a form that draws itself draws nothing more
            own = xobject.get("/Resources")
            self._forms[id(xobject)] = self._stream_text(
                xobject.get_data(), resources if own is None else own
            )
        return self._forms[id(xobject)]


def _tj_text(operands: bytes, font: _Font, size: float, cursor: _Cursor) -> str:
    """The text of a TJ array (``[<0032>0<0053>-12]``); moves ``cursor`` to its end."""
    if not (operands.startswith(b"[") and operands.endswith(b"]")):
        raise UnreadableText("a TJ that is not alone on its line")
    text: list[str] = []
    for part in _TJ_PART.finditer(operands, 1, len(operands) - 1):
        if part["glyphs"] is not None:
            piece, width = font.decode(bytes.fromhex(part["glyphs"].decode()))
            text.append(piece)
            cursor.advance(width, size)
        elif part["kerning"] is not None:
            cursor.advance(-float(part["kerning"]), size)
        else:
            raise UnreadableText("a TJ array holds something other than glyphs and kerning")
    return "".join(text)


def _cid_widths(array: ArrayObject) -> dict[int, float]:
    """A ``/W`` array (``first [w w …]`` or ``first last w``) as glyph id → width."""
    widths: dict[int, float] = {}
    items = iter(array)
    for first in items:
        following = next(items)
        if isinstance(following, list):
            widths.update({int(first) + i: float(width) for i, width in enumerate(following)})
        else:
            width = float(next(items))
            widths.update({code: width for code in range(int(first), int(following) + 1)})
    return widths


def _resource(resources: DictionaryObject, kind: str, name: bytes) -> DictionaryObject:
    """The font or XObject ``name`` (``b"/F1"``) in ``resources``."""
    try:
        return resources[kind].get_object()[name.decode("latin-1")].get_object()
    except KeyError:
        raise UnreadableText(f"{name.decode('latin-1')} is not among the {kind} resources") from None
