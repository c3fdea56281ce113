"""Follow an old URL through the three redirect files the build writes, as each server would.

Each resolver reads one file from ``output/`` and answers where a request goes (the
target path) or None. They implement only what the build writes: Netlify's
``/from [key=value] /to 301`` lines, Apache's ``RedirectMatch`` and the
``RewriteCond``/``RewriteRule`` groups, nginx's ``location =`` and
``if ($request_uri ~ "…")`` lines. Apache and nginx compare the decoded path; their
patterns use ``\\xHH`` for UTF-8 bytes, so the path is matched as Latin-1 text of its bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


def _bytes_text(path: str) -> str:
    return unquote(path).encode("utf-8").decode("latin-1")


def netlify(output: Path, url: str) -> str | None:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    for line in (output / "_redirects").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        tokens = line.split()
        source, target, status = tokens[0], tokens[-2], tokens[-1]
        conditions = [token.split("=", 1) for token in tokens[1:-2]]
        wanted, asked = unquote(source), unquote(parts.path)  # %c3%b6 is %C3%B6
        if wanted.rstrip("/") != asked.rstrip("/") and wanted != asked:
            continue
        if not status.endswith("!") and serves(output, url):
            continue  # a file at the path shadows a rule without "!"
        if all(params.get(key) == value for key, value in conditions):
            return target
    return None


def apache(output: Path, url: str) -> str | None:
    parts = urlsplit(url)
    path = _bytes_text(parts.path)
    lines = (output / ".htaccess").read_text(encoding="utf-8").splitlines()
    conditions: list[tuple[str, str]] = []
    for line in lines:
        if line.startswith("RedirectMatch 301 "):
            _, _, pattern, target = line.split(" ")
            if re.match(pattern, path):
                return target
        elif line.startswith("RewriteCond "):
            _, variable, pattern = line.split(" ")
            conditions.append((variable, pattern))
        elif line.startswith("RewriteRule "):
            _, _, target, _ = line.split(" ")
            values = {"%{REQUEST_URI}": path, "%{QUERY_STRING}": parts.query}
            if all(re.search(pattern, values[variable]) for variable, pattern in conditions):
                return target.rstrip("?")
            conditions = []
    return None


def nginx(output: Path, url: str) -> str | None:
    parts = urlsplit(url)
    path = unquote(parts.path)
    request_uri = parts.path + (f"?{parts.query}" if parts.query else "")
    for line in (output / "nginx-redirects.conf").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r'location = "?(.*?)"? \{ return 301 (\S+); \}', line)
        if match and match[1] == path:
            return match[2]
        match = re.fullmatch(r'if \(\$request_uri ~ "(.*)"\) \{ return 301 (\S+); \}', line)
        if match and re.search(match[1], request_uri):
            return match[2]
    return None


SERVERS = {"_redirects": netlify, ".htaccess": apache, "nginx-redirects.conf": nginx}


def serves(output: Path, url: str) -> bool:
    """Whether the built site has a page (or file) at the path of ``url``."""
    path = unquote(urlsplit(url).path).lstrip("/")
    target = output / path
    return (target / "index.html").is_file() or (bool(path) and target.is_file())


def arrives(output: Path, url: str) -> dict[str, str | None]:
    """Per redirect file: the path a reader ends up on (``url`` itself when the site serves
    it, the redirect's target when that is served), or None (a dead link)."""
    found: dict[str, str | None] = {}
    for name, follow in SERVERS.items():
        target = follow(output, url)
        if target is not None:
            found[name] = target if serves(output, target) else None
        elif not urlsplit(url).query and serves(output, url):
            found[name] = urlsplit(url).path
        else:
            found[name] = None
    return found
