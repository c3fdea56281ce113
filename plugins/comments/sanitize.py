"""Comment bodies to safe HTML (Markdown, then the nh3 allowlist) and commenter URLs. Pure."""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "i", "b", "code", "pre", "blockquote", "ul", "ol", "li"}
)
# Removed together with their content (never shown as text).
CONTENT_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
        "textarea",
        "select",
        "button",
        "svg",
        "math",
        "template",
        "noscript",
    }
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_URL_LENGTH = 2000
_BAD_URL_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with line breaks kept (as WordPress showed comments); raw HTML is parsed
    so that the allowlist below removes it (with its content, for script and the like).

    markdown-it-py renders a comment about five times faster than Python-Markdown, which
    matters with tens of thousands of comments. The parser holds no per-document state.
    """
    return MarkdownIt("commonmark", {"breaks": True, "html": True}).disable("image")


# Plain prose: letters, digits and punctuation that Markdown does not interpret, each line
# starting with a letter, quote or bracket and without surrounding spaces. Most comments
# are like this; for them Markdown and the allowlist would only wrap paragraphs and turn
# line breaks into <br>, so that is done directly (a test checks it gives the same HTML).
# Any character other than these makes a comment go through Markdown and the allowlist.
_UNSAFE_CHAR = re.compile(r"""[^\w \n.,;:?!'"()/%€$§+=@#|-]|_""")
_LINE_START = frozenset("\"'(")


def plain_prose_html(markdown_text: str) -> str | None:
    """The HTML of ``markdown_text`` if it is plain prose (see above), else None."""
    text = markdown_text.strip("\n")
    if not text or _UNSAFE_CHAR.search(text):
        return None
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        for line in lines:
            if not line or (line[0] not in _LINE_START and not line[0].isalpha()):
                return None
            if line != line.strip(" "):
                return None
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(paragraphs)


def render_comment_body(markdown_text: str) -> str:
    """Markdown source of a comment -> sanitised HTML (allowlist; links get rel=nofollow ugc)."""
    plain = plain_prose_html(markdown_text)
    return plain if plain is not None else markdown_to_safe_html(markdown_text)


def markdown_to_safe_html(markdown_text: str) -> str:
    """Any comment through Markdown and the nh3 allowlist."""
    html = markdown_parser().render(markdown_text)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes={"a": {"href"}, "*": set()},  # "*": no generic lang/title either
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaned.strip()


def safe_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) URL without credentials, spaces or controls."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH or "\\" in url:
        return None
    if any(unicodedata.category(char) in _BAD_URL_CATEGORIES for char in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:
        return None
    return url
