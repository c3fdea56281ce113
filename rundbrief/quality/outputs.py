"""Outputs that would be written to the same path, found before Pelican writes. Pure.

Pelican stops the whole build with FileOverwriteFailedError when two outputs share a
path (two articles with the same slug in one month, a page called "2015" and the year
archive, …). The quality plugin lists every output first: the pages the site makes
(archives, tag and category pages, …) and then articles and pages, oldest first. The first
claim of a path keeps it; every later one is skipped with a Problem naming both files.
Works on duck-typed objects (``save_as``, ``date``, ``tags`` …), imports no Pelican.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rundbrief.problems import Problem

SETTINGS_FILE = "pelicanconf.py"
PERIODS = (("YEAR", "das Jahresarchiv"), ("MONTH", "das Monatsarchiv"), ("DAY", "das Tagesarchiv"))


@dataclass(frozen=True, slots=True)
class Claim:
    path: str  # where it would be written, relative to output/
    what: str  # German, for the message: "der Beitrag „Titel“", "das Monatsarchiv"
    source: str | None = None  # the file it comes from; None for pages the site makes
    slug: str = ""  # the slug that made the path (for the suggested fix)
    item: object = field(default=None, compare=False)  # what to skip


def normalized(path: str) -> str:
    """``2015/07//index.html`` and ``2015/07/./index.html`` are one file."""
    return posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")


def clashes(claims: Iterable[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """(owner, loser) for every claim whose path an earlier claim already has."""
    owners: dict[str, Claim] = {}
    for claim in claims:
        if not claim.path:
            continue  # not written (e.g. drafts in a publish build)
        key = normalized(claim.path)
        owner = owners.setdefault(key, claim)
        if owner is not claim:
            yield owner, claim


def clash_problem(owner: Claim, loser: Claim) -> Problem:
    owner_text = owner.what + (f" ({owner.source})" if owner.source else "")
    where = loser.source or owner.source or SETTINGS_FILE
    message = (
        f"{_upper_first(loser.what)} hätte dieselbe Adresse /{normalized(loser.path)} wie "
        f"{owner_text}; {loser.what} wird nicht gebaut."
    )
    if loser.source:
        usable = re.fullmatch(r"[a-z0-9][a-z0-9-]*", loser.slug)
        suggestion = f"„Slug: {loser.slug}-2“" if usable else "„Slug: ein-anderer-name“"
        fix = f"Im Kopf von {loser.source} eine eigene Adresse setzen, z. B. {suggestion}."
    else:
        fix = "Die URL-Einstellungen (…_URL, …_SAVE_AS) so wählen, dass sie verschieden sind."
    return Problem(where, None, message, fix)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(content) -> str:
    return str(getattr(content, "title", "") or "")


def site_claims(settings: dict, articles: list) -> list[Claim]:
    """The pages the site makes itself around the listed ``articles``."""
    claims: list[Claim] = []
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        claims.append(Claim(save_as or "", f"die Seite „{template}“"))
    for key, what in PERIODS:
        pattern = settings.get(f"{key}_ARCHIVE_SAVE_AS") or ""
        if pattern:
            paths = {pattern.format(date=article.date) for article in articles}
            claims += [Claim(path, what) for path in sorted(paths)]
    taxonomies = {}
    for article in articles:
        category = getattr(article, "category", None)
        if category is not None:
            taxonomies.setdefault(("Kategorie", category.slug), category)
        for tag in getattr(article, "tags", None) or ():
            taxonomies.setdefault(("Schlagwort", tag.slug), tag)
        for author in getattr(article, "authors", None) or ():
            taxonomies.setdefault(("Autor", author.slug), author)
    for (kind, _slug), item in taxonomies.items():
        claims.append(Claim(item.save_as or "", f"die {kind}-Seite „{item.name}“"))
    if settings.get("NEWSLETTER_DIGEST") and settings.get("NEWSLETTER_PATH"):
        claims.append(Claim(f"{settings['NEWSLETTER_PATH']}/index.html", "das Newsletter-Archiv"))
    return claims


def content_claims(contents: Iterable, what: str, source_of) -> list[Claim]:
    """One claim per article or page (``what``: „der Beitrag“ or „die Seite“)."""
    return [
        Claim(
            getattr(content, "save_as", "") or "",
            f"{what} „{_title(content)}“",
            source_of(content),
            str(getattr(content, "slug", "") or ""),
            content,
        )
        for content in contents
    ]
