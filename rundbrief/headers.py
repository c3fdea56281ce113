"""The ``Key: value`` header of the site's Markdown files: the one parser. Pure.

Articles, pages and comment files start with ``Key: value`` lines, then a blank line,
then the text. A line that starts with a space or tab continues the previous value
(as in Python-Markdown's meta extension, which Pelican uses). Keys are compared in lower
case. The header ends at the first blank line, or at the first line that is neither a
field nor a continuation (``stray_line`` names it: the text probably lacks its blank line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class HeaderField:
    key: str  # lower case
    value: str
    line: int  # 1-based line of the key


@dataclass(frozen=True, slots=True)
class Header:
    fields: list[HeaderField]  # in file order, repeated keys included
    body: str  # the text after the header, without leading blank lines and trailing space
    body_line: int  # 1-based line where the body starts
    stray_line: int | None  # a line inside the header that is not a field (None: clean end)

    def first(self) -> dict[str, HeaderField]:
        """The first field of each key."""
        found: dict[str, HeaderField] = {}
        for field in self.fields:
            found.setdefault(field.key, field)
        return found


def read_header(text: str) -> Header:
    """Split ``text`` into its header fields and its body."""
    lines = text.lstrip("\ufeff").splitlines()
    fields: list[HeaderField] = []
    body_start = len(lines)
    stray: int | None = None
    for index, raw in enumerate(lines):
        if not raw.strip():
            body_start = index + 1
            break
        match = FIELD.match(raw)
        if match is not None:
            fields.append(HeaderField(match["key"].lower(), match["value"].strip(), index + 1))
            continue
        if fields and raw[:1] in (" ", "\t"):
            last = fields[-1]
            fields[-1] = HeaderField(last.key, f"{last.value} {raw.strip()}", last.line)
            continue
        body_start = index
        stray = index + 1 if fields else None
        break
    body_lines = lines[body_start:]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
    return Header(fields, "\n".join(body_lines).rstrip(), body_start + 1, stray)
