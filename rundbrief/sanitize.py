"""Comment bodies to safe HTML (Markdown, then the nh3 allowlist) and commenter URLs. Pure."""

from __future__ import annotations

import functools
import re
import unicodedata
from html import escape
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

# markdown-it stops parsing (silently drops the rest of the comment) once blocks nest
# deeper than its ``maxNesting``; it recurses per level, so the bound stays: 100 levels
# (about 50 nested lists) is far below Python's recursion limit. Comments that reach it
# are shown as plain text. Below it, lists and quotes deeper than MAX_BLOCK_DEPTH are
# unwrapped: their content is shown inside the deepest kept level, nothing is dropped.
PARSE_NESTING = 100
MAX_BLOCK_DEPTH = 8
_LEVEL_TOKENS = frozenset({"bullet_list", "ordered_list", "blockquote"})
_CONTAINER_TOKENS = _LEVEL_TOKENS | {"list_item"}


MARKDOWN_OPTIONS = {"breaks": True, "html": True}


@functools.cache
def _inline_parser() -> MarkdownIt:
    """The inline rules with markdown-it's own nesting bound: a higher one only makes
    hostile input such as 20,000 "[" slower (it never drops inline text)."""
    return MarkdownIt("commonmark", MARKDOWN_OPTIONS).disable("image")


def _parse_inline(state) -> None:
    """markdown-it's core rule "inline", run by the parser of ``_inline_parser``."""
    parser = _inline_parser()
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            parser.inline.parse(token.content, parser, state.env, token.children)


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with line breaks kept (as WordPress showed comments); raw HTML is parsed
    so that the allowlist below removes it (with its content, for script and the like).

    markdown-it-py renders a comment about five times faster than Python-Markdown, which
    matters with tens of thousands of comments. The parser holds no per-document state.
    Blocks may nest up to PARSE_NESTING levels; inline markup keeps the default bound.
    """
    parser = MarkdownIt("commonmark", {**MARKDOWN_OPTIONS, "maxNesting": PARSE_NESTING})
    parser.core.ruler.at("inline", _parse_inline)
    return parser.disable("image")


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


def _reached_limit(tokens) -> bool:
    """Whether markdown-it may have cut the text off at its nesting bound."""
    return any(token.level >= PARSE_NESTING - 1 for token in tokens)


def flatten_deep_blocks(tokens, max_depth: int = MAX_BLOCK_DEPTH) -> list:
    """The tokens without list and quote levels deeper than ``max_depth``; their content
    (as paragraphs) stays inside the deepest kept level, in order."""
    kept = []
    depth = 0
    for token in tokens:
        kind = token.type.rsplit("_", 1)[0]
        if kind not in _CONTAINER_TOKENS:
            if depth > max_depth and token.type in ("paragraph_open", "paragraph_close"):
                token.hidden = False  # an unwrapped tight list item keeps its own paragraph
            kept.append(token)
            continue
        if token.nesting == 1 and kind in _LEVEL_TOKENS:
            depth += 1
        if depth <= max_depth:
            kept.append(token)
        if token.nesting == -1 and kind in _LEVEL_TOKENS:
            depth -= 1
    return kept


def plain_text_html(text: str) -> str:
    """Text shown as it is: escaped paragraphs with line breaks (nothing interpreted)."""
    paragraphs = (block.strip("\n") for block in re.split(r"\n(?:[ \t]*\n)+", text))
    return "\n".join(
        "<p>" + "<br>\n".join(escape(line, quote=False) for line in block.split("\n")) + "</p>"
        for block in paragraphs
        if block.strip()
    )


def markdown_html(markdown_text: str) -> str:
    """Markdown -> HTML (not yet sanitised); never drops text for being nested too deep."""
    parser = markdown_parser()
    env: dict = {}
    tokens = parser.parse(markdown_text, env)
    if _reached_limit(tokens):
        return plain_text_html(markdown_text)
    return parser.renderer.render(flatten_deep_blocks(tokens), parser.options, env)


def markdown_to_safe_html(markdown_text: str) -> str:
    """Any comment through Markdown and the nh3 allowlist."""
    html = markdown_html(markdown_text)
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
