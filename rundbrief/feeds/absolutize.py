"""Make every link and image inside an HTML fragment absolute. Pure.

Feed readers show an entry away from the site, so ``../../../images/x.png`` (what Pelican
writes with RELATIVE_URLS), ``/impressum/`` or ``#abschnitt`` would lead nowhere. Only the
start tags that carry a URL are rewritten; all other markup passes through unchanged.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# tag -> attributes holding one URL
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "longdesc"),
    "source": ("src",),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "iframe": ("src",),
    "embed": ("src",),
    "script": ("src",),
    "input": ("src",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "del": ("cite",),
    "ins": ("cite",),
    "form": ("action",),
    "object": ("data",),
}
SRCSET_TAGS = frozenset({"img", "source"})
# A URL-carrying attribute whose value is not plainly absolute (http:, https:, mailto:).
# HTML without one (most comments, many articles) needs no parsing at all.
_MAYBE_RELATIVE = re.compile(
    r"""\b(?:href|src|srcset|longdesc|poster|cite|action|data)\s*=\s*["']?"""
    r"""(?!\s*(?:https?://|mailto:))""",
    re.IGNORECASE,
)


def absolute_url(value: str, base_url: str) -> str:
    """``value`` resolved against ``base_url``; other schemes (mailto:, data:, …) unchanged."""
    stripped = value.strip()
    if not stripped or urlsplit(stripped).scheme:
        return value
    return urljoin(base_url, stripped)


def absolute_srcset(value: str, base_url: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        parts[0] = absolute_url(parts[0], base_url)
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


def _serialise(tag: str, attrs: list, closing: bool, base_url: str) -> str | None:
    """The start tag with its URLs made absolute; None if it carries no URL."""
    names = URL_ATTRIBUTES.get(tag, ())
    srcset = tag in SRCSET_TAGS
    if not any(v is not None and (n in names or (srcset and n == "srcset")) for n, v in attrs):
        return None
    pieces = [f"<{tag}"]
    for name, value in attrs:
        if value is None:
            pieces.append(f" {name}")
            continue
        new = value
        if name in names:
            new = absolute_url(value, base_url)
        elif srcset and name == "srcset":
            new = absolute_srcset(value, base_url)
        pieces.append(f' {name}="{escape(new, quote=True)}"')
    pieces.append(" />" if closing else ">")
    return "".join(pieces)


class _Rewriter(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=False)
        self.base_url = base_url
        self.out: list[str] = []

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closing: bool) -> None:
        rewritten = _serialise(tag, attrs, closing, self.base_url)
        self.out.append(rewritten if rewritten is not None else self.get_starttag_text() or "")

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closing=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closing=True)

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


# Markup as Markdown writes it: text, character references, lowercase end tags and start
# tags whose attributes are lowercase names with double-quoted values free of < and >.
# Such HTML (nearly every article) is rewritten with regular expressions; anything else
# goes through the HTML parser. Both give the same result (a test compares them).
_SIMPLE_HTML = re.compile(
    r"""(?:[^<&]++"""
    r"""|&(?:[a-zA-Z][a-zA-Z0-9]*+|#[0-9]++|#[xX][0-9a-fA-F]++);"""
    r"""|<(?!script\b|style\b)[a-z][a-z0-9]*+(?:\s++[a-z][a-z0-9:-]*+(?:="[^"<>]*+")?+)*+\s*+/?>"""
    r"""|</[a-z][a-z0-9]*+>)*+"""
)
_URL_TAG = re.compile(
    r"<(" + "|".join(sorted(URL_ATTRIBUTES, key=len, reverse=True)) + r")((?:\s[^<>]*)?)>"
)
_ATTRIBUTE = re.compile(r'\s+([a-z][a-z0-9:-]*)(?:="([^"]*)")?')


def _rewrite_simple(html: str, base_url: str) -> str:
    def tag(match: re.Match) -> str:
        rest = match[2]
        attrs = [
            (m[1], None if m[2] is None else unescape(m[2])) for m in _ATTRIBUTE.finditer(rest)
        ]
        rewritten = _serialise(match[1], attrs, rest.endswith("/"), base_url)
        return match[0] if rewritten is None else rewritten

    return _URL_TAG.sub(tag, html)


def absolutize(html: str, base_url: str) -> str:
    """``html`` with every relative URL in links, images and media made absolute.

    ``base_url`` is the absolute URL of the page the HTML belongs to (the article).
    Fragment-only links (``#abschnitt``) point to that page afterwards.
    """
    if not html or not _MAYBE_RELATIVE.search(html):
        return html
    if _SIMPLE_HTML.fullmatch(html):
        return _rewrite_simple(html, base_url)
    return _absolutize_parsed(html, base_url)


def _absolutize_parsed(html: str, base_url: str) -> str:
    rewriter = _Rewriter(base_url)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
