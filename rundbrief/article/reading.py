"""Reading time, the newsletter box and the table of contents of an article's HTML. Pure."""

from __future__ import annotations

import math
import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from rundbrief.text import strip_tags

_WORD = re.compile(r"\w+", re.UNICODE)
_BOX = re.compile(
    r'<aside class="newsletter-box">(?P<inner>.*?)</aside>\s*', re.DOTALL | re.IGNORECASE
)


def word_count(html: str) -> int:
    return len(_WORD.findall(strip_tags(html, collapse=False)))


def reading_minutes(html: str, words_per_minute: int = 200) -> int:
    """Whole minutes, at least 1."""
    return max(1, math.ceil(word_count(html) / words_per_minute))


def split_newsletter_box(html: str) -> tuple[str, str | None]:
    """Take the author's `<aside class="newsletter-box">` (the P.S.) out of the body.

    Returns the body without it and the box's inner HTML (None when there is none); the
    theme renders the box together with the sign-up form.
    """
    match = _BOX.search(html)
    if not match:
        return html, None
    return html[: match.start()] + html[match.end() :], match["inner"].strip()


_TOC = re.compile(
    r'<div class="toc">\s*<span class="toctitle">(?P<title>.*?)</span>(?P<list>.*?)</div>',
    re.DOTALL,
)


def toc_as_nav(html: str) -> str:
    """Markdown's `[TOC]` block as a labelled navigation landmark."""

    def replace(match: re.Match) -> str:
        return (
            '<nav class="toc" aria-labelledby="toc-titel">'
            f'<h2 id="toc-titel" class="toctitle">{match["title"]}</h2>{match["list"]}</nav>'
        )

    return _TOC.sub(replace, html, count=1)


class _TocNavPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return toc_as_nav(text)


class TocNav(Extension):
    """Python-Markdown extension (``rundbrief.article.reading:TocNav`` in MARKDOWN's
    ``extension_configs``): the ``[TOC]`` block becomes the navigation landmark of
    ``toc_as_nav`` as the Markdown is rendered. So the HTML Pelican keeps in its content
    cache is the HTML the page shows, one string instead of two per article."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_TocNavPostprocessor(md), "rundbrief_toc_nav", 1)
