"""Tags (and categories) that differ only in case or spacing are one. Pure.

"Markup" and "markup", "New  Work" and "new work" have the same slug, so Pelican already
gives them one page, shown with whichever spelling it met first. The quality plugin makes
the rule fixed: the spelling of the earliest article (by ``Date``; same date: by file
name) wins everywhere, and this module names the articles that spell it differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rundbrief.problems import Problem

KINDS = {"tag": "Das Schlagwort", "category": "Die Kategorie"}
MAX_FILES = 10


@dataclass(frozen=True, slots=True)
class Use:
    slug: str
    name: str
    source: str  # the article's file (display path)


def spelling_problems(uses: Iterable[Use], kind: str) -> list[Problem]:
    """One Problem per slug written more than one way; ``uses`` oldest article first."""
    first: dict[str, Use] = {}
    others: dict[str, dict[str, list[str]]] = {}
    for use in uses:
        owner = first.setdefault(use.slug, use)
        if use.name != owner.name:
            files = others.setdefault(use.slug, {}).setdefault(use.name, [])
            if use.source not in files:
                files.append(use.source)
    problems = []
    for slug, spellings in others.items():
        owner = first[slug]
        listed = "; ".join(
            f"„{name}“ in {_files(files)}" for name, files in sorted(spellings.items())
        )
        problems.append(
            Problem(
                next(iter(spellings.values()))[0],
                None,
                f"{KINDS[kind]} „{owner.name}“ (zuerst so in {owner.source}) ist anders "
                f"geschrieben: {listed}. Es gilt als eines, mit einer Seite und einem Feed, "
                f"überall als „{owner.name}“ gezeigt.",
                f"Überall „{owner.name}“ schreiben; soll eine andere Schreibweise gelten, "
                f"sie auch in {owner.source} verwenden.",
            )
        )
    return problems


def _files(files: list[str]) -> str:
    shown = ", ".join(files[:MAX_FILES])
    return shown + (f" und {len(files) - MAX_FILES} weiteren" if len(files) > MAX_FILES else "")
