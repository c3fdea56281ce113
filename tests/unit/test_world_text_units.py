"""Unit tests for issue 13's pure parts: slugs in any script, clean text, clashes, spellings."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from rundbrief import slugs
from rundbrief.cleantext import (
    CleanBytes,
    clean_text,
    describe_removed,
    isolate_bidi,
    removed_problem,
)
from rundbrief.quality.outputs import Claim, clash_problem, clashes, normalized, site_claims
from rundbrief.quality.spellings import Use, spelling_problems
from wpimport.wxr import WXRReader

EXPORT = Path(__file__).resolve().parent.parent / "fixtures" / "wxr" / "export.xml"

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"


# --- slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Привет мир", "privet-mir"),
        ("Мир", "mir"),
        ("İstanbul", "istanbul"),
        ("Ελληνικά-Greek", "ellenika-greek"),
        ("远征手记", "yuan-zheng-shou-ji"),
        ("Türkçe", "tuerkce"),  # the German rule first, then Unidecode
        ("Für wen machen wir das eigentlich?", "fuer-wen-machen-wir-das-eigentlich"),
        ("Straße und ẞ", "strasse-und-ss"),
        ("Ça où déjà", "ca-ou-deja"),
        ("- x -", "x"),
        ("Angaben gemäß § 5 DDG", "angaben-gemaess-5-ddg"),  # symbols dropped, as before
        ("© 2015 €", "2015"),
        ("New  Work", "new-work"),
    ],
)
def test_slugs_in_any_script_are_ascii(text, slug):
    assert slugs.slugify(text) == slug
    assert slugs.slug_or_fallback(text) == (slug, False)


def test_no_combining_marks_or_leading_dashes():
    for text in ("İSTANBUL", "Ελληνικά", "«Ελληνικά»-Greek", "Ünïcödé"):
        slug = slugs.slugify(text)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), (text, slug)


@pytest.mark.parametrize("text", ["🎉", "🎉🎉🎉🎉🎉🎉", "!!!", "   ", ""])
def test_fallback_is_stable_non_empty_ascii(text):
    slug, fell_back = slugs.slug_or_fallback(text)
    assert fell_back
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert slugs.slug_or_fallback(text) == (slug, True)  # the same on every build
    assert slugs.slugify(text) == ""


def test_fallbacks_of_different_texts_differ():
    assert slugs.fallback_slug("🎉") == "u1f389"
    many = [slugs.fallback_slug("🎉" * 5 + tail) for tail in ("🎈", "🎁")]
    assert many[0] != many[1]


# --- clean text -----------------------------------------------------------------------

ILLEGAL = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF, 0xD800, 0xDFFF]


def test_clean_text_removes_each_illegal_character_with_its_line():
    text = "".join(f"Zeile {i}: a{chr(c)}b\n" for i, c in enumerate(ILLEGAL, start=1))
    cleaned, removed = clean_text(text)
    assert removed == [(i, c) for i, c in enumerate(ILLEGAL, start=1)]
    assert cleaned == "".join(f"Zeile {i}: ab\n" for i in range(1, len(ILLEGAL) + 1))
    etree.fromstring(f"<p>{cleaned}</p>".encode("utf-8", "surrogatepass"))


def test_clean_text_keeps_legal_text_untouched():
    text = "Tab\tLF\nCR\r Umlaute äöü, Emoji 🎉, RTL \u202e, U+FFFD \ufffd, U+10FFFF \U0010ffff"
    assert clean_text(text) == (text, [])


def test_removed_characters_are_described_for_the_warning():
    _, removed = clean_text("a\x01\nb\x1f\x0b")
    assert describe_removed(removed) == "Zeile 1: U+0001, Zeile 2: U+001F, Zeile 2: U+000B"
    assert describe_removed(removed, limit=1) == "Zeile 1: U+0001, und 2 weitere"
    problem = removed_problem("content/x.md", removed, "er wird ohne sie gezeigt")
    assert problem.path == "content/x.md" and problem.line == 1
    assert "U+001F" in str(problem) and "So beheben" in str(problem)


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("plain", "plain"),
        (f"a{RLO}b", f"a{RLO}b{PDF}"),
        (f"{LRE}{RLE}x", f"{LRE}{RLE}x{PDF}{PDF}"),
        (f"{RLO}x{PDF}", f"{RLO}x{PDF}"),  # already paired
        (f"{RLI}x", f"{RLI}x{PDI}"),
        (f"{FSI}{RLO}x", f"{FSI}{RLO}x{PDF}{PDI}"),
        (f"{LRI}{RLO}x{PDI}{LRE}", f"{LRI}{RLO}x{PDI}{LRE}{PDF}"),  # PDI closes the RLO too
        (f"{RLI}{PDF}x", f"{RLI}{PDF}x{PDI}"),  # a PDF cannot close an isolate
        (f"x{PDF}{PDI}", f"x{PDF}{PDI}"),  # stray closers are harmless
    ],
)
def test_isolate_bidi_closes_what_is_open(text, closed):
    assert isolate_bidi(text) == closed


# --- clashes and spellings ------------------------------------------------------------


def test_first_claim_keeps_the_path():
    archive = Claim("2015/07/index.html", "das Monatsarchiv")
    first = Claim("2015/07/x/index.html", "der Beitrag „X“", "a.md", "x")
    second = Claim("2015/07/x//index.html", "der Beitrag „X“", "b.md", "x")
    dot = Claim("2015/07/./index.html", "der Beitrag „Punkt“", "c.md", ".")
    unwritten = Claim("", "ein Entwurf", "d.md")
    found = list(clashes([archive, first, second, dot, unwritten, unwritten]))
    assert found == [(first, second), (archive, dot)]
    assert normalized("a/./b//c/../d.html") == "a/b/d.html"
    problem = clash_problem(first, second)
    assert problem.path == "b.md" and "a.md" in problem.message
    assert "Slug: x-2" in problem.fix
    assert "Slug: ein-anderer-name" in clash_problem(archive, dot).fix


def test_spelling_problems_name_the_articles_that_differ():
    uses = [
        Use("markup", "Markup", "a.md"),
        Use("markup", "markup", "b.md"),
        Use("markup", "markup", "b.md"),
        Use("markup", "MARKUP", "c.md"),
        Use("new-work", "New Work", "a.md"),
        Use("new-work", "New Work", "d.md"),
    ]
    (problem,) = spelling_problems(uses, "tag")
    assert problem.path == "b.md"
    assert "„Markup“ (zuerst so in a.md)" in problem.message
    assert "„MARKUP“ in c.md" in problem.message and "„markup“ in b.md" in problem.message
    assert spelling_problems(uses[4:], "category") == []


def test_site_claims_cover_archives_taxonomies_and_newsletter():
    tag = SimpleNamespace(slug="markup", name="Markup", save_as="tag/markup/index.html")
    article = SimpleNamespace(date=datetime(2015, 7, 3), category=None, tags=[tag], authors=[])
    settings = {
        "DIRECT_TEMPLATES": ["index"],
        "INDEX_SAVE_AS": "index.html",
        "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
        "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
        "DAY_ARCHIVE_SAVE_AS": "",
        "NEWSLETTER_DIGEST": True,
        "NEWSLETTER_PATH": "newsletter",
    }
    paths = {claim.path for claim in site_claims(settings, [article])}
    assert paths == {
        "index.html",
        "2015/index.html",
        "2015/07/index.html",
        "tag/markup/index.html",
        "newsletter/index.html",
    }


@pytest.mark.parametrize("size", [1, 2, 3, 7, 16 * 1024, -1])
def test_clean_bytes_drops_illegal_characters_across_read_boundaries(size):
    text = "a\x01ä\ufffeb\uffff€\ufffd\x1fc\tend\n"
    reader = CleanBytes(io.BytesIO(text.encode("utf-8")))
    chunks = []
    while chunk := reader.read(size):
        chunks.append(chunk)
    assert b"".join(chunks).decode("utf-8") == "aäb€\ufffdc\tend\n"
    assert reader.removed == 4


@pytest.mark.parametrize("size", [1, 2, 5, 11, 16 * 1024, -1])
def test_clean_bytes_drops_references_to_illegal_characters_across_read_boundaries(size):
    legal = "&#9;&#10;&#13;&#x20;&#xA;&#228;&#x1F600;&amp;"
    text = f"a&#1;b&#x1F;c&#xFFFE;d&#0011;e&#xd800;{legal}"
    reader = CleanBytes(io.BytesIO(text.encode("utf-8")))
    chunks = []
    while chunk := reader.read(size):
        chunks.append(chunk)
    assert b"".join(chunks).decode("utf-8") == f"abcde{legal}"
    assert reader.removed == 5


def test_wordpress_export_with_control_characters_is_read_without_them(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT.read_text(encoding="utf-8")
        .replace("<strong>Kunden</strong>", "<strong>Kun\x02den</strong>\x0b")
        .replace("Ich finde den Artikel", "Ich\x1b finde\ufffe den Artikel"),
        encoding="utf-8",
    )
    items = list(WXRReader(export).items())
    texts = [i.content for i in items] + [c.content for i in items for c in i.comments]
    assert any("<strong>Kunden</strong>" in text for text in texts)
    assert any("Ich finde den Artikel" in text for text in texts)
    assert not any(clean_text(text)[1] for text in texts)
