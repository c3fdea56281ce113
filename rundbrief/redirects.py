"""301 redirects for three kinds of host, and the list of old addresses an import left. Pure.

The build writes every redirect in three files into ``output/``:

- ``_redirects``: Netlify and Cloudflare Pages (``/from /to 301``; Netlify matches a
  rule with or without the trailing slash; ``/from key=value /to 301`` matches a query
  parameter, which Netlify understands and Cloudflare Pages ignores);
- ``.htaccess``: Apache (mod_alias ``RedirectMatch 301``, trailing slash optional; rules
  for a query parameter use mod_rewrite);
- ``nginx-redirects.conf``: ``location = … { return 301 …; }`` lines to ``include``
  inside the site's ``server { … }`` block (both with and without the trailing slash);
  rules for a query parameter are ``if ($request_uri ~ …)`` lines.

``content/redirects.txt`` (``REDIRECTS_FILE``) holds the old addresses of an imported
WordPress blog, one ``/old/path/ /new/path/`` per line (``/?p=123 /2015/06/slug/`` for a
query parameter); the WordPress importer writes it, the feeds plugin adds its lines to
the three files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from rundbrief.problems import Problem

HEADER = "Alte WordPress-Feed-Adressen -> neue Feeds. Von Rundbrief erzeugt, nicht von Hand ändern."
IMPORTED = "Alte Adressen des importierten WordPress-Blogs (content/redirects.txt)."
REDIRECTS_FILE = "redirects.txt"  # below the content folder

_SAFE = "A-Za-z0-9._~-"
_PATH = re.compile(rf"^/(?:[{_SAFE}]+/)*(?:[{_SAFE}]+)?$")
# Sources may carry percent-encoded UTF-8 (WordPress slugs with umlauts); decoded, each
# such character must be a letter, mark or digit, so no server syntax can be written.
_SOURCE = re.compile(rf"^/(?:(?:[{_SAFE}]|%[0-9A-F]{{2}})+/)*(?:[{_SAFE}]|%[0-9A-F]{{2}})*$")
_QUERY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.-]+$")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-/")


class RedirectError(ValueError):
    """A path that cannot go into a server configuration safely."""


def _decodes_to_words(source: str) -> bool:
    try:
        decoded = unquote(source, errors="strict")
    except UnicodeDecodeError:
        return False
    return all(
        char in _UNRESERVED or (ord(char) > 127 and unicodedata.category(char)[0] in "LMN")
        for char in decoded
    )


@dataclass(frozen=True, slots=True)
class Redirect:
    source: str  # URL path, starts with "/"; may hold %XX (upper-case hex)
    target: str  # URL path, starts with "/"
    query: str = ""  # "p=123": only when the query string has this parameter

    def __post_init__(self) -> None:
        problems = []
        for name, pattern in (("source", _SOURCE), ("target", _PATH)):
            value = getattr(self, name)
            if not isinstance(value, str) or not pattern.match(value) or "/../" in value + "/":
                problems.append(name)
        if not problems and "%" in self.source and not _decodes_to_words(self.source):
            problems.append("source")
        if not isinstance(self.query, str) or (self.query and not _QUERY.match(self.query)):
            problems.append("query")
        if problems:
            name = problems[0]
            raise RedirectError(
                f"Weiterleitung: {name} {getattr(self, name)!r} ist kein einfacher Pfad (erlaubt: "
                "/, Buchstaben, Ziffern, . _ ~ -)."
            )

    @property
    def decoded(self) -> str:
        """The source as the server compares it (percent-encoding decoded)."""
        return unquote(self.source)


def normal_source(path: str) -> str:
    """``path`` with upper-case percent-encoding, as browsers send it (WordPress writes
    ``%c3%b6``)."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda match: match[0].upper(), path)


# --- the three files ----------------------------------------------------------------------


def _query_sources(rule: Redirect) -> list[str]:
    """A ``?p=123`` link works at the folder and at its ``index.php``."""
    if rule.source.endswith("/"):
        return [rule.source, rule.source + "index.php"]
    return [rule.source]


def netlify(rules: Iterable[Redirect], imported: Iterable[Redirect] = ()) -> str:
    lines = [f"# {HEADER}", "# Netlify / Cloudflare Pages: diese Datei liegt im Wurzelordner."]
    lines += [f"{rule.source}  {rule.target}  301" for rule in rules]
    imported = list(imported)
    if imported:
        lines.append(f"# {IMPORTED} Abfrage-Regeln (?p=…) versteht nur Netlify.")
    for rule in imported:
        if rule.query:
            # "301!": the home page exists at "/", and Netlify lets a file shadow a rule
            lines += [
                f"{source}  {rule.query}  {rule.target}  301!" for source in _query_sources(rule)
            ]
        else:
            lines.append(f"{rule.source}  {rule.target}  301")
    return "\n".join(lines) + "\n"


def _apache_regex(path: str) -> str:
    """``path`` (decoded) as a PCRE literal in ASCII: UTF-8 bytes as ``\\xHH``."""
    out = []
    for char in path:
        if char in _UNRESERVED and char not in ".~-":
            out.append(char)
        elif char in ".~-":
            out.append("\\" + char if char == "." else char)
        else:
            out.append("".join(f"\\x{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out)


def _apache_pattern(source: str) -> str:
    escaped = _apache_regex(source.rstrip("/"))
    return f"^{escaped}/?$" if source.endswith("/") else f"^{escaped}$"


def htaccess(rules: Iterable[Redirect], imported: Iterable[Redirect] = ()) -> str:
    imported = list(imported)
    paths = [rule for rule in imported if not rule.query]
    queries = [rule for rule in imported if rule.query]
    lines = [
        f"# {HEADER}",
        "# Apache: braucht mod_alias und AllowOverride FileInfo (oder All) für diesen Ordner.",
        "<IfModule mod_alias.c>",
    ]
    lines += [f"RedirectMatch 301 {_apache_pattern(rule.source)} {rule.target}" for rule in rules]
    if paths:
        lines.append(f"# {IMPORTED}")
    lines += [f"RedirectMatch 301 {_apache_pattern(rule.decoded)} {rule.target}" for rule in paths]
    lines.append("</IfModule>")
    if queries:
        lines += [
            f"# {IMPORTED} Abfragen wie ?p=123 (braucht mod_rewrite).",
            "<IfModule mod_rewrite.c>",
            "RewriteEngine On",
        ]
        for rule in queries:
            folder = _apache_regex(rule.source)
            key, value = rule.query.split("=", 1)
            lines += [
                f"RewriteCond %{{REQUEST_URI}} ^{folder}(?:index\\.php)?$",
                f"RewriteCond %{{QUERY_STRING}} (?:^|&){key}={_apache_regex(value)}(?:&|$)",
                f"RewriteRule ^ {rule.target}? [R=301,L]",
            ]
        lines.append("</IfModule>")
    return "\n".join(lines) + "\n"


def _nginx_location(path: str) -> str:
    return f'"{path}"' if any(ord(char) > 127 for char in path) else path


def nginx(rules: Iterable[Redirect], imported: Iterable[Redirect] = ()) -> str:
    lines = [
        f"# {HEADER}",
        "# nginx: im server-Block der Website einbinden: include /pfad/zu/nginx-redirects.conf;",
    ]
    imported = list(imported)
    if imported:
        rules = [*rules, *(rule for rule in imported if not rule.query)]
    for rule in rules:
        path = rule.decoded
        sources = [path]
        if path.endswith("/") and path != "/":
            sources.append(path.rstrip("/"))
        lines += [
            f"location = {_nginx_location(source)} {{ return 301 {rule.target}; }}"
            for source in sources
        ]
    queries = [rule for rule in imported if rule.query]
    if queries:
        lines.append(f"# {IMPORTED} Abfragen wie ?p=123.")
    for rule in queries:
        folder = _apache_regex(rule.source)
        key, value = rule.query.split("=", 1)
        pattern = f"^{folder}(?:index\\.php)?\\?(?:.*&)?{key}={_apache_regex(value)}(?:&|$)"
        lines.append(f'if ($request_uri ~ "{pattern}") {{ return 301 {rule.target}; }}')
    return "\n".join(lines) + "\n"


FILES = {"_redirects": netlify, ".htaccess": htaccess, "nginx-redirects.conf": nginx}


def redirect_files(rules: Iterable[Redirect], imported: Iterable[Redirect] = ()) -> dict[str, str]:
    """File name in the output root -> its text: the feed ``rules``, then the ``imported``
    old addresses (a source the feed rules already have is left out)."""
    rules = list(rules)
    seen = {(rule.source, rule.query) for rule in rules}
    extra = []
    for rule in imported:
        if (rule.source, rule.query) not in seen:
            seen.add((rule.source, rule.query))
            extra.append(rule)
    return {name: render(rules, extra) for name, render in FILES.items()}


# --- content/redirects.txt ------------------------------------------------------------------

FILE_HEADER = (
    "# Alte Adressen -> neue Adressen, eine Weiterleitung (301) je Zeile: /alter/pfad/ "
    "/neuer/pfad/\n"
    "# /?p=123 /neuer/pfad/ leitet eine Abfrage weiter. Der Build schreibt die Zeilen in "
    "_redirects, .htaccess und nginx-redirects.conf.\n"
)


def split_source(old: str) -> tuple[str, str]:
    """``/?p=123`` -> ("/", "p=123"); a path without query -> (path, "")."""
    path, _, query = old.partition("?")
    return normal_source(path or "/"), query


def format_redirects(pairs: Iterable[tuple[str, str]]) -> str:
    """The text of ``content/redirects.txt`` for (old, new) pairs, in their order."""
    return FILE_HEADER + "".join(f"{old} {new}\n" for old, new in pairs)


def parse_redirects(text: str, path: str) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """The (source, query, target) lines of ``content/redirects.txt``, checked; a bad line
    is a Problem (file and line) and left out."""
    found: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        try:
            if len(parts) != 2:
                raise RedirectError("erwartet werden zwei Pfade")
            source, query = split_source(parts[0])
            Redirect(source, parts[1], query)
        except RedirectError as error:
            problems.append(
                Problem(
                    path,
                    number,
                    f"„{line[:200]}“ ist keine Weiterleitung ({error}); die Zeile wird übergangen.",
                    "Die Zeile als „/alter/pfad/ /neuer/pfad/“ schreiben (Pfade mit / am "
                    "Anfang, ohne Leerzeichen) oder löschen.",
                )
            )
            continue
        found.append((source, query, parts[1]))
    return found, problems
