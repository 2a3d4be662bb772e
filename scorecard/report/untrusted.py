"""Text that came from the data (comments, file names, team and segment names).

It is never markup: templates autoescape it and charts escape it. Here it is only
made printable: control characters dropped, whitespace collapsed, length capped.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def plain_text(text: str, limit: int = 200) -> str:
    """One printable line of at most ``limit`` characters."""
    line = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
