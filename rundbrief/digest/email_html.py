"""The HTML e-mail: CSS inlined for webmailers (GMX, WEB.DE ignore <style>), kept under
Gmail's clipping limit by showing fewer articles when needed. Pure."""

from __future__ import annotations

from collections.abc import Callable

import css_inline

GMAIL_CLIP_BYTES = 102 * 1024
# Stay clearly below the limit: mail clients add a few bytes (headers inside the HTML part).
SIZE_BUDGET = GMAIL_CLIP_BYTES - 4 * 1024


class DigestTooLarge(ValueError):
    """Even a single article does not fit under Gmail's clipping limit."""


def inline_css(html: str) -> str:
    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
    return inliner.inline(html)


def fit_email(render: Callable[[int], str], total: int, max_items: int) -> tuple[str, int]:
    """Render with at most ``max_items`` articles, fewer if the HTML would be clipped.

    ``render(n)`` returns the e-mail HTML with the first ``n`` articles (and a link to the
    rest). Returns the inlined HTML and ``n``.
    """
    shown = min(total, max_items)
    while shown >= 1:
        html = inline_css(render(shown))
        if len(html.encode("utf-8")) <= SIZE_BUDGET:
            return html, shown
        shown = shown - 1 if shown <= 4 else shown * 3 // 4
    raise DigestTooLarge(
        "Schon ein einziger Artikel macht die E-Mail größer als Gmails Grenze von 102 KB."
    )
