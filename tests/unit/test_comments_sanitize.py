"""The comment sanitiser against XSS vectors (OWASP filter-evasion cheat sheet) and URLs."""

from __future__ import annotations

import random
import re

import pytest
from bs4 import BeautifulSoup

from rundbrief.sanitize import (
    MAX_BLOCK_DEPTH,
    flatten_deep_blocks,
    markdown_parser,
    markdown_to_safe_html,
    plain_prose_html,
    plain_text_html,
    render_comment_body,
    safe_url,
)

ALLOWED = {"p", "br", "a", "em", "strong", "i", "b", "code", "pre", "blockquote", "ul", "ol", "li"}
PARSER_WRAPPERS = {"html", "head", "body"}  # added by lxml around a fragment
REL = "nofollow ugc noopener"

XSS = [
    # script tags in many spellings
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<script/xss src="http://xss.rocks/xss.js"></script>',
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<script>alert(1)",
    "</script><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<script\x00>alert(1)</script>",
    "Text\n\n<script>\nalert(1)\n</script>\n\nmehr Text",
    # images and event handlers
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<BODY ONLOAD=alert('XSS')>",
    "<b onmouseover=alert(1)>fett</b>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    # javascript: URLs, plain, mixed case, entity-encoded, split by whitespace
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    # other dangerous schemes
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/relativ">x</a>',
    # allowed tag, forbidden attributes
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org/" onmouseover=alert(1)>x</a>',
    '<a href="https://example.org" style="color:red" target="_blank" id="x" class="y" '
    'rel="opener" title="t" lang="en">x</a>',
    '<p title="t" lang="en" dir="rtl">x</p>',
    '<a href="http://example.org/" xlink:href="javascript:alert(1)">x</a>',
    '<a href="mailto:leser@example.org" onclick=alert(1)>x</a>',
    '<blockquote cite="javascript:alert(1)" style="x">x</blockquote>',
    '<p style="background-image:url(javascript:alert(1))">x</p>',
    "<div style=\"width: expression(alert('XSS'));\">x</div>",
    # svg, math, frames, objects, forms
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    # style, base, meta, link
    "<style>@import 'http://xss.rocks/xss.css';</style>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</LI>",
    "<base href=\"javascript:alert('XSS');//\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    # comments and CDATA
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # Markdown links
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    '[x](https://example.org "titel" onclick=alert(1))',
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html;base64,PHNjcmlwdD4=",
]

# Vectors whose payload lives inside a content tag: its text must not be shown either.
CONTENT_GONE = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "Text\n\n<script>\nalert(1)\n</script>\n\nmehr Text",
    "<svg><script>alert(1)</script></svg>",
    '<iframe srcdoc="<script>alert(1)</script>">alert(1)</iframe>',
    "<style>body { background: url(alert1) }</style>",
    "<template><b>alert(1)</b></template>",
    "<textarea>alert(1)</textarea>",
    "<select><option>alert(1)</option></select>",
    "<button>alert(1)</button>",
    "<form><b>alert(1)</b></form>",
    "<object>alert(1)</object>",
    "<math><mi>alert(1)</mi></math>",
    "<noscript>alert(1)</noscript>",
]


def visible_href(href: str) -> str:
    """The URL as a browser reads it: whitespace and control characters removed."""
    return re.sub(r"[\x00-\x20\x7f]", "", href).lower()


def assert_safe(html: str) -> None:
    assert isinstance(html, str)
    for parser in ("html.parser", "lxml"):
        soup = BeautifulSoup(html, parser)
        for tag in soup.find_all(True):
            if parser == "lxml" and tag.name in PARSER_WRAPPERS:
                continue
            assert tag.name in ALLOWED, (parser, tag.name, html)
            attributes = set(tag.attrs)
            assert not any(name.lower().startswith("on") for name in attributes), html
            if tag.name != "a":
                assert attributes == set(), (tag.name, tag.attrs, html)
                continue
            assert attributes <= {"href", "rel"}, (tag.attrs, html)
            assert " ".join(tag.get_attribute_list("rel")) == REL, html
            href = tag.get("href")
            if href is not None:
                assert visible_href(href).startswith(("http://", "https://", "mailto:")), html
                assert "javascript" not in visible_href(href), html


@pytest.mark.parametrize("vector", XSS)
def test_xss_vector_is_neutralised(vector):
    html = render_comment_body(vector)
    assert_safe(html)
    assert "<script" not in html.lower()


def test_there_are_enough_vectors():
    assert len(XSS) >= 30


@pytest.mark.parametrize("vector", CONTENT_GONE)
def test_content_tags_lose_their_content(vector):
    html = render_comment_body(vector)
    assert_safe(html)
    assert "alert" not in BeautifulSoup(html, "html.parser").get_text()


def soup_of(markdown_text: str) -> BeautifulSoup:
    html = render_comment_body(markdown_text)
    assert_safe(html)
    return BeautifulSoup(html, "html.parser")


def test_allowed_markup_survives():
    text = (
        "*kursiv* und **fett** und `code`\n\n"
        "> ein Zitat\n\n"
        "- eins\n- zwei\n\n"
        "1. erstens\n2. zweitens\n\n"
        "Code:\n\n"
        "    eingerückter Code\n\n"
        "[ein Link](https://example.org/seite?a=1&b=2) und <https://example.org/auto> "
        "und <leser@example.org>"
    )
    soup = soup_of(text)
    assert soup.find("em").get_text() == "kursiv"
    assert soup.find("strong").get_text() == "fett"
    assert soup.find("p").find("code").get_text() == "code"
    assert soup.find("blockquote").get_text(strip=True) == "ein Zitat"
    assert [li.get_text() for li in soup.find("ul").find_all("li")] == ["eins", "zwei"]
    assert [li.get_text() for li in soup.find("ol").find_all("li")] == ["erstens", "zweitens"]
    assert soup.find("pre").find("code").get_text() == "eingerückter Code\n"
    links = soup.find_all("a")
    assert [a["href"] for a in links] == [
        "https://example.org/seite?a=1&b=2",
        "https://example.org/auto",
        "mailto:leser@example.org",
    ]
    assert links[0].get_text() == "ein Link"
    assert all(" ".join(a["rel"]) == REL for a in links)


def test_single_newlines_become_line_breaks():
    soup = soup_of("Zeile eins\nZeile zwei\n\nAbsatz zwei")
    paragraphs = soup.find_all("p")
    assert len(paragraphs) == 2
    assert len(paragraphs[0].find_all("br")) == 1
    assert paragraphs[1].get_text() == "Absatz zwei"


def test_a_lone_less_than_sign_stays_text():
    html = render_comment_body("He< Kevin, danke für deine Rückmeldung & mehr. a<b c")
    assert "He&lt; Kevin" in html
    assert BeautifulSoup(html, "html.parser").get_text() == (
        "He< Kevin, danke für deine Rückmeldung & mehr. a<b c"
    )


def test_disallowed_markup_keeps_its_text_only():
    soup = soup_of("<div class='x'>hallo</div>\n\n# Überschrift\n\n<span>wort</span> ---")
    assert soup.find("div") is None and soup.find("h1") is None and soup.find("span") is None
    text = soup.get_text()
    assert "hallo" in text and "Überschrift" in text and "wort" in text


def test_html_comments_are_stripped():
    html = render_comment_body("vorher <!-- geheim --> nachher")
    assert "geheim" not in html
    assert "vorher" in html and "nachher" in html


def test_relative_links_lose_their_href():
    soup = soup_of("[intern](/2015/06/artikel/#comment-116)")
    link = soup.find("a")
    assert link.get_text() == "intern"
    assert link.get("href") is None


def test_no_state_leaks_between_calls():
    first = soup_of("[x][1]\n\n[1]: https://example.org/eins")
    assert first.find("a")["href"] == "https://example.org/eins"
    second = soup_of("[x][1]")
    assert second.find("a") is None
    assert second.get_text() == "[x][1]"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "https://example.org/pfad?x=1#anker",
        "HTTPS://EXAMPLE.ORG/",
        "https://münchen.example/",
        "http://[2001:db8::1]:8080/",
        "https://example.org:8443/a",
        "https://example.org/" + "a" * (2000 - len("https://example.org/")),
    ],
)
def test_safe_url_accepts_absolute_http_urls(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:leser@example.org",
        "ftp://example.org/",
        "//example.org/",
        "example.org",
        "/relativ",
        "https://",
        "https:///pfad",
        "https://user@example.org/",
        "https://user:pass@example.org/",
        "https://exa mple.org/",
        " https://example.org/",
        "https://example.org/\n",
        "https://example.org/\t",
        "https://example.org/\x00",
        "https://example.org/\u200b",
        "https://example.org/\u00a0",
        "https:\\\\example.org\\",
        "https://example.org:99999/",
        "https://example.org/" + "a" * 2000,
    ],
)
def test_safe_url_rejects_everything_else(url):
    assert safe_url(url) is None


# Plain prose skips Markdown and nh3. It must give exactly what the full path gives, and it
# must be taken for ordinary comments (or the build pays for Markdown on every comment).
PROSE = [
    "Danke für den Artikel!",
    'Ich sehe das anders.\nAber "gut" geschrieben (wirklich).',
    "Erster Absatz.\n\nZweiter Absatz: 100 % richtig, 5 € gespart; E-Mail @ Büro #1 | 2+2=4.",
]
NOT_PROSE = [
    "*betont*",
    "- Liste",
    "1. Punkt",
    "# Titel",
    "Zeile mit zwei Leerzeichen  \nneue Zeile",
    "    eingerückt",
    "Text\n===",
    "a_b",
    "<b>fett</b>",
    "Tom & Jerry",
    "[Link](https://example.org)",
    "Erster\n\n\nDritter",
    "",
]


@pytest.mark.parametrize("text", PROSE)
def test_plain_prose_takes_the_short_path(text):
    assert plain_prose_html(text) is not None
    assert render_comment_body(text) == markdown_to_safe_html(text)


@pytest.mark.parametrize("text", NOT_PROSE)
def test_markdown_and_markup_take_the_full_path(text):
    assert plain_prose_html(text) is None


def test_plain_prose_html_equals_markdown_and_allowlist_on_random_text():
    rnd = random.Random(20261127)
    alphabets = [
        "abcÄöüßXY 12\n\n\n.,;:?!'\"()/%€$§+=@#|-_*`[]<>&\\~\t\u00a0é0",
        "aaaaeeeiouÄ \n\n  ..,!?'\"()=-+#|@/%1",
    ]
    taken = 0
    for alphabet in alphabets:
        for _ in range(20000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40)))
            html = plain_prose_html(text)
            if html is not None:
                taken += 1
                assert html == markdown_to_safe_html(text), repr(text)
    assert taken > 1000  # the comparison really ran on many inputs


# --- nesting deeper than the parser's limit: flatter or as text, never dropped ----------


def nested_list(levels: int) -> str:
    items = "\n".join("  " * i + f"- Ebene{i + 1:03d}" for i in range(levels))
    return items + "\n\nAbsatz danach.\n"


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+\d+|[A-Za-z]{4,}", text))


@pytest.mark.parametrize("levels", [9, 10, 12, 30, 49, 60, 300])
def test_deep_lists_keep_every_item_and_what_follows(levels):
    html = render_comment_body(nested_list(levels))
    for level in range(1, levels + 1):
        assert f"Ebene{level:03d}" in html, level
    assert "Absatz danach." in html
    assert html.count("<ul>") <= MAX_BLOCK_DEPTH


@pytest.mark.parametrize("depth", [10, 25, 98, 99, 100, 500])
def test_deep_quotes_keep_their_text(depth):
    text = ">" * depth + " ganz unten <script>alert(1)</script>\n\nDanach."
    html = render_comment_body(text)
    assert "ganz unten" in html and "Danach." in html
    assert "<script" not in html  # raw HTML never comes through, also not as plain text
    assert html.count("<blockquote>") <= MAX_BLOCK_DEPTH


def test_flattened_levels_become_paragraphs_inside_the_deepest_kept_level():
    html = render_comment_body(nested_list(12))
    soup = BeautifulSoup(html, "html.parser")
    deepest = soup.find(string=re.compile("Ebene012")).find_parent("p")
    assert deepest is not None
    assert len(deepest.find_parents("ul")) == MAX_BLOCK_DEPTH
    assert soup.find_all("p")[-1].get_text() == "Absatz danach."


def test_shallow_markdown_is_untouched_by_flattening():
    text = "- a\n  - b\n    > c\n\n1. d"
    tokens = markdown_parser().parse(text)
    assert flatten_deep_blocks(tokens) == tokens


def test_random_nesting_never_loses_a_word():
    rnd = random.Random(20261202)
    pieces = ["- ", "* ", "1. ", "> ", "  ", "    ", "   "]
    for _ in range(300):
        lines = []
        for index in range(rnd.randint(1, 40)):
            prefix = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
            lines.append(f"{prefix}Wort{index}")
            if rnd.random() < 0.1:
                lines.append("")
        text = "\n".join(lines) + "\n\nSchluss."
        html = render_comment_body(text)
        plain = BeautifulSoup(html, "html.parser").get_text(" ")
        for index in range(len([line for line in lines if line])):
            # Indented four or more spaces is code (shown as is) — still present as text.
            assert f"Wort{index}" in plain, (index, text)
        assert "Schluss." in plain


def test_plain_text_fallback_escapes_and_keeps_lines():
    assert plain_text_html("a <b>\nc\n\n  \nd & e") == "<p>a &lt;b&gt;<br>\nc</p>\n<p>d &amp; e</p>"
