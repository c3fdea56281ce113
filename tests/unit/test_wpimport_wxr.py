"""Reading WXR files (wpimport.wxr) and deciding what happens to each item (wpimport.plan)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from wpimport import plan
from wpimport.wxr import Comment, Item, WXRError, WXRReader

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wxr"
EXPORT = FIXTURES / "export.xml"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def items() -> dict[int, Item]:
    return {item.post_id: item for item in WXRReader(EXPORT).items()}


def read_all(path: Path) -> list[Item]:
    return list(WXRReader(path).items())


def test_channel_and_items(tmp_path):
    reader = WXRReader(EXPORT)
    found = list(reader.items())
    channel = reader.channel
    assert channel.version == "1.2"
    assert channel.title == "IdeeQuadrat (alt)"
    assert channel.base_blog_url == "https://alt.example.org"
    assert channel.authors["hendrik"].id == 1
    assert channel.authors["hendrik"].display_name == "Hendrik Epe"
    assert channel.item_count == len(found) == EXPORT.read_text().count("<item>")


def test_item_fields(items):
    post = items[10]
    assert post.title == "Für wen machen wir das eigentlich?"
    assert post.post_type == "post" and post.status == "publish"
    assert post.post_name == "fuer-wen-machen-wir-das-eigentlich"
    assert post.date == "2015-06-19 08:30:00" and post.date_gmt == "2015-06-19 06:30:00"
    assert post.categories == ["Organisationsentwicklung", "Soziale Arbeit"]
    assert post.tags == ["Sinn", "Kundenorientierung"]
    assert post.thumbnail_id == 50
    assert "[caption" in post.content and "<!--more-->" in post.content
    assert post.creator == "hendrik"
    assert len(post.comments) == 11
    first = post.comments[0]
    assert (first.id, first.author, first.parent, first.user_id) == (101, "Kevin", 0, 0)
    assert first.approved == "1" and first.type == "comment"
    assert items[50].attachment_url.endswith("/wp-content/uploads/2015/06/affe.jpg")
    assert items[50].meta["_wp_attachment_image_alt"].startswith("Ein Affe")


def test_cdata_split_by_wordpress_is_joined(items):
    assert "print(a[b[0]]>1)" in items[11].content


def test_no_address_is_ever_read(items):
    fields = {field.name for field in dataclasses.fields(Comment)}
    assert not fields & {"author_email", "author_ip", "email", "ip", "meta"}
    # Kevin's address and IP are only in the e-mail and IP fields and in Akismet's meta.
    for item in items.values():
        for comment in item.comments:
            for value in dataclasses.astuple(comment):
                assert "kevin@mail.example" not in str(value)
                assert "192.0.2.10" not in str(value)


def test_wxr_1_1_is_read(tmp_path):
    older = tmp_path / "export-1.1.xml"
    older.write_text(
        EXPORT.read_text(encoding="utf-8")
        .replace("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/")
        .replace("<wp:wxr_version>1.2<", "<wp:wxr_version>1.1<"),
        encoding="utf-8",
    )
    reader = WXRReader(older)
    assert len(list(reader.items())) == 15
    assert reader.channel.version == "1.1"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-xml.xml", "keine XML-Datei"),
        ("plain-rss.xml", "keinen wp:wxr_version-Eintrag"),
        ("truncated.xml", "unvollständig (abgeschnitten?)"),
        ("wxr-2.0.xml", "WXR-Version „2.0“ wird nicht unterstützt"),
    ],
)
def test_bad_files(name, message):
    with pytest.raises(WXRError) as caught:
        read_all(FIXTURES / name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "die Datei ist leer"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "das Wurzelelement ist <feed>"),
        ("<rss><channel><title>a & b</title></channel></rss>", "kein gültiges XML: Zeile 1"),
        ("<rss><channel></channel></rss>", "keinen wp:wxr_version-Eintrag"),
        (
            "<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel><item><title>x</title>"
            "</item><wp:wxr_version>1.2</wp:wxr_version></channel></rss>",
            "keinen wp:wxr_version-Eintrag",
        ),
    ],
)
def test_bad_content(tmp_path, text, message):
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WXRError, match=message):
        read_all(path)


def test_missing_file(tmp_path):
    with pytest.raises(WXRError, match="sie existiert nicht"):
        read_all(tmp_path / "fehlt.xml")


# --- statuses -------------------------------------------------------------------------


def item(**values) -> Item:
    defaults = {"post_type": "post", "status": "publish", "post_id": 1, "title": "T"}
    return Item(**{**defaults, **values})


@pytest.mark.parametrize(
    ("values", "kind", "draft", "reason"),
    [
        ({}, "article", False, ""),
        ({"post_type": "page"}, "page", False, ""),
        ({"status": "draft"}, "article", True, ""),
        ({"status": "private"}, "skip", False, "privat; mit --include-private"),
        ({"status": "pending"}, "skip", False, "wartet auf Freigabe"),
        ({"status": "future"}, "skip", False, "geplant"),
        ({"password": "geheim"}, "skip", False, "passwortgeschützt"),
        ({"status": "trash"}, "skip", False, "im Papierkorb"),
        ({"status": "auto-draft"}, "skip", False, "automatischer Entwurf"),
        ({"status": "seltsam"}, "skip", False, "unbekannter Status „seltsam“"),
        ({"post_type": "attachment", "status": "inherit"}, "skip", False, "Mediendatei"),
        ({"post_type": "nav_menu_item"}, "skip", False, "weder Beitrag noch Seite"),
        ({"post_type": "product"}, "skip", False, "weder Beitrag noch Seite"),
    ],
)
def test_decide(values, kind, draft, reason):
    decision = plan.decide(item(**values), include_private=False)
    assert (decision.kind, decision.draft) == (kind, draft)
    assert reason in decision.reason


@pytest.mark.parametrize("status", ["private", "pending", "future"])
def test_include_private_imports_as_draft(status):
    decision = plan.decide(item(status=status), include_private=True)
    assert decision.kind == "article" and decision.draft
    assert "als Entwurf übernommen" in decision.reason
    protected = plan.decide(item(password="x"), include_private=True)
    assert protected.draft and "passwortgeschützt" in protected.reason


def test_comment_statuses():
    def reason(**values):
        base = Comment(1, "A", "", "", "", "Text", "1", "", 0, 0)
        return plan.comment_skip_reason(dataclasses.replace(base, **values))

    assert reason() is None
    assert reason(type="comment") is None
    assert reason(approved="spam") == "Spam"
    assert reason(approved="0") == "wartet auf Freigabe"
    assert reason(approved="trash") == "im Papierkorb"
    assert reason(approved="post-trashed") == "im Papierkorb"
    assert reason(type="pingback") == "Pingback"
    assert reason(type="trackback") == "Trackback"
    assert reason(approved="spam", type="pingback") == "Spam"
    assert reason(type="webmention") == "Kommentartyp „webmention“"


# --- dates ----------------------------------------------------------------------------


def test_date_from_gmt_keeps_the_wordpress_wall_time():
    date = plan.aware("2015-06-19 08:30:00", "2015-06-19 06:30:00", BERLIN)
    assert date.isoformat() == "2015-06-19T08:30:00+02:00"
    assert date.astimezone(UTC) == datetime(2015, 6, 19, 6, 30, tzinfo=UTC)


def test_date_of_a_blog_on_utc_keeps_its_month():
    date = plan.aware("2015-06-30 23:30:00", "2015-06-30 23:30:00", BERLIN)
    assert date.isoformat() == "2015-06-30T23:30:00+00:00"  # /2015/06/, as on WordPress


def test_draft_dates_are_local_time_in_the_timezone():
    winter = plan.aware("2016-01-10 09:15:00", "0000-00-00 00:00:00", BERLIN)
    summer = plan.aware("2016-07-10 09:15:00", "0000-00-00 00:00:00", BERLIN)
    assert winter.isoformat() == "2016-01-10T09:15:00+01:00"
    assert summer.isoformat() == "2016-07-10T09:15:00+02:00"
    assert plan.aware("0000-00-00 00:00:00", "0000-00-00 00:00:00", BERLIN) is None
    assert plan.aware("", "", BERLIN) is None
    assert plan.aware("2016-02-30 10:00:00", "", BERLIN) is None


def test_odd_offsets_fall_back_to_the_timezone():
    date = plan.aware("2015-06-19 08:30:17", "2015-06-19 06:30:00", BERLIN)
    assert date.isoformat() == "2015-06-19T08:30:00+02:00"
    assert date.tzinfo == BERLIN


def test_post_date_falls_back_to_modified():
    entry = item(date="", date_gmt="", modified="2016-01-10 09:15:00", modified_gmt="")
    assert plan.post_date(entry, BERLIN).isoformat() == "2016-01-10T09:15:00+01:00"


def test_comment_date_from_gmt():
    base = Comment(1, "A", "", "2015-06-19 23:14:00", "2015-06-19 19:14:00", "", "1", "", 0, 0)
    assert plan.comment_date(base, BERLIN) == datetime(
        2015, 6, 19, 21, 14, tzinfo=timezone(timedelta(hours=2))
    )
    local_only = dataclasses.replace(base, date_gmt="0000-00-00 00:00:00")
    assert plan.comment_date(local_only, BERLIN).isoformat() == "2015-06-19T23:14:00+02:00"


# --- slugs ----------------------------------------------------------------------------


def test_wp_slug():
    assert plan.wp_slug("fuer-wen") == ("fuer-wen", "")
    slug, note = plan.wp_slug("gr%c3%b6%c3%9fer-schneller-weiter")
    assert slug == "groesser-schneller-weiter"
    assert "größer-schneller-weiter" in note
    assert plan.wp_slug("") == (None, "")
    assert plan.wp_slug("%ff%fe")[0] is None
    assert plan.wp_slug("../etc")[0] is None


def candidate(seq, wanted, fallback="titel", kind="article"):
    date = datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN)
    return plan.Candidate(seq, seq, kind, False, "", "T", wanted, fallback, date)


def test_assign_slugs():
    draft = candidate(1, None, fallback="fuer-wen")
    published = candidate(2, "fuer-wen")
    twin = candidate(3, "fuer-wen")
    page = candidate(4, "fuer-wen", kind="page")
    taken = candidate(5, "impressum", kind="page")
    skipped = plan.assign_slugs(
        [draft, published, twin, page, taken],
        {"article": {}, "page": {"impressum": "content/pages/impressum.md"}},
    )
    assert published.slug == "fuer-wen"  # WordPress's own slug wins over a draft's
    assert twin.slug == "fuer-wen-2" and "mehrfach" in twin.note
    assert draft.slug == "fuer-wen-3"
    assert page.slug == "fuer-wen"  # pages have their own URLs
    assert [(c.seq, "content/pages/impressum.md" in reason) for c, reason in skipped] == [(5, True)]


def test_moved_urls():
    kept = candidate(1, "fuer-wen")
    kept.slug, kept.link = "fuer-wen", "https://alt.example.org/2015/06/fuer-wen/"
    assert plan.moved(kept, "https://alt.example.org") is None
    other = candidate(2, "x")
    other.slug, other.link = "x", "https://alt.example.org/blog/x/"
    assert plan.moved(other, "https://alt.example.org") == ("/blog/x/", "/2015/06/x/")
    sub = candidate(3, "x")
    sub.slug, sub.link = "x", "https://alt.example.org/blog/2015/06/x/"
    assert plan.moved(sub, "https://alt.example.org/blog") is None


def test_site_uploads():
    site = plan.Site("https://www.alt.example.org", "")
    assert site.uploads_path("https://alt.example.org/wp-content/uploads/2015/06/a.jpg") == (
        "2015/06/a.jpg"
    )
    assert site.uploads_path("http://www.alt.example.org/wp-content/uploads/a.jpg?x=1") == "a.jpg"
    assert site.uploads_path("/wp-content/uploads/2015/b%20c.png") == "2015/b c.png"
    assert site.uploads_path("https://other.example/wp-content/uploads/a.jpg") is None
    assert site.uploads_path("https://alt.example.org/wp-content/uploads/../x.jpg") is None
    assert site.uploads_path("https://alt.example.org/2015/06/post/") is None
    assert site.map_url("/wp-content/uploads/2015/b c.png") == (
        "{static}/images/2015/b%20c.png",
        "wp-content/uploads/2015/b c.png",
    )
