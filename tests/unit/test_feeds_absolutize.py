"""feeds.absolutize: relative URLs inside entry HTML become absolute, nothing else changes."""

from __future__ import annotations

import random

import markdown
import pytest
from bs4 import BeautifulSoup

from rundbrief.feeds.absolutize import (
    _SIMPLE_HTML,
    _absolutize_parsed,
    absolute_srcset,
    absolute_url,
    absolutize,
)

PAGE = "https://blog.example/2015/06/slug/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("../../../images/x.png", "https://blog.example/images/x.png"),  # RELATIVE_URLS
        ("../../../../images/x.png", "https://blog.example/images/x.png"),  # one too many
        ("/impressum/", "https://blog.example/impressum/"),
        ("bilder/lokal.png", "https://blog.example/2015/06/slug/bilder/lokal.png"),
        ("#abschnitt", "https://blog.example/2015/06/slug/#abschnitt"),
        ("?seite=2", "https://blog.example/2015/06/slug/?seite=2"),
        ("//cdn.example/a.js", "https://cdn.example/a.js"),
        ("https://andere.example/x", "https://andere.example/x"),
        ("mailto:leser@blog.example", "mailto:leser@blog.example"),
        ("tel:+49301234", "tel:+49301234"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
        ("", ""),
    ],
)
def test_absolute_url(value, expected):
    assert absolute_url(value, PAGE) == expected


def test_links_images_and_media_become_absolute():
    html = (
        '<p><a href="../../../images/x.png">x</a> <a href="/impressum/">i</a> '
        '<a href="#teil">t</a><img src="../../../images/b.png" alt="b"></p>'
        '<video src="v.mp4" poster="/p.jpg"></video><blockquote cite="/quelle/">q</blockquote>'
    )
    soup = BeautifulSoup(absolutize(html, PAGE), "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [
        "https://blog.example/images/x.png",
        "https://blog.example/impressum/",
        "https://blog.example/2015/06/slug/#teil",
    ]
    assert soup.img["src"] == "https://blog.example/images/b.png"
    assert soup.video["src"] == "https://blog.example/2015/06/slug/v.mp4"
    assert soup.video["poster"] == "https://blog.example/p.jpg"
    assert soup.blockquote["cite"] == "https://blog.example/quelle/"


def test_srcset_candidates():
    assert absolute_srcset("a.png 1x, /b.png 2x", PAGE) == (
        "https://blog.example/2015/06/slug/a.png 1x, https://blog.example/b.png 2x"
    )
    out = absolutize('<img src="a.png" srcset="a.png 1x, b.png 2x" alt="">', PAGE)
    assert 'srcset="https://blog.example/2015/06/slug/a.png 1x, ' in out


def test_everything_else_is_left_alone():
    html = (
        "<!-- Kommentar --><p class=x>A &amp; B &nbsp;&#8211; &auml; <br>"
        "<input disabled><em>„Zitat“</em></p>"
        "<script>if (a < b && c) { x = '<a href=\"/y\">'; }</script>"
        '<svg><use href="#symbol"/></svg>'
    )
    assert absolutize(html, PAGE) == html


def test_attribute_values_are_escaped_again():
    out = absolutize(
        '<a href="/suche?a=1&amp;b=2" title="&quot;Zitat&quot; &amp; mehr">x</a>', PAGE
    )
    soup = BeautifulSoup(out, "html.parser")
    assert soup.a["href"] == "https://blog.example/suche?a=1&b=2"
    assert soup.a["title"] == '"Zitat" & mehr'
    assert 'href="https://blog.example/suche?a=1&amp;b=2"' in out


def test_self_closing_and_boolean_attributes_survive_a_rewrite():
    out = absolutize('<img src="x.png" alt="" hidden /><a href="/x" download>d</a>', PAGE)
    assert out == (
        '<img src="https://blog.example/2015/06/slug/x.png" alt="" hidden />'
        '<a href="https://blog.example/x" download>d</a>'
    )


def test_empty_and_unfinished_html():
    assert absolutize("", PAGE) == ""
    assert absolutize("Nur Text & mehr", PAGE) == "Nur Text & mehr"
    assert absolutize('<p><a href="/x">offen', PAGE) == '<p><a href="https://blog.example/x">offen'


# Markdown-like HTML is rewritten with regular expressions, anything else by the HTML
# parser; both must give the same result, and the short path must be taken for Markdown.
PIECES = [
    '<a href="x">',
    '<a href="../y.png" title="t">',
    '<img src="a.png" alt="b"/>',
    '<img src="a.png" />',
    '<img srcset="a.png 1x, b.png 2x">',
    "</a>",
    "<p>",
    "</p>",
    "Text ",
    "&amp;",
    "&#39;",
    "&nbsp",
    "& ",
    '<A HREF="z">',
    "<a href='q'>",
    "<a href=q>",
    "<br>",
    '<input disabled src="i">',
    '<a href="#t">',
    "<!-- c -->",
    '<script src="s.js"></script>',
    "</P >",
    '<a  href="m"  >',
    '<a href="&amp;x">',
    '<a href="a>b">',
    "x<y",
    '<abbr title="a">',
    '<q cite="c">',
    '<a href="">',
    "<a href>",
    "<img/>",
    '<a\nhref="n">',
    '<a href="http://e.de/">',
    ">",
    '<source srcset="s.webp">',
]


def test_short_path_and_html_parser_agree_on_random_markup():
    rnd = random.Random(20261127)
    short = 0
    for _ in range(20000):
        pieces = [rnd.choice(PIECES) for _ in range(rnd.randint(1, 8))]
        html = "".join([*pieces, '<a href="relativ/">'])  # something to rewrite
        if _SIMPLE_HTML.fullmatch(html):
            short += 1
        assert absolutize(html, PAGE) == _absolutize_parsed(html, PAGE), repr(html)
    assert short > 2000


def test_markdown_output_takes_the_short_path():
    html = markdown.markdown(
        '# Titel\n\n[TOC]\n\nText mit [Link](../x/) und ![Bild](../b.png "T").\n\n'
        "> Zitat\n\n- eins\n- zwei & drei\n\n```\n<code> & co\n```\n",
        extensions=["toc", "fenced_code", "attr_list"],
    )
    assert _SIMPLE_HTML.fullmatch(html)
    assert 'href="https://blog.example/2015/06/x/"' in absolutize(html, PAGE)
