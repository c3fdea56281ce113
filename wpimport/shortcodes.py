"""WordPress shortcodes in raw post content: [caption], [embed], [gallery], [audio],
[video], and the rest. Pure.

``[caption]`` becomes a ``<figure>`` with its ``<figcaption>``, ``[embed]URL[/embed]`` a
link, ``[audio]``/``[video]`` an ``<audio>``/``<video>`` element with the file's URL, and
``[gallery]`` a placeholder element carrying its attributes (the converter fills it with
the attachment images); ``[[name]]`` is WordPress's escape for the literal text
``[name]``. Every other shortcode stays in the text, visible, and is returned so the
report can name it. Nothing inside ``<pre>`` or ``<code>`` is touched. The HTML made
here is an intermediate step for the converter, never written out as it is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

SHORTCODE = re.compile(
    r"\[(?P<open>\[?)"
    r"(?P<name>[A-Za-z][\w-]*)"
    r"(?![\w-])"
    r"(?P<attrs>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(?P<self>/)\]|\](?:(?P<content>[^\[]*(?:\[(?!/(?P=name)\])[^\[]*)*)\[/(?P=name)\])?)"
    r"(?P<close>\]?)",
    re.S,
)
_CODE_REGION = re.compile(r"<(pre|code)\b.*?</\1\s*>", re.S | re.I)
_ATTRIBUTE = re.compile(
    r'([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)'
    r"|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"
    r'|([\w-]+)\s*=\s*([^\s\'"]+)(?:\s|$)'
    r'|"([^"]*)"(?:\s|$)'
    r"|'([^']*)'(?:\s|$)"
    r"|(\S+)(?:\s|$)"
)
_IMAGE_PART = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_URL = re.compile(r"^https?://\S+$")
# Shortcodes WordPress and common plugins register; these are reported even without
# attributes. Any other [word] counts only with attributes, a closing tag or "/]",
# so "[sic]" or "[1]" in a text is not reported.
KNOWN = frozenset(
    {
        "audio",
        "video",
        "playlist",
        "gallery",
        "embed",
        "caption",
        "wp_caption",
        "code",
        "sourcecode",
        "contact-form",
        "contact-form-7",
        "youtube",
        "vimeo",
        "soundcloud",
        "googlemaps",
        "tweet",
        "twitter",
        "instagram",
        "slideshow",
        "ngg",
        "nggallery",
        "more",
    }
)


@dataclass(slots=True)
class Shortcodes:
    """The content with shortcodes replaced, and the names of those kept as text."""

    content: str
    kept: list[str] = field(default_factory=list)  # in order, one per occurrence


def parse_attributes(text: str) -> dict[str, str]:
    """WordPress's ``shortcode_parse_atts``: named values, positional ones as "0", "1", …"""
    text = text.replace("\u00a0", " ").replace("\u200b", " ")
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        if groups[0] is not None:
            found[groups[0].lower()] = groups[1]
        elif groups[2] is not None:
            found[groups[2].lower()] = groups[3]
        elif groups[4] is not None:
            found[groups[4].lower()] = groups[5]
        else:
            value = next(group for group in groups[6:] if group is not None)
            found[str(position)] = value
            position += 1
    return found


def _caption(attrs: dict[str, str], content: str) -> str | None:
    match = _IMAGE_PART.match(content)
    if match is None:
        return None
    image, text = match[1], match[2].strip()
    caption = attrs.get("caption", "").strip() or text
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


# The file attributes of [audio] and [video] (WordPress's wp_get_audio/video_extensions).
AUDIO_KEYS = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
VIDEO_KEYS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
GALLERY_KEYS = ("ids", "include", "exclude", "id", "link", "columns", "orderby", "order")
GALLERY_CLASS = "wp-gallery-shortcode"


def _attribute_text(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items())


def _media(name: str, attrs: dict[str, str], content: str) -> str | None:
    keys = AUDIO_KEYS if name == "audio" else VIDEO_KEYS
    source = next((attrs[key].strip() for key in keys if attrs.get(key, "").strip()), "")
    if not source and _URL.match(content.strip()):
        source = content.strip()
    if not source:
        return None
    extra = {"src": source}
    if name == "video" and attrs.get("poster", "").strip():
        extra["poster"] = attrs["poster"].strip()
    return f"\n\n<{name}{_attribute_text(extra)}></{name}>\n\n"


def _gallery(attrs: dict[str, str]) -> str:
    data = {f"data-{key}": attrs[key] for key in GALLERY_KEYS if key in attrs}
    return f'\n\n<figure class="{GALLERY_CLASS}"{_attribute_text(data)}></figure>\n\n'


def _embed(content: str) -> str | None:
    url = content.strip()
    if not _URL.match(url):
        return None
    escaped = html.escape(url)
    return f'\n\n<p><a href="{escaped}">{escaped}</a></p>\n\n'


def _reported(match: re.Match[str]) -> bool:
    name = match["name"].lower()
    return (
        name in KNOWN
        or "=" in match["attrs"]
        or match["self"] is not None
        or match["content"] is not None
    )


def _replace(text: str, kept: list[str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match["open"] and match["close"]:
            return match[0][1:-1]  # [[name]] is the escaped, literal [name]
        name = match["name"].lower()
        attrs = parse_attributes(match["attrs"])
        content = match["content"] or ""
        replaced = None
        if name in ("caption", "wp_caption"):
            replaced = _caption(attrs, content)
        elif name == "embed":
            replaced = _embed(content or attrs.get("url", "") or attrs.get("src", ""))
        elif name in ("audio", "video"):
            replaced = _media(name, attrs, content)
        elif name == "gallery":
            replaced = _gallery(attrs)
        if replaced is not None:
            return match["open"] + replaced + match["close"]
        if _reported(match):
            kept.append(name)
        return match[0]

    return SHORTCODE.sub(one, text)


def process(content: str) -> Shortcodes:
    """Replace [caption], [embed], [audio], [video] and [gallery]; keep every other
    shortcode (outside pre/code)."""
    if "[" not in content:
        return Shortcodes(content)
    kept: list[str] = []
    out: list[str] = []
    position = 0
    for match in _CODE_REGION.finditer(content):
        out.append(_replace(content[position : match.start()], kept))
        out.append(match[0])
        position = match.end()
    out.append(_replace(content[position:], kept))
    return Shortcodes("".join(out), kept)
