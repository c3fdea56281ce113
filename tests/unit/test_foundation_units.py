"""Unit tests of the foundation's pure modules (no Pelican)."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from datetime import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from markdown import Markdown

from rundbrief import german_dates as dates
from rundbrief import slugs
from rundbrief.article.reading import (
    TocNav,
    reading_minutes,
    split_newsletter_box,
    toc_as_nav,
    word_count,
)
from rundbrief.article.share import share_links
from rundbrief.problems import Problem, first_bad_utf8_line
from rundbrief.quality.header import check_header, read_header
from rundbrief.seo.jsonld import CommentLD, blog_posting, script_json
from rundbrief.seo.sitemap import Entry, robots_txt, sitemap_xml
from rundbrief.settings_check import Setting, int_between, list_of, one_of, validate

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Für wen machen wir das eigentlich?", "fuer-wen-machen-wir-das-eigentlich"),
        ("Größer, schneller, weiter", "groesser-schneller-weiter"),
        ("Äpfel & Öfen: Übermut", "aepfel-oefen-uebermut"),
        ("Straße", "strasse"),
        ("Café “Zukunft” – 2015", "cafe-zukunft-2015"),
    ],
)
def test_german_slugs(title, slug):
    assert slugs.slugify(title) == slug


def test_slugify_is_pelicans_substitutions_applied_one_by_one():
    # Pelican applies substitutions() in order; slugify does it in one pass and must agree
    # on Latin text (other scripts Pelican's tables drop, slugify transliterates).
    def pelican_way(text):
        value = unicodedata.normalize("NFKC", text)
        for pattern, replacement in slugs.substitutions():
            value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
        return value.lower().strip()

    rnd = random.Random(20261127)
    alphabet = slugs._OTHER + slugs._OTHER.upper() + "äöüßẞÄÖÜŸ abc XYZ-_.,!?'&/0 \t\nſKÅﬁ①"
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
        assert slugs.slugify(text) == pelican_way(text), repr(text)


def test_german_dates_without_system_locale():
    moment = datetime(2015, 6, 19, 21, 14, tzinfo=BERLIN)
    assert dates.datum(moment) == "19. Juni 2015"
    assert dates.datum_uhrzeit(moment) == "19. Juni 2015 um 21:14 Uhr"
    assert dates.monat(3) == "März"
    assert dates.datum_kurz(moment) == "19.06.2015"


def test_settings_validation_reports_every_bad_value():
    specs = [
        Setting("A", 1, int_between(0, 5), "0 bis 5"),
        Setting("B", "x", one_of("x", "y"), "'x' oder 'y'"),
        Setting("C", [], list_of(one_of("k")), "Liste aus 'k'"),
    ]
    errors = validate({"A": 9, "B": "z", "C": ["k"]}, specs)
    assert len(errors) == 2
    assert errors[0].startswith("A = 9 ") and "0 bis 5" in errors[0]
    assert errors[1].startswith("B = 'z' ") and "'x' oder 'y'" in errors[1]
    assert validate({}, specs) == []  # defaults are valid
    assert validate({"A": True}, specs)  # a bool is not a number


def test_header_checks_name_the_line():
    text = "Title: Hallo\nDate: 2015-02-30 10:00\nStatus: entwurf\nComments: vielleicht\n\nText"
    checked = check_header(text, "a.md")
    lines = sorted(problem.line for problem in checked.problems)
    assert lines == [2, 3, 4]
    assert checked.skip
    assert checked.repaired == {"comments": "open"}
    good = check_header("Title: Hallo\nDate: 2015-02-28 10:00\n\nText", "a.md")
    assert good.problems == [] and not good.skip
    assert read_header("Title: a\n  b\nDate: x\n\nTitle: c")["title"].value == "a b"


def test_problem_text_and_utf8_line():
    assert (
        str(Problem("a.md", 3, "Kaputt.", "Reparieren."))
        == "a.md:3: Kaputt. So beheben: Reparieren."
    )
    assert first_bad_utf8_line("a\nb\nGr\xf6\xdfe".encode("latin-1")) == 3
    assert first_bad_utf8_line("Größe".encode()) is None


def test_reading_time_and_newsletter_box():
    html = "<p>" + "wort " * 450 + '</p><aside class="newsletter-box"><p>P.S.</p></aside>'
    body, box = split_newsletter_box(html)
    assert box == "<p>P.S.</p>" and "newsletter-box" not in body
    assert word_count(body) == 450
    assert reading_minutes(body, 200) == 3
    assert reading_minutes("<p>kurz</p>") == 1
    assert split_newsletter_box("<p>x</p>") == ("<p>x</p>", None)
    nav = toc_as_nav(
        '<div class="toc"><span class="toctitle">Inhalt</span><ul><li>a</li></ul></div>'
    )
    assert nav.startswith('<nav class="toc"') and "<h2" in nav


def test_toc_nav_extension_renders_the_table_of_contents_as_nav():
    html = Markdown(
        extensions=["toc", TocNav()], extension_configs={"toc": {"title": "Inhalt"}}
    ).convert("[TOC]\n\n## Erstens\n\nText\n")
    assert '<nav class="toc" aria-labelledby="toc-titel">' in html
    assert '<h2 id="toc-titel" class="toctitle">Inhalt</h2>' in html
    assert 'class="toc"' in html and '<div class="toc">' not in html
    assert toc_as_nav(html) == html  # once is enough: the page shows it as is


def test_share_links_encode_url_and_title():
    links = share_links("https://b.example/2015/06/a/", "Äpfel & Birnen", ["x", "mail"])
    assert [link.kind for link in links] == ["x", "mail"]
    assert "text=%C3%84pfel+%26+Birnen" in links[0].href
    assert (
        links[1].href
        == "mailto:?subject=%C3%84pfel%20%26%20Birnen&body=https%3A//b.example/2015/06/a/"
    )


def test_sitemap_and_robots_are_valid():
    xml = sitemap_xml(
        [
            Entry("https://b.example/a&b/", datetime(2015, 6, 19, tzinfo=BERLIN)),
            Entry("https://b.example/a&b/"),
        ]
    )
    root = ElementTree.fromstring(xml)
    assert [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        "https://b.example/a&b/"
    ]
    assert "Sitemap: https://b.example/sitemap.xml" in robots_txt("https://b.example/sitemap.xml")


def test_jsonld_is_safe_inside_script():
    data = blog_posting(
        url="https://b.example/x/",
        headline="</script><script>alert(1)</script>",
        description="d",
        published=datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN),
        modified=None,
        author="A",
        publisher="P",
        site_url="https://b.example/",
        comments=[CommentLD("K", datetime(2015, 6, 19, 21, 14, tzinfo=BERLIN), "t", "u")],
        comment_count=1,
    )
    text = script_json(data)
    assert "</script" not in text.lower()
    back = json.loads(text)
    assert back["headline"] == "</script><script>alert(1)</script>"
    assert back["commentCount"] == 1 and back["comment"][0]["@type"] == "Comment"


def test_fast_german_dates_agree_with_babel_patterns():
    from babel.dates import format_date, format_time  # noqa: PLC0415

    for month in range(1, 13):
        moment = datetime(2024, month, 3 + month, 7, 5, tzinfo=BERLIN)
        assert dates.datum(moment) == format_date(moment, "d. MMMM y", locale="de_DE")
        assert dates.datum_kurz(moment) == format_date(moment, "dd.MM.y", locale="de_DE")
        assert dates.datum_uhrzeit(moment) == (
            f"{format_date(moment, 'd. MMMM y', locale='de_DE')} um "
            f"{format_time(moment, 'HH:mm', locale='de_DE')} Uhr"
        )


def test_word_count_without_collapsing_counts_the_same_words():
    """word_count skips collapsing white space (faster); the words are the same."""
    import re  # noqa: PLC0415

    from rundbrief.text import strip_tags  # noqa: PLC0415

    samples = [
        "<p>Eins&nbsp;zwei\u2003drei</p>\n\n<ul><li>vier</li><li>fünf-sechs</li></ul>",
        "<h2>Über&shy;schrift</h2><p>z.&thinsp;B. 3,5 % – „Zitat“ &amp; mehr</p>",
        "\t <p>   </p>\r\n<pre>code_wort  zweites\u00a0wort</pre>",
    ]
    for html in samples:
        assert word_count(html) == len(re.findall(r"\w+", strip_tags(html)))
        assert strip_tags(html, collapse=False).split() == strip_tags(html).split()
