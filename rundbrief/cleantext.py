"""Text as it comes in: characters XML cannot carry, and unpaired bidi controls. Pure.

Every text the build reads (articles, pages, comments, imported items) passes
``clean_text`` first, so every XML file the build writes (feeds, sitemap, digest feed)
can be parsed whatever the input. ``isolate_bidi`` keeps a right-to-left override in a
comment's author or body from flipping the text after it.
"""

from __future__ import annotations

import re

from rundbrief.problems import Problem

# XML 1.0 forbids C0 controls except tab, LF and CR, the non-characters U+FFFE/U+FFFF
# and surrogates (a lone one can come from a surrogateescape decode or a broken import).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Embeddings and overrides are closed by PDF; isolates by PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_PDF = "\u202c"
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_PDI = "\u2069"
# What happens to an article or page whose text had such characters.
BUILT_WITHOUT = "die Seite wird ohne sie gebaut"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` without XML-illegal characters, and (line, code point) of each one removed.

    Lines count from 1 (LF, as editors count them).
    """
    if _ILLEGAL.search(text) is None:
        return text, []
    removed = []
    line = 1
    position = 0
    for match in _ILLEGAL.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        removed.append((line, ord(match[0])))
    return _ILLEGAL.sub("", text), removed


def describe_removed(removed: list[tuple[int, int]], limit: int = 8) -> str:
    """German list of what ``clean_text`` removed: „Zeile 3: U+0001, Zeile 7: U+000B“."""
    shown = [f"Zeile {line}: U+{codepoint:04X}" for line, codepoint in removed[:limit]]
    if len(removed) > limit:
        shown.append(f"und {len(removed) - limit} weitere")
    return ", ".join(shown)


def removed_problem(path: str, removed: list[tuple[int, int]], rest: str) -> Problem:
    """The warning for what ``clean_text`` took out of the file ``path``.

    ``rest`` says what happens to the item, e.g. „der Beitrag wird ohne sie gebaut“.
    """
    return Problem(
        path,
        removed[0][0],
        "Steuerzeichen, die in keiner XML-Datei (Feed, Sitemap) stehen dürfen, wurden "
        f"entfernt ({describe_removed(removed)}); {rest}.",
        "Die Zeichen in der Datei löschen (oft Reste eines alten Imports oder einer Kopie "
        "aus Word); in vielen Editoren zeigt „Steuerzeichen anzeigen“ sie an.",
    )


def isolate_bidi(text: str) -> str:
    """``text`` with every unpaired LRE/RLE/LRO/RLO and LRI/RLI/FSI closed at its end.

    Follows the Unicode bidi algorithm's pairing: a PDI closes the innermost open isolate
    and every embedding opened inside it; a PDF closes the innermost embedding opened after
    the last open isolate. Unmatched PDF/PDI are harmless and stay.
    """
    if _BIDI.search(text) is None:
        return text
    stack: list[str] = []  # "e" for an embedding/override, "i" for an isolate
    for match in _BIDI.finditer(text):
        char = match[0]
        if char in _EMBEDDINGS:
            stack.append("e")
        elif char in _ISOLATES:
            stack.append("i")
        elif char == _PDF:
            if stack and stack[-1] == "e":
                stack.pop()
        elif char == _PDI and "i" in stack:
            while stack.pop() != "i":
                pass
    closing = "".join(_PDF if kind == "e" else _PDI for kind in reversed(stack))
    return text + closing


# The same characters as UTF-8 bytes (C0 controls never occur inside a multi-byte sequence),
# and XML character references to them (``&#1;``, ``&#x1F;``, ``&#xFFFE;``), which XML
# parsers refuse as much as the characters themselves.
_ILLEGAL_BYTES = re.compile(
    b"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]"
    b"|&#0*(?:[0-8]|1[1247-9]|2[0-9]|3[01]|1[56]);"
    b"|&#[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF]|[dD][89a-fA-F][0-9a-fA-F]{2});"
)
_LONGEST_REFERENCE = 12  # "&#x0000FFFE;" and the like: kept back when a read cuts one


# A noncharacter (legal in XML, reserved for internal use by Unicode): CleanBytes can put
# it where it took a character out, so the reader can say which item had one.
MARKER = "\ufdd0"


class CleanBytes:
    """A binary file whose UTF-8 bytes lose the XML-illegal characters as they are read.

    XML parsers refuse a file with one raw control character; WordPress writes them into
    its exports as they are. ``removed`` counts what was dropped; with ``mark`` each one is
    replaced by MARKER (to be removed by the reader, which knows where it was).
    """

    def __init__(self, raw, *, mark: bool = False) -> None:
        self._raw = raw
        self._carry = b""  # the start of a sequence split by a read boundary
        self._replacement = MARKER.encode("utf-8") if mark else b""
        self.removed = 0

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self._raw.read(size)
            data, self._carry = self._carry + chunk, b""
            if chunk:
                keep = 2 if data.endswith(b"\xef\xbf") else 1 if data.endswith(b"\xef") else 0
                amp = data.rfind(b"&", max(0, len(data) - _LONGEST_REFERENCE))
                if amp >= 0 and b";" not in data[amp:]:
                    keep = max(keep, len(data) - amp)  # a reference cut by the read
                if keep:
                    data, self._carry = data[:-keep], data[-keep:]
            cleaned, count = _ILLEGAL_BYTES.subn(self._replacement, data)
            self.removed += count
            if cleaned or not chunk:  # b"" only at the end of the file
                return cleaned
