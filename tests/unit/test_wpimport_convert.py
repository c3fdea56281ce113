"""WordPress HTML to Markdown (wpimport.convert, autop, shortcodes): pure, no Pelican."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup

from rundbrief.sanitize import render_comment_body
from wpimport.autop import wpautop
from wpimport.convert import convert_comment, convert_post, plain_text
from wpimport.plan import Site
from wpimport.shortcodes import parse_attributes, process

SITE = Site("https://alt.example.org")


def render(text: str) -> BeautifulSoup:
    """Markdown as the site renders articles (Python-Markdown with extra)."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html5")
    return BeautifulSoup(html, "html.parser")


def post(html: str) -> str:
    return convert_post(html, SITE.map_url).markdown


# --- automatic paragraphs -------------------------------------------------------------


def test_wpautop_matches_wordpress():
    assert wpautop("Eins\nzwei\n\nDrei") == "<p>Eins<br />\nzwei</p>\n<p>Drei</p>\n"
    html = wpautop("Text\n<ul>\n<li>a</li>\n</ul>\n<pre>x\n\ny</pre>\nEnde")
    assert "<pre>x\n\ny</pre>" in html
    assert "<p>Text</p>" in html and "<p>Ende</p>" in html
    assert "<li>a</li>" in html and "<p><ul>" not in html


def test_no_break_space_is_not_white_space():
    assert wpautop("a\u00a0\n\nb") == "<p>a\u00a0</p>\n<p>b</p>\n"


def test_blank_lines_become_paragraphs_single_newlines_line_breaks():
    text = post("Erster Absatz,\nzweite Zeile.\n\nZweiter Absatz.")
    assert text == "Erster Absatz,  \nzweite Zeile.\n\nZweiter Absatz.\n"
    paragraphs = render(text).find_all("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].find("br") is not None


def test_block_editor_content_keeps_its_own_paragraphs():
    html = (
        "<!-- wp:paragraph -->\n<p>Eins\nnoch eins</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:heading -->\n<h2>Titel</h2>\n<!-- /wp:heading -->"
    )
    text = post(html)
    assert "wp:" not in text
    assert text == "Eins noch eins\n\n## Titel\n"


# --- shortcodes -----------------------------------------------------------------------


def test_caption_becomes_image_with_its_caption():
    html = (
        '[caption id="attachment_7" align="alignnone" width="300"]'
        '<img src="https://alt.example.org/wp-content/uploads/2015/06/affe-300x200.jpg" '
        'alt="Ein Affe" width="300" /> Der Affe ganz oben[/caption]'
    )
    converted = convert_post(html, SITE.map_url)
    assert converted.markdown == (
        "![Ein Affe]({static}/images/2015/06/affe-300x200.jpg)  \n*Der Affe ganz oben*\n"
    )
    assert converted.notes.uploads == {
        "wp-content/uploads/2015/06/affe-300x200.jpg": "{static}/images/2015/06/affe-300x200.jpg"
    }
    paragraph = render(converted.markdown).p
    assert paragraph.img["alt"] == "Ein Affe"
    assert paragraph.em.get_text() == "Der Affe ganz oben"


def test_caption_in_attribute_and_linked_image():
    html = (
        '[caption caption="Unterschrift" width="200"]<a href="https://alt.example.org/'
        'wp-content/uploads/2015/06/gross.jpg"><img src="https://alt.example.org/wp-content/'
        'uploads/2015/06/klein.jpg" alt="" /></a>[/caption]'
    )
    assert post(html) == (
        "[![]({static}/images/2015/06/klein.jpg)]({static}/images/2015/06/gross.jpg)  \n"
        "*Unterschrift*\n"
    )


def test_more_tag_ends_the_teaser_and_leaves_the_body():
    html = "Vorspann mit <em>Betonung</em>.\n\n<!--more-->\n\nDer Rest."
    converted = convert_post(html)
    assert converted.teaser == "Vorspann mit Betonung."
    assert converted.markdown == "Vorspann mit *Betonung*.\n\nDer Rest.\n"
    custom = convert_post("Kurz.<!--more Weiterlesen …-->Lang.")
    assert custom.teaser == "Kurz."
    assert "more" not in custom.markdown
    assert convert_post("Ohne Trenner.").teaser == ""


def test_embed_becomes_a_link():
    text = post("Davor\n\n[embed]https://www.youtube.com/watch?v=a_b[/embed]\n\nDanach")
    assert text == "Davor\n\n<https://www.youtube.com/watch?v=a_b>\n\nDanach\n"
    assert render(text).a["href"] == "https://www.youtube.com/watch?v=a_b"


def test_url_alone_on_a_line_becomes_a_link():
    assert post("Schau:\n\nhttps://vimeo.com/123\n") == "Schau:\n\n<https://vimeo.com/123>\n"


def test_unknown_shortcodes_stay_visible_and_are_reported():
    converted = convert_post('Vorher [playlist ids="1,2"] und [contact-form-7 id="5"] nachher')
    assert converted.notes.shortcodes == ["playlist", "contact-form-7"]
    shown = render(converted.markdown).get_text()
    assert '[playlist ids="1,2"]' in shown and '[contact-form-7 id="5"]' in shown


def test_shortcode_lookalikes_are_not_reported():
    converted = convert_post("Ein Zitat [sic] mit Fußnote [1] und [[gallery]] als Text.")
    assert converted.notes.shortcodes == []
    assert render(converted.markdown).get_text().strip() == (
        "Ein Zitat [sic] mit Fußnote [1] und [gallery] als Text."
    )


def test_shortcodes_inside_code_are_left_alone():
    result = process('<pre>[gallery ids="1"]</pre> <code>[embed]x[/embed]</code>')
    assert result.kept == []
    assert result.content == '<pre>[gallery ids="1"]</pre> <code>[embed]x[/embed]</code>'


def test_shortcode_attributes():
    assert parse_attributes(' id="5" title=\'Kontakt\' width=300 "frei" nackt') == {
        "id": "5",
        "title": "Kontakt",
        "width": "300",
        "0": "frei",
        "1": "nackt",
    }


# --- tables, code, lists --------------------------------------------------------------


def test_table_with_header_becomes_markdown_table():
    html = (
        "<table><thead><tr><th>Jahr</th><th align='right'>Wert</th></tr></thead><tbody>"
        "<tr><td>2014</td><td>a | b</td></tr><tr><td>2015</td><td>Zeile<br>zwei</td></tr>"
        "</tbody></table>"
    )
    text = post(html)
    assert text.splitlines()[:2] == ["| Jahr | Wert |", "| --- | --: |"]
    table = render(text).table
    assert [th.get_text() for th in table.find_all("th")] == ["Jahr", "Wert"]
    cells = [td.get_text() for td in table.find_all("td")]
    assert cells == ["2014", "a | b", "2015", "Zeilezwei"]
    assert table.find_all("td")[3].find("br") is not None


def test_table_markdown_cannot_hold_stays_html():
    html = "<table><tr><td colspan='2'>breit</td></tr><tr><td>a</td><td>b</td></tr></table>"
    text = post(html)
    assert text.startswith("<table>")
    table = render(text).table
    assert table.td["colspan"] == "2"
    assert [td.get_text() for td in table.find_all("td")] == ["breit", "a", "b"]


def test_block_editor_table_survives():
    html = (
        '<!-- wp:table --><figure class="wp-block-table"><table><tbody><tr><td>Rolle</td>'
        "<td>Aufgabe</td></tr></tbody></table></figure><!-- /wp:table -->"
    )
    assert [td.get_text() for td in render(post(html)).find_all("td")] == ["Rolle", "Aufgabe"]


def test_code_block_survives_with_its_language():
    html = (
        '<pre><code class="language-python">if a &lt; b and c > d:\n    print("[x]")\n\n'
        "# Kommentar</code></pre>"
    )
    text = post(html)
    assert text.startswith("```python\n")
    code = render(text).find("code")
    assert code["class"] == ["language-python"]
    assert code.get_text() == 'if a < b and c > d:\n    print("[x]")\n\n# Kommentar\n'


def test_code_block_with_fences_inside_gets_a_longer_fence():
    text = post("<pre>```\nx\n```</pre>")
    assert text.startswith("````\n")
    assert render(text).code.get_text() == "```\nx\n```\n"


def test_nested_lists_and_blockquote():
    html = "<ul><li>eins</li><li>zwei<ol><li>a</li><li>b</li></ol></li></ul><blockquote>Zitat\nzwei</blockquote>"
    text = post(html)
    assert text == "- eins\n- zwei\n    1. a\n    2. b\n\n> Zitat  \n> zwei\n"
    soup = render(text)
    assert [li.get_text() for li in soup.select("ul > li > ol > li")] == ["a", "b"]
    assert soup.blockquote.find("br") is not None


def test_text_that_looks_like_markdown_stays_text():
    html = "1. kein Punkt\n# kein Titel\n- keine Liste\n*kein* _Akzent_ [kein Link](x) `kein Code` &lt;b&gt; a\\b"
    text = post(html)
    shown = render(text).get_text()
    assert shown.strip() == (
        "1. kein Punkt\n# kein Titel\n- keine Liste\n*kein* _Akzent_ [kein Link](x) "
        "`kein Code` <b> a\\b"
    )
    soup = render(text)
    assert not soup.find(["h1", "ol", "ul", "em", "a", "code", "b"])


def test_emphasis_links_images_and_entities():
    html = (
        'Ein <strong>starkes</strong> und <em>schräges </em>Wort, <a href="https://x.example/a_b" '
        'title="Titel">ein Link</a>, &amp; ein <sup>hoch</sup>.'
    )
    text = post(html)
    assert text == (
        'Ein **starkes** und *schräges* Wort, [ein Link](https://x.example/a_b "Titel"), '
        "& ein <sup>hoch</sup>.\n"
    )
    soup = render(text)
    assert soup.a["href"] == "https://x.example/a_b"
    assert soup.em.get_text() == "schräges"


def test_players_become_links_and_scripts_go():
    html = (
        '<iframe src="https://www.youtube.com/embed/xyz"></iframe>\n\n'
        "<script>alert(1)</script><p>Text</p><style>p{}</style>"
    )
    converted = convert_post(html)
    assert "<script" not in converted.markdown and "alert" not in converted.markdown
    assert "iframe" not in converted.markdown
    assert render(converted.markdown).a["href"] == "https://www.youtube.com/embed/xyz"
    assert converted.notes.embedded == ["https://www.youtube.com/embed/xyz"]
    assert sorted(converted.notes.dropped) == ["script", "style"]


def test_uploads_are_mapped_and_other_hosts_become_links():
    html = (
        '<img src="https://www.alt.example.org/wp-content/uploads/2016/01/b%C3%BCro.png" alt="Büro">'
        '<img src="/wp-content/uploads/2016/01/relativ.png" alt="r">'
        '<img src="https://i0.wp.com/alt.example.org/wp-content/uploads/2016/01/cdn.png?w=300" alt="c">'
        '<img src="https://fremd.example/wp-content/uploads/x.png" alt="Fremd">'
    )
    converted = convert_post(html, SITE.map_url)
    assert sorted(converted.notes.uploads) == [
        "wp-content/uploads/2016/01/büro.png",
        "wp-content/uploads/2016/01/cdn.png",
        "wp-content/uploads/2016/01/relativ.png",
    ]
    assert converted.notes.external_images == ["https://fremd.example/wp-content/uploads/x.png"]
    soup = render(converted.markdown)
    assert [img["src"] for img in soup.find_all("img")] == [
        "{static}/images/2016/01/b%C3%BCro.png",
        "{static}/images/2016/01/relativ.png",
        "{static}/images/2016/01/cdn.png",
    ]
    assert soup.a["href"] == "https://fremd.example/wp-content/uploads/x.png"


def test_plain_text_for_summaries():
    assert plain_text("<p>Eins &amp; <b>zwei</b></p>\n<p>drei</p>") == "Eins & zwei drei"


def test_broken_html_does_not_break_the_conversion():
    text = post("<p>offen <b>fett <i>kursiv</p><p>weiter</b> </div> Ende <li>lose")
    soup = render(text)
    assert "offen" in soup.get_text() and "Ende" in soup.get_text()
    assert "lose" in soup.get_text()


# --- comments -------------------------------------------------------------------------


def comment(html: str) -> str:
    markdown_text, _ = convert_comment(html)
    return markdown_text


def test_comment_lines_stay_lines_and_render_back():
    text = comment("Hallo,\nzweite Zeile mit <em>Betonung</em>.\n\nNeuer Absatz.")
    assert text == "Hallo,\nzweite Zeile mit *Betonung*.\n\nNeuer Absatz.\n"
    assert render_comment_body(text) == (
        "<p>Hallo,<br>\nzweite Zeile mit <em>Betonung</em>.</p>\n<p>Neuer Absatz.</p>"
    )


XSS = [
    '<script>alert("x")</script>Text',
    '<a href="javascript:alert(1)">Klick</a>',
    '<a href="JaVaScRiPt:alert(1)">Klick</a>',
    '<a href="java\nscript:alert(1)">Klick</a>',
    '<img src="x" onerror="alert(1)">Text',
    "<svg onload=alert(1)><circle/></svg>Text",
    '<iframe src="javascript:alert(1)"></iframe>Text',
    '<a href="https://ok.example/" onclick="alert(1)">Klick</a>',
    '<b style="background:url(javascript:alert(1))">fett</b>',
    '<form action="https://evil.example"><input name="x"></form>Text',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">Klick</a>',
]


@pytest.mark.parametrize("html", XSS)
def test_comment_sanitised_on_the_way(html):
    text = comment(html)
    assert "<script" not in text.lower()
    assert "javascript" not in text.lower() and "onerror" not in text and "onclick" not in text
    assert "alert" not in render_comment_body(text)
    assert "data:" not in text


def test_comment_keeps_allowed_markup():
    text = comment(
        'Ein <a href="https://ok.example/a_b">Link</a>, <strong>fett</strong>, <code>x*y</code>\n'
        "<blockquote>Zitat</blockquote>\n<ul><li>eins</li><li>zwei</li></ul>"
    )
    html = render_comment_body(text)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.a["href"] == "https://ok.example/a_b"
    assert soup.strong.get_text() == "fett" and soup.code.get_text() == "x*y"
    assert soup.blockquote.get_text(strip=True) == "Zitat"
    assert [li.get_text() for li in soup.find_all("li")] == ["eins", "zwei"]


def test_comment_addresses_are_removed_and_urls_linked():
    text, notes = convert_comment(
        "Mail an max.muster@mail.example, Server 192.0.2.44. "
        '<a href="mailto:max@mail.example">schreib mir</a> http://example.org/a_b.'
    )
    assert notes.removed_addresses == 3
    assert not re.search(r"@|192\.0\.2", text)
    assert "(E-Mail-Adresse entfernt)" in text and "(IP-Adresse entfernt)" in text
    links = BeautifulSoup(render_comment_body(text), "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["http://example.org/a_b"]


def test_comment_markdown_lookalikes_stay_text():
    text = comment("* keine Liste\n# kein Titel\n1) keine Zahl\n[x](y) und <3")
    html = render_comment_body(text)
    assert BeautifulSoup(html, "html.parser").get_text() == (
        "* keine Liste\n# kein Titel\n1) keine Zahl\n[x](y) und <3"
    )


def test_empty_after_sanitising():
    assert comment("<script>alert(1)</script>") == ""
