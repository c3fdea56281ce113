"""WordPress HTML to clean Markdown, for post bodies and for comments. Pure.

Posts: ``<!--more-->`` is cut out (the part before it can be the summary), shortcodes are
handled (:mod:`wpimport.shortcodes`), classic-editor content gets WordPress's automatic
paragraphs (:mod:`wpimport.autop`; block-editor content has its own ``<p>``), then the
HTML becomes Markdown for Python-Markdown with ``extra``: tables as Markdown tables (raw
HTML tables when cells span or hold blocks), ``<pre>`` as fenced code, images under
``wp-content/uploads`` pointed at ``{static}/images/…``. Embedded players (iframe, video)
become links, scripts are dropped: the site loads nothing from other hosts.

Comments: the HTML passes the nh3 allowlist of :mod:`rundbrief.sanitize` first, then the
same conversion with single newlines kept as lines (the comments plugin renders with
``breaks=True``); e-mail and IP addresses in the text are removed.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import nh3

from rundbrief.addresses import ADDRESS_IN_TEXT, IPV4_IN_TEXT
from rundbrief.sanitize import ALLOWED_TAGS, CONTENT_TAGS, URL_SCHEMES
from wpimport import shortcodes, snippets
from wpimport.autop import wpautop

BREAK = "\ue000"  # a hard line break while inline text is assembled
MORE = re.compile(r"<!--more(.*?)?-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK_EDITOR = "<!-- wp:"
EMAIL = ADDRESS_IN_TEXT  # the core's pattern: no address is ever published
IPV4 = IPV4_IN_TEXT
EMAIL_REMOVED = "(E-Mail-Adresse entfernt)"
IP_REMOVED = "(IP-Adresse entfernt)"
_URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_ONLY_URL = re.compile(r"^https?://[^\s<>\"']+$")
_AUTOLINK = re.compile(r"^(?:https?://|mailto:)[^\s<>\"']+$", re.I)

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2"}
    | {"h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol"}
    | {"p", "pre", "section", "summary", "table", "ul", "iframe", "video", "audio", "object"}
    | {"embed", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "noscript", "legend"}
)
_CLOSES_P = BLOCK - {"li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
DROPPED = frozenset(
    {"script", "style", "noscript", "template", "input", "button", "select"}
    | {"textarea", "head", "title", "meta", "link", "base", "svg", "math", "canvas"}
)
EMBEDDED = frozenset({"iframe", "video", "audio", "object", "embed"})
RAW_INLINE = frozenset({"sup", "sub", "del", "ins", "mark", "kbd", "abbr"})
_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#-]+)|brush:\s*([\w+#-]+)|lang:([\w+#-]+)")


class Node:
    """An element of the parsed fragment; children are Nodes and strings."""

    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent

    def text(self, *, skip: frozenset[str] = frozenset()) -> str:
        """All text below this node (without ``skip`` elements); <br> counts as a newline."""
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            elif node.tag == "br":
                parts.append("\n")
            elif node.tag not in DROPPED and node.tag not in skip:
                stack.extend(reversed(node.children))
        return "".join(parts)

    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]


class _TreeBuilder(HTMLParser):
    """A forgiving HTML fragment parser: implied end tags, stray end tags ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def _open_tags(self) -> list[str]:
        tags = []
        node = self.current
        while node is not None:
            tags.append(node.tag)
            node = node.parent
        return tags

    def _close(self, tag: str, *, boundary: frozenset[str] = frozenset()) -> bool:
        node = self.current
        while node is not None and node.tag != "#root":
            if node.tag == tag:
                self.current = node.parent or self.root
                return True
            if node.tag in boundary:
                return False
            node = node.parent
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P:
            self._close("p", boundary=frozenset(BLOCK - {"p"}))
        if tag == "li":
            self._close("li", boundary=frozenset({"ul", "ol", "table"}))
        elif tag in ("dt", "dd"):
            self._close("dt", boundary=frozenset({"dl"}))
            self._close("dd", boundary=frozenset({"dl"}))
        elif tag == "tr":
            self._close("tr", boundary=frozenset({"table", "thead", "tbody", "tfoot"}))
        elif tag in ("td", "th"):
            self._close("td", boundary=frozenset({"tr", "table"}))
            self._close("th", boundary=frozenset({"tr", "table"}))
        elif tag in ("thead", "tbody", "tfoot"):
            for section in ("thead", "tbody", "tfoot"):
                self._close(section, boundary=frozenset({"table"}))
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.current.tag == tag:
            self.current = self.current.parent or self.root

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            self.handle_starttag("br", [])
        elif tag in self._open_tags():
            self._close(tag)

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- escaping -------------------------------------------------------------------------

_INLINE_ESCAPES = re.compile(
    r"[\\`*\[\]]|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?$])|&(?=#?\w+;)|\{(?=[:#.])"
)
_LINE_START = re.compile(r"^(#|>|[-+](?=\s|$)|\d+(?=[.)](?:\s|$))|~~~|[=-]+\s*$|:(?=\s))")


def _escape_match(match: re.Match[str]) -> str:
    char = match[0]
    if char == "<":
        return "&lt;"
    if char == "&":
        return "&amp;"
    return "\\" + char


def escape_text(text: str) -> str:
    """Text that Markdown must show as it is (line starts are handled per line)."""
    return _INLINE_ESCAPES.sub(_escape_match, text)


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line
    marker = match[1]
    if marker[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    if marker.startswith("~"):
        return "&#126;" + line[1:]
    if marker[0] == "=":
        return "&#61;" + line[1:]
    if marker[0] == ":":
        return "&#58;" + line[1:]
    return "\\" + line


def _finish_inline(text: str, hard_break: str) -> str:
    """Collapse HTML white space, turn BREAK marks into line breaks, escape line starts."""
    text = re.sub(r"[ \t\n\r\f]+", " ", text)
    # Markdown has no empty line inside a paragraph: repeated breaks count once.
    lines = [line.strip(" ") for line in text.split(BREAK) if line.strip()]
    return hard_break.join(_escape_line_start(line) for line in lines)


def _code_span(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link_destination(url: str) -> str:
    return quote(url, safe="/:?#[]@!$&'*+,;=%~{}-._")


def _emphasis(inner: str, marker: str) -> str:
    """``*inner*`` with white space and line breaks moved outside the markers."""
    edge = " \t\n" + BREAK
    stripped = inner.strip(edge)
    if not stripped or (stripped.startswith(marker) and stripped.endswith(marker)):
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(edge))]
    trail = inner[len(inner.rstrip(edge)) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


# --- the converter --------------------------------------------------------------------


@dataclass(slots=True)
class Notes:
    """What the conversion met that the report should mention."""

    uploads: dict[str, str] = field(default_factory=dict)  # uploads path -> images path
    external_images: list[str] = field(default_factory=list)
    embedded: list[str] = field(default_factory=list)  # iframe/video sources made links
    dropped: list[str] = field(default_factory=list)  # tag names removed with content
    shortcodes: list[str] = field(default_factory=list)
    removed_addresses: int = 0
    empty_galleries: int = 0
    forms: int = 0  # forms whose fields were removed, their text kept
    dynamic_blocks: list[str] = field(default_factory=list)  # rendered by WordPress only


UrlMap = Callable[[str], tuple[str, str | None]]
"""url -> (url to write, uploads path or None); see :class:`wpimport.plan.Site`."""


@dataclass(frozen=True, slots=True)
class GalleryImage:
    """One image of a gallery, with the URLs as the export has them."""

    url: str
    alt: str = ""
    caption: str = ""
    href: str = ""  # where the image linked to ("" : to the image file itself)


GallerySource = Callable[[dict[str, str]], list[GalleryImage]]
"""The attributes of a ``[gallery]`` shortcode -> its images (the post's attachments)."""

GALLERY_COLUMNS = 3  # WordPress's default
_COLUMNS = re.compile(r"(?:^|\s)(?:gallery-)?columns-(\d)(?:\s|$)")
_GALLERY_ITEMS = frozenset({"li", "figure", "dl"})


def _identity(url: str) -> tuple[str, str | None]:
    return url, None


class MarkdownWriter:
    """One conversion: a parsed fragment to Markdown blocks."""

    def __init__(
        self,
        *,
        comment: bool,
        url_map: UrlMap | None,
        notes: Notes,
        gallery: GallerySource | None = None,
        footnotes: list[tuple[str, str]] = (),
    ) -> None:
        self.comment = comment
        # The footnotes block keeps its notes in the post's meta: id -> (number, HTML)
        self.footnotes = {key: (number, text) for number, (key, text) in enumerate(footnotes, 1)}
        self.hard_break = "\n" if comment else "  \n"
        self.url_map = url_map or _identity
        self.notes = notes
        self.gallery_source = gallery
        self._in_link = 0

    # blocks

    def document(self, root: Node) -> str:
        blocks = self.blocks(root, nested=False)
        for number, text in self.footnotes.values():  # Markdown's footnotes ("extra")
            note = _finish_inline(self.inline_children(parse_html(text)), " ")
            if note:
                blocks.append(f"[^{number}]: {note}")
        return "\n\n".join(blocks).strip("\n") + "\n" if blocks else ""

    def blocks(self, node: Node, *, nested: bool) -> list[str]:
        out: list[str] = []
        inline: list[str] = []

        def flush() -> None:
            if inline:
                paragraph = self.paragraph("".join(inline))
                inline.clear()
                if paragraph:
                    out.append(paragraph)

        for child in node.children:
            if isinstance(child, str):
                inline.append(self.text(child))
            elif child.tag in DROPPED:
                self.notes.dropped.append(child.tag)
            elif child.tag in BLOCK or self._holds_block(child):
                flush()
                out.extend(self.block(child, nested=nested))
            else:
                inline.append(self.inline(child))
        flush()
        return out

    def _holds_block(self, node: Node) -> bool:
        stack = list(node.elements())
        while stack:
            child = stack.pop()
            if child.tag in BLOCK:
                return True
            stack.extend(child.elements())
        return False

    def paragraph(self, raw: str) -> str:
        text = _finish_inline(raw, self.hard_break)
        plain = text.replace("\\_", "_")
        if _ONLY_URL.match(plain) and "\\" not in plain:
            return f"<{plain}>"
        return text

    def block(self, node: Node, *, nested: bool) -> list[str]:
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _finish_inline(self.inline_children(node), " ")
            text = text.replace(self.hard_break, " ")
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag in ("ul", "ol", "menu"):
            return self.list_block(node)
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node, nested=True))
            if not inner.strip():
                return []
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "pre":
            return self.code_block(node, nested=nested)
        if tag == "hr":
            return ["* * *"]
        if tag == "table":
            return self.table(node)
        if tag in ("figure", "div") and _is_gallery(node):
            return self.gallery(node, nested=nested)
        if tag == "figure":
            return self.figure(node, nested=nested)
        if tag == "dl":
            return self.definition_list(node)
        if tag in EMBEDDED:
            return self.embedded(node)
        if tag == "form":  # cannot work on a static site: its labels and texts stay
            self.notes.forms += 1
        return self.blocks(node, nested=nested)

    def list_block(self, node: Node) -> list[str]:
        ordered = node.tag == "ol"
        try:
            number = int(node.attrs.get("start", "1")) if ordered else 1
        except ValueError:
            number = 1
        items: list[list[str]] = []
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    items.append([self.paragraph(self.text(child))])
                continue
            content = self.blocks(child if child.tag == "li" else _wrap(child), nested=True)
            if content:
                items.append(content)
        if not items:
            return []
        loose = any(len([b for b in blocks if not _is_list(b)]) > 1 for blocks in items)
        rendered = []
        for blocks in items:
            marker = f"{number}. " if ordered else "- "
            number += 1
            text = blocks[0]
            for previous, block in itertools.pairwise(blocks):
                joiner = "\n" if _is_list(block) and not _is_list(previous) else "\n\n"
                text += joiner + block
            lines = text.split("\n")
            body = [marker + lines[0]] + [("    " + line) if line else "" for line in lines[1:]]
            rendered.append("\n".join(body))
        return ["\n\n".join(rendered) if loose else "\n".join(rendered)]

    def definition_list(self, node: Node) -> list[str]:
        if self.comment:
            return self.blocks(node, nested=True)
        lines: list[str] = []
        for child in node.elements():
            text = _finish_inline(self.inline_children(child), " ")
            if not text:
                continue
            if child.tag == "dt":
                if lines:
                    lines.append("")
                lines.append(text)
            elif child.tag == "dd":
                lines.append(":   " + text)
        return ["\n".join(lines)] if lines else []

    def code_block(self, node: Node, *, nested: bool) -> list[str]:
        code = node.text()
        if code.startswith("\n"):
            code = code[1:]
        code = code.rstrip()
        if not code.strip():
            return []
        language = ""
        for candidate in (node, *node.elements()):
            match = _LANGUAGE.search(candidate.attrs.get("class", ""))
            if match:
                language = next(group for group in match.groups() if group)
                break
        if nested:
            return ["\n".join("    " + line if line else "" for line in code.split("\n"))]
        longest = max((len(run) for run in re.findall(r"^`{3,}", code, re.M)), default=2)
        fence = "`" * max(3, longest + 1)
        return [f"{fence}{language}\n{code}\n{fence}"]

    def figure(self, node: Node, *, nested: bool) -> list[str]:
        caption_nodes = [child for child in node.elements() if child.tag == "figcaption"]
        body = Node("div", {}, None)
        body.children = [child for child in node.children if child not in caption_nodes]
        blocks = self.blocks(body, nested=nested)
        if not caption_nodes:
            return blocks
        caption = _finish_inline(self.inline_children(caption_nodes[0]), " ")
        caption = caption.replace(self.hard_break, " ")
        if not caption:
            return blocks
        caption = _caption_emphasis(caption)
        if blocks and blocks[-1].startswith(("![", "[![")) and "\n" not in blocks[-1]:
            blocks[-1] += self.hard_break + caption
        else:
            blocks.append(caption)
        return blocks

    # galleries

    def gallery(self, node: Node, *, nested: bool) -> list[str]:
        """A [gallery] shortcode, a gallery block or a classic gallery: a grid of figures."""
        if self.comment:
            return []
        classes = node.attrs.get("class", "")
        caption = ""
        if shortcodes.GALLERY_CLASS in classes.split():
            attrs = {
                name.removeprefix("data-"): value
                for name, value in node.attrs.items()
                if name.startswith("data-")
            }
            images = self.gallery_source(attrs) if self.gallery_source else []
            if attrs.get("link", "").strip() == "none":
                images = [GalleryImage(i.url, i.alt, i.caption, "#none") for i in images]
            columns = attrs.get("columns", "")
        else:
            images = _html_gallery(node)
            if not images:  # only the class name of a gallery: an ordinary block
                return (
                    self.figure(node, nested=nested)
                    if node.tag == "figure"
                    else (self.blocks(node, nested=nested))
                )
            captions = [child for child in node.elements() if child.tag == "figcaption"]
            caption = _plain(captions[0].text()) if captions else ""
            match = _COLUMNS.search(classes)
            columns = match[1] if match else ""
        if not images:
            self.notes.empty_galleries += 1
            return [escape_text(caption)] if caption else []
        try:
            count = max(1, min(9, int(columns)))
        except ValueError:
            count = GALLERY_COLUMNS
        shown = [self._gallery_image(image) for image in images]
        if nested:  # raw HTML cannot stand in a list item: one image per line
            lines = [
                f"![{escape_text(image['alt'])}]({_link_destination(image['src'])})"
                if image["local"]
                else f"[Bild: {escape_text(image['alt'] or image['src'])}]"
                f"({_link_destination(image['src'])})"
                for image in shown
            ]
            return ["  \n".join(lines)]
        return [snippets.render("gallery.html", images=shown, columns=count, caption=caption)]

    def _gallery_image(self, image: GalleryImage) -> dict:
        src, uploads = self.url_map(image.url)
        self._note_image(image.url, src, uploads, image=True)
        href = ""
        if image.href != "#none":
            href_url, href_uploads = self.url_map(image.href) if image.href else (src, uploads)
            self._note_image(image.href, href_url, href_uploads)
            # An attachment page of the old blog is gone: the image file takes its place.
            href = href_url if href_uploads is not None or not image.href else src
        return {
            "local": uploads is not None,
            "src": src,
            "href": href if uploads is not None else "",
            "alt": _plain(image.alt),
            "caption": _plain(image.caption),
        }

    def embedded(self, node: Node) -> list[str]:
        source = node.attrs.get("src") or node.attrs.get("data", "")
        if not source:
            for child in node.elements():
                if child.tag == "source" and child.attrs.get("src"):
                    source = child.attrs["src"]
                    break
        if not source or self.comment:
            return []
        if source.startswith("//"):
            source = "https:" + source
        if node.tag in ("audio", "video"):
            url, uploads = self.url_map(source)
            if uploads is not None:  # the blog's own file: a player for the copied file
                self._note_image(source, url, uploads)
                poster = ""
                if node.tag == "video" and node.attrs.get("poster", "").strip():
                    poster_url, poster_uploads = self.url_map(node.attrs["poster"].strip())
                    if poster_uploads is not None:
                        self._note_image(node.attrs["poster"], poster_url, poster_uploads)
                        poster = poster_url
                name = uploads.rsplit("/", 1)[-1]
                return [
                    snippets.render("media.html", tag=node.tag, src=url, poster=poster, name=name)
                ]
        self.notes.embedded.append(source)
        url, _ = self.url_map(source)
        host = urlsplit(source).hostname or source
        label = {"video": "Video", "audio": "Audio"}.get(node.tag, "Eingebetteter Inhalt")
        return [f"[{escape_text(label)} ({escape_text(host)})]({_link_destination(url)})"]

    # tables

    def table(self, node: Node) -> list[str]:
        if self.comment:
            return self.blocks(node, nested=True)
        rows = _rows(node)
        if not rows:
            return []
        markdown = self.markdown_table(rows)
        return [markdown if markdown is not None else self.html_table(node)]

    def markdown_table(self, rows: list[list[Node]]) -> str | None:
        header = rows[0]
        in_head = header[0].parent is not None and header[0].parent.parent is not None
        in_head = in_head and header[0].parent.parent.tag == "thead"
        if not (in_head or all(cell.tag == "th" for cell in header)):
            return None
        width = len(header)
        cells_text: list[list[str]] = []
        for row in rows:
            if len(row) > width:
                return None
            texts = []
            for cell in row:
                if cell.attrs.get("colspan", "1") not in ("", "1"):
                    return None
                if cell.attrs.get("rowspan", "1") not in ("", "1"):
                    return None
                if self._holds_block_other_than_p(cell):
                    return None
                text = _finish_inline(self.inline_children(cell, paragraphs=True), "<br>")
                texts.append(text.replace("|", "\\|") or " ")
            texts += [" "] * (width - len(texts))
            cells_text.append(texts)
        alignments = [_alignment(cell) for cell in header]
        separator = [_SEPARATORS[alignment] for alignment in alignments]
        lines = ["| " + " | ".join(cells_text[0]) + " |", "| " + " | ".join(separator) + " |"]
        lines += ["| " + " | ".join(texts) + " |" for texts in cells_text[1:]]
        return "\n".join(lines)

    def _holds_block_other_than_p(self, cell: Node) -> bool:
        paragraphs = 0
        stack = list(cell.elements())
        while stack:
            child = stack.pop()
            if child.tag == "p":
                paragraphs += 1
            elif child.tag in BLOCK:
                return True
            stack.extend(child.elements())
        return paragraphs > 1

    def html_table(self, node: Node) -> str:
        """A table Markdown cannot hold, as plain HTML (structure only, links kept)."""
        return _serialize(node, self._html_url)

    def _html_url(self, url: str) -> str:
        mapped, uploads = self.url_map(url)
        self._note_image(url, mapped, uploads)
        return mapped

    # inline

    def text(self, value: str) -> str:
        if not self.comment:
            return escape_text(value)
        value = self._redact(value)
        return escape_text(value) if self._in_link else _autolink_text(value)

    def _redact(self, value: str) -> str:
        def ip(match: re.Match[str]) -> str:
            try:
                ipaddress.ip_address(match[0])
            except ValueError:
                return match[0]
            self.notes.removed_addresses += 1
            return IP_REMOVED

        def email(match: re.Match[str]) -> str:
            self.notes.removed_addresses += 1
            return EMAIL_REMOVED

        return IPV4.sub(ip, EMAIL.sub(email, value))

    def inline_children(self, node: Node, *, paragraphs: bool = False) -> str:
        """Inline Markdown of the children; with ``paragraphs``, a <p> is a line of its own."""
        parts: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(self.text(child))
            elif paragraphs and child.tag == "p":
                parts.append(f"{BREAK}{self.inline_children(child)}{BREAK}")
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def inline(self, node: Node) -> str:
        tag = node.tag
        if tag == "br":
            return BREAK
        if tag in DROPPED:
            self.notes.dropped.append(tag)
            return ""
        if tag in ("em", "i", "cite", "dfn", "var"):
            return _emphasis(self.inline_children(node), "*")
        if tag in ("strong", "b"):
            return _emphasis(self.inline_children(node), "**")
        if tag in ("code", "tt", "samp"):
            return _code_span(node.text())
        if tag == "a":
            return self.link(node)
        if tag == "img":
            return self.image(node)
        if tag == "q":
            return "„" + self.inline_children(node) + "“"
        if tag in ("s", "strike"):
            tag = "del"
        if tag == "sup" and node.attrs.get("data-fn") in self.footnotes:
            return f"[^{self.footnotes[node.attrs['data-fn']][0]}]"
        if tag in RAW_INLINE and not self.comment:
            inner = self.inline_children(node)
            title = node.attrs.get("title", "") if tag == "abbr" else ""
            opening = f'<abbr title="{escape(title)}">' if title else f"<{tag}>"
            return f"{opening}{inner}</{tag}>" if inner.strip() else inner
        if tag in EMBEDDED:
            return BREAK + "".join(self.embedded(node)) + BREAK
        return self.inline_children(node)

    def link(self, node: Node) -> str:
        classes = node.attrs.get("class", "").split()
        if "wp-block-file__button" in classes:  # a button next to the file's link
            return " " + self._link(node)
        return self._link(node)

    def _link(self, node: Node) -> str:
        href = node.attrs.get("href", "").strip()
        self._in_link += 1
        try:
            inner = self.inline_children(node).replace(BREAK, " ").strip(" ")
        finally:
            self._in_link -= 1
        if self.comment and href.lower().startswith("mailto:"):
            self.notes.removed_addresses += 1
            return inner or EMAIL_REMOVED
        if not href or href.lower().startswith(("javascript:", "vbscript:", "data:")):
            return inner
        url, uploads = self.url_map(href)
        self._note_image(href, url, uploads)
        plain = node.text().strip()
        if plain == href == url and _AUTOLINK.match(url) and "![" not in inner:
            return f"<{url}>"
        if not inner:
            if not plain and not _AUTOLINK.match(url):
                return ""
            inner = escape_text(plain or href)
        title = node.attrs.get("title", "").strip()
        title_part = f' "{_title(title)}"' if title else ""
        return f"[{inner}]({_link_destination(url)}{title_part})"

    def image(self, node: Node) -> str:
        source = node.attrs.get("src", "").strip()
        if not source or self.comment:
            return ""
        if source.startswith("data:"):
            self.notes.dropped.append("img (data:)")
            return ""
        url, uploads = self.url_map(source)
        self._note_image(source, url, uploads, image=True)
        alt = escape_text(re.sub(r"\s+", " ", node.attrs.get("alt", "")).strip())
        title = node.attrs.get("title", "").strip()
        title_part = f' "{_title(title)}"' if title else ""
        if uploads is None and re.match(r"^(https?:)?//", source, re.I):
            # The site loads nothing from other hosts: the image becomes a link to it, or
            # inside a link the link's text (a link cannot hold a link).
            if self._in_link:
                return f"Bild: {alt or escape_text(source)}"
            return f"[Bild: {alt or escape_text(source)}]({_link_destination(url)}{title_part})"
        return f"![{alt}]({_link_destination(url)}{title_part})"

    def _note_image(self, original: str, url: str, uploads: str | None, *, image=False) -> None:
        if uploads is not None:
            self.notes.uploads[uploads] = url
        elif image and re.match(r"^(https?:)?//", original, re.I):
            self.notes.external_images.append(original)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _is_gallery(node: Node) -> bool:
    classes = node.attrs.get("class", "").split()
    return bool({"gallery", "wp-block-gallery", shortcodes.GALLERY_CLASS} & set(classes))


def _html_gallery(root: Node) -> list[GalleryImage]:
    """The images of a gallery block (old and new markup) or a classic gallery, in order,
    each with its link and the caption of its item (li, figure or dl)."""
    found: list[GalleryImage] = []

    def caption_of(container: Node | None) -> str:
        if container is None:
            return ""
        stack = list(reversed(container.elements()))
        while stack:
            child = stack.pop()
            if child.tag in ("figcaption", "dd"):
                return child.text()
            if child.tag not in _GALLERY_ITEMS:
                stack.extend(reversed(child.elements()))
        return ""

    def visit(node: Node, link: str, container: Node | None) -> None:
        """``link``: the href of the enclosing <a>, "#none" outside one (no link, as shown)."""
        for child in node.elements():
            if child.tag == "figcaption" and node is root:
                continue  # the caption of the whole gallery
            if child.tag == "img" and child.attrs.get("src", "").strip():
                found.append(
                    GalleryImage(
                        child.attrs["src"].strip(),
                        child.attrs.get("alt", ""),
                        caption_of(container),
                        link,
                    )
                )
            elif child.tag == "a":
                visit(child, child.attrs.get("href", "").strip(), container)
            else:
                visit(child, link, child if child.tag in _GALLERY_ITEMS else container)

    visit(root, "#none", None)
    return found


def _caption_emphasis(caption: str) -> str:
    """The caption in italics, with a marker that does not clash with its own emphasis."""
    own = caption.replace("\\*", "").replace("\\_", "")
    if "*" not in own:
        return f"*{caption}*"
    if "_" not in own:
        return f"_{caption}_"
    return caption


def _wrap(node: Node) -> Node:
    wrapper = Node("div", {}, None)
    wrapper.children = [node]
    return wrapper


def _is_list(block: str) -> bool:
    return bool(re.match(r"^(- |\d+\. )", block))


def _title(title: str) -> str:
    return re.sub(r"\s+", " ", title).replace('"', "&quot;")


def _autolink_text(text: str) -> str:
    """Comment text: bare URLs become <autolinks> (WordPress made them clickable)."""
    out: list[str] = []
    position = 0
    for match in _URL_IN_TEXT.finditer(text):
        out.append(escape_text(text[position : match.start()]))
        out.append(f"<{match[0]}>")
        position = match.end()
    out.append(escape_text(text[position:]))
    return "".join(out)


def _rows(table: Node) -> list[list[Node]]:
    """The cells of each row, in document order (nested tables are not rows here)."""
    rows: list[list[Node]] = []
    for child in table.elements():
        if child.tag in ("thead", "tbody", "tfoot"):
            rows += _rows(child)
        elif child.tag == "tr":
            cells = [cell for cell in child.elements() if cell.tag in ("td", "th")]
            if cells:
                rows.append(cells)
    return rows


def _alignment(cell: Node) -> str:
    align = cell.attrs.get("align", "").lower()
    match = re.search(r"text-align:\s*(left|center|right)", cell.attrs.get("style", ""), re.I)
    if match:
        align = match[1].lower()
    return align if align in ("left", "center", "right") else ""


_SEPARATORS = {"": "---", "left": ":--", "center": ":-:", "right": "--:"}
_TABLE_TAGS = frozenset(
    {"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "colgroup", "col"}
    | {"a", "img", "em", "strong", "i", "b", "code", "br", "p", "ul", "ol", "li", "sup", "sub"}
)
_TABLE_STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
_TABLE_ATTRS = {
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan", "scope"),
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "col": ("span",),
}


def _serialize(node: Node, url: Callable[[str], str]) -> str:
    """HTML of a table: known tags with few attributes; the rest as its text."""
    parts: list[str] = []

    def visit(current: Node | str, parent: str) -> None:
        if isinstance(current, str):
            if parent not in _TABLE_STRUCTURE or current.strip():
                parts.append(escape(re.sub(r"\s+", " ", current), quote=False))
            return
        if current.tag in DROPPED:
            return
        keep = current.tag in _TABLE_TAGS
        if keep:
            parts.append(f"<{current.tag}{_attributes(current, url)}>")
        for child in current.children:
            visit(child, current.tag if keep else parent)
        if keep and current.tag not in VOID:
            parts.append(f"</{current.tag}>")
        if current.tag in ("tr", "caption", "thead", "tbody", "tfoot", "table"):
            parts.append("\n")

    visit(node, "")
    return re.sub(r"\n+", "\n", "".join(parts)).strip()


def _attributes(node: Node, url: Callable[[str], str]) -> str:
    attrs = ""
    for name in _TABLE_ATTRS.get(node.tag, ()):
        value = node.attrs.get(name)
        if value is None:
            continue
        if name in ("href", "src"):
            if value.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
                continue
            value = url(value.strip())
        attrs += f' {name}="{escape(value)}"'
    return attrs


# --- entry points ---------------------------------------------------------------------

_NOT_SUMMARY = frozenset({"figcaption", "pre", "table"})


@dataclass(slots=True)
class Converted:
    markdown: str
    teaser: str  # plain text of the part before <!--more-->, "" without one
    notes: Notes


def plain_text(html: str) -> str:
    """Text of an HTML fragment for a summary: no captions, white space collapsed."""
    text = parse_html(shortcodes.process(html).content).text(skip=_NOT_SUMMARY)
    return re.sub(r"\s+", " ", text).strip()


# Blocks WordPress renders from the database when a page is shown (latest posts, search,
# navigation …): the export holds only their comment, so there is nothing to convert.
_DYNAMIC_BLOCK = re.compile(r"<!--\s*wp:([a-z0-9/-]+)(?:\s+\{.*?\})?\s*/-->", re.S)
_EMPTY_ON_PURPOSE = frozenset({"footnotes", "spacer", "separator", "more", "nextpage"})


def _prepare(content: str, notes: Notes) -> str:
    """Raw post content -> HTML: shortcodes, then autop unless the block editor wrote it."""
    block_editor = _BLOCK_EDITOR in content
    if block_editor:
        notes.dynamic_blocks += [
            name
            for name in _DYNAMIC_BLOCK.findall(content)
            if name.removeprefix("core/") not in _EMPTY_ON_PURPOSE
        ]
    processed = shortcodes.process(_COMMENT.sub("", content))
    notes.shortcodes += processed.kept
    return processed.content if block_editor else wpautop(processed.content)


def convert_post(
    content: str,
    url_map: UrlMap | None = None,
    gallery: GallerySource | None = None,
    footnotes: list[tuple[str, str]] = (),
) -> Converted:
    """The body of a post or page (raw WordPress content) -> Markdown.

    ``gallery`` gives the images of a ``[gallery]`` shortcode (the post's attachments);
    ``footnotes`` the (id, HTML) notes of a footnotes block (the post's ``footnotes`` meta).
    """
    notes = Notes()
    more = MORE.search(content)
    teaser = ""
    if more is not None:
        teaser = plain_text(_COMMENT.sub("", content[: more.start()]))
        content = content[: more.start()] + "\n\n" + content[more.end() :]
    html = _prepare(content.replace("\r\n", "\n").replace("\r", "\n"), notes)
    writer = MarkdownWriter(
        comment=False, url_map=url_map, notes=notes, gallery=gallery, footnotes=footnotes
    )
    return Converted(writer.document(parse_html(html)), teaser, notes)


def sanitize_comment(html: str) -> str:
    """The comment allowlist of the comments plugin (scripts go with their content)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )


def convert_comment(html: str) -> tuple[str, Notes]:
    """A comment's HTML -> Markdown for the comments plugin (single newlines kept)."""
    notes = Notes()
    cleaned = sanitize_comment(html.replace("\r\n", "\n").replace("\r", "\n"))
    writer = MarkdownWriter(comment=True, url_map=None, notes=notes)
    return writer.document(parse_html(wpautop(cleaned))), notes
