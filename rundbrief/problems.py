"""A content problem: which file (and line), what is wrong, and how to fix it. Pure."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message} So beheben: {self.fix}"


def display_path(path: str) -> str:
    """The path relative to the working directory when it lies below it (as authors see it)."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return path


def first_bad_utf8_line(data: bytes) -> int | None:
    """Line number (1-based) of the first byte sequence that is not UTF-8, or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1
    return None


def not_utf8(path: str, line: int) -> Problem:
    return Problem(
        path,
        line,
        "Die Datei ist nicht UTF-8-kodiert und wird übersprungen.",
        "Die Datei im Editor als „UTF-8“ speichern (z. B. `iconv -f latin1 -t utf-8`).",
    )
