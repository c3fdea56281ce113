"""MIME building: one digest message per subscriber, and the confirmation mail."""

from email import policy
from email.parser import BytesParser

import pytest

from service.message import DigestTemplate, confirmation_message, digest_message

URL = "https://www.ideequadrat.org/newsletter/unsubscribe?token=12.1800000000." + "A" * 43


def build(**overrides):
    arguments = {
        "subject": "IdeeQuadrat Wochenrückblick KW 48/2026: Für wen machen wir das eigentlich?",
        "text": "Hallo\n\nAbmelden: %%U%%\nNoch einmal: %%U%%\n",
        "html_body": '<html><body><a href="%%U%%">Abmelden</a> <a href="%%U%%">x</a></body></html>',
        "placeholder": "%%U%%",
        "unsubscribe_url": URL,
        "unsubscribe_mailto": "newsletter@ideequadrat.org",
        "sender": "IdeeQuadrat <newsletter@ideequadrat.org>",
        "to": "leser@example.org",
        "message_id": "<1.2.3@ideequadrat.org>",
        "list_id": "IdeeQuadrat Wochenrückblick <newsletter.ideequadrat.org>",
        "reply_to": "Hendrik Epe <post@ideequadrat.org>",
    }
    return digest_message(**{**arguments, **overrides})


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def test_headers_on_the_wire():
    data = build()
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")  # 7-bit, CRLF
    assert f"List-Unsubscribe: <{URL}>, <mailto:newsletter@ideequadrat.org?subject=" in head
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
    assert "Subject: IdeeQuadrat =?utf-8?" in head
    assert "List-Id: IdeeQuadrat =?utf-8?" in head  # the display part, encoded
    assert "<newsletter.ideequadrat.org>" in head
    message = parse(data)
    assert message["Subject"].startswith("IdeeQuadrat Wochenrückblick KW 48/2026")
    assert message["Message-ID"] == "<1.2.3@ideequadrat.org>"
    assert message["Reply-To"] == "Hendrik Epe <post@ideequadrat.org>"
    assert message["From"] == "IdeeQuadrat <newsletter@ideequadrat.org>"
    assert message["Date"].datetime.tzinfo is not None


def test_two_alternatives_text_first_and_the_personal_url_in_both():
    message = parse(build())
    assert message.get_content_type() == "multipart/alternative"
    text_part, html_part = list(message.iter_parts())
    assert text_part.get_content_type() == "text/plain"
    assert html_part.get_content_type() == "text/html"
    assert text_part.get_content().count(URL) == 2
    assert html_part.get_content().count(f'href="{URL}"') == 2
    assert "%%U%%" not in text_part.get_content() + html_part.get_content()


def test_url_is_html_escaped_in_the_html_part():
    url = "https://example.org/u?token=1.2.x&a=<b>"
    html_part = list(parse(build(unsubscribe_url=url)).iter_parts())[1]
    assert 'href="https://example.org/u?token=1.2.x&amp;a=&lt;b&gt;"' in html_part.get_content()


TRICKY = (
    "Zeile mit Umlauten: äöüß – „Anführung“ und Emoji 🙂\r\n"
    "=3D ist kein Escape, = auch nicht\n"
    ".\n"
    "..Punkte am Anfang\n"
    "From the start\n"
    "Leerzeichen am Ende   \n"
    "Tab am Ende\t\n"
    + "lang " * 60
    + "\n"
    + "Link: %%U%% mitten im Satz, sehr lang "
    + "x" * 120
    + " %%U%%\n"
    "\n"
    "letzte Zeile ohne Umbruch"
)


def test_quoted_printable_bodies_decode_to_exactly_the_text():
    data = build(text=TRICKY, html_body=TRICKY.replace("Zeile", "<p>Zeile"))
    body = data.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 76
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    text_part, html_part = list(parse(data).iter_parts())
    expected = TRICKY.replace("\r\n", "\n").replace("%%U%%", URL) + "\n"
    # (the parser keeps the wire's CRLF inside decoded bodies)
    assert text_part.get_content().replace("\r\n", "\n") == expected
    assert html_part.get_content().replace("\r\n", "\n") == expected.replace("Zeile", "<p>Zeile")


def test_a_template_renders_each_subscriber_on_its_own():
    template = DigestTemplate(
        subject="Betreff",
        text="Abmelden: %%U%%\n",
        html_body='<a href="%%U%%">x</a>',
        placeholder="%%U%%",
        unsubscribe_mailto="n@example.org",
        sender="n@example.org",
        list_id="<n.example.org>",
    )
    first = parse(
        template.render(to="a@example.org", message_id="<1@x>", unsubscribe_url="https://e/1")
    )
    second = parse(
        template.render(to="b@example.org", message_id="<2@x>", unsubscribe_url="https://e/2")
    )
    assert (first["To"], first["Message-ID"]) == ("a@example.org", "<1@x>")
    assert (second["To"], second["Message-ID"]) == ("b@example.org", "<2@x>")
    assert "https://e/1" in first.get_body(("plain",)).get_content()
    assert "https://e/2" in second.get_body(("html",)).get_content()
    assert "https://e/1" not in second.as_string()
    with pytest.raises(ValueError):
        template.render(
            to="a@example.org\r\nBcc: x@example.org",
            message_id="<3@x>",
            unsubscribe_url="https://e/3",
        )


def test_a_header_url_that_cannot_be_one_line_is_refused():
    with pytest.raises(ValueError, match="List-Unsubscribe"):
        build(unsubscribe_url="https://example.org/" + "x" * 1000)


def test_the_confirmation_mail_holds_only_the_link():
    link = "https://www.ideequadrat.org/newsletter/confirm?token=5.1800000000." + "B" * 43
    message = confirmation_message(
        site_name="IdeeQuadrat",
        confirm_url=link,
        valid_days=7,
        sender="IdeeQuadrat <newsletter@ideequadrat.org>",
        to="leser@example.org",
        message_id="<9@ideequadrat.org>",
    )
    parsed = parse(message.as_bytes())
    assert not parsed.is_multipart()
    body = parsed.get_content()
    assert link in body and body.count("http") == 1
    assert "7 Tage" in body
    assert parsed["Subject"] == "Bitte bestätige Deine Anmeldung zum Newsletter von IdeeQuadrat"
    assert "List-Unsubscribe" not in parsed
