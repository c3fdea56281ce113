"""WordPress's automatic paragraphs (``wpautop``), ported from wp-includes/formatting.php. Pure.

Blank lines in the raw content become ``<p>`` paragraphs, single newlines ``<br />``;
block-level tags and ``<pre>`` are left alone. The regular expressions are ASCII-only,
as PHP's are, so a no-break space never counts as white space.
"""

from __future__ import annotations

import re

ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_A = re.ASCII
_NEWLINE_MARK = " <!-- wpnl --> "
_PRESERVE = "<WPPreserveNewline />"

_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", _A)
_BLOCK_OPEN = re.compile(r"(<" + ALLBLOCKS + r"[\s/>])", _A)
_BLOCK_CLOSE = re.compile(r"(</" + ALLBLOCKS + r">)", _A)
_HR = re.compile(r"(<hr\s*?/?>)", _A)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_MANY_NEWLINES = re.compile(r"\n\n+")
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n", _A)
_EMPTY_P = re.compile(r"<p>\s*</p>", _A)
_P_IN_DIV = re.compile(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK = re.compile(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", _A)
_P_AROUND_LI = re.compile(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE = re.compile(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK = re.compile(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)", _A)
_P_AFTER_BLOCK = re.compile(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", _A)
_RAW_NEWLINES = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
_NEWLINE_TO_BR = re.compile(r"(?<!<br />)\s*\n", _A)
_BR_AFTER_BLOCK = re.compile(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*<br />", _A)
_BR_BEFORE_BLOCK = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", _A)


def _protect_pre(text: str) -> tuple[str, dict[str, str]]:
    """Replace every ``<pre>…</pre>`` with a placeholder autop leaves alone."""
    pre_tags: dict[str, str] = {}
    if "<pre" not in text:
        return text, pre_tags
    parts = text.split("</pre>")
    last = parts.pop()
    out: list[str] = []
    for part in parts:
        start = part.find("<pre")
        if start == -1:
            out.append(part + "</pre>")
            continue
        name = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
        pre_tags[name] = part[start:] + "</pre>"
        out.append(part[:start] + name)
    return "".join(out) + last, pre_tags


def _collapse_special(text: str) -> str:
    """Newlines around <option>, <param>, <source> and <figcaption> are not paragraphs."""
    text = re.sub(r"\s*<option", "<option", text, flags=_A)
    text = re.sub(r"</option>\s*", "</option>", text, flags=_A)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text, flags=_A)
        text = re.sub(r"\s*</object>", "</object>", text, flags=_A)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text, flags=_A)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text, flags=_A)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text, flags=_A)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text, flags=_A)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text, flags=_A)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text, flags=_A)
    return text


def wpautop(text: str, *, br: bool = True) -> str:
    """Paragraphs from blank lines and, with ``br``, line breaks from single newlines."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    text, pre_tags = _protect_pre(text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = _TAG_OR_COMMENT.sub(lambda match: match[0].replace("\n", _NEWLINE_MARK), text)
    text = _collapse_special(text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    paragraphs = [part for part in _PARAGRAPH_SPLIT.split(text) if part]
    text = "".join("<p>" + part.strip("\n") + "</p>\n" for part in paragraphs)
    text = _EMPTY_P.sub("", text)
    text = _P_IN_DIV.sub(r"<p>\1</p></\2>", text)
    text = _P_AROUND_BLOCK.sub(r"\1", text)
    text = _P_AROUND_LI.sub(r"\1", text)
    text = _P_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK.sub(r"\1", text)
    text = _P_AFTER_BLOCK.sub(r"\1", text)
    if br:
        text = _RAW_NEWLINES.sub(lambda match: match[0].replace("\n", _PRESERVE), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace(_PRESERVE, "\n")
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    if text.endswith("\n</p>"):
        text = text[: -len("\n</p>")] + "</p>"
    for name, original in pre_tags.items():
        text = text.replace(name, original)
    return text.replace(_NEWLINE_MARK, "\n").replace(_NEWLINE_MARK.strip(), "\n")
