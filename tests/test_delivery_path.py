"""The whole path on loopback: subscribe, confirm, send, read the mail, unsubscribe, skip.

Real SMTP (aiosmtpd on 127.0.0.1) and real HTTP requests to the subscription service.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from rundbrief.digest.manifest import load_digest
from service.sender import DigestSender
from tests.support.delivery import (
    PLACEHOLDER,
    SUBJECT,
    MovableClock,
    RunningService,
    add_confirmed,
    body_text,
    confirm,
    http,
    only_url,
    wait_until,
    write_digest,
)


def send(service, issue):
    config = service.config
    with service.store() as store:
        return DigestSender(config, load_digest(config.digests, issue), store).run()


def check_digest_message(received, service) -> str:
    """Headers and both parts of one received digest; returns its personal URL."""
    raw_headers = received.data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    message = received.message()
    assert parseaddr(message["From"])[1] == "newsletter@ideequadrat.org"
    assert message["To"] == "Leserin@example.org"
    assert message["Date"].datetime is not None
    assert message["Subject"] == SUBJECT
    assert "Subject: IdeeQuadrat =?utf-8?" in raw_headers  # RFC 2047 on the wire
    assert re.fullmatch(r"<[^<>@\s]+@ideequadrat\.org>", message["Message-ID"])
    assert message["List-Id"] == "IdeeQuadrat Newsletter <newsletter.ideequadrat.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<(https?://[^>]+)>, <mailto:([^>?]+)\?[^>]*>", message["List-Unsubscribe"]
    )
    assert match, message["List-Unsubscribe"]
    personal_url, mailto = match.groups()
    assert personal_url.startswith(f"{service.url}/unsubscribe?token=")
    assert mailto == "newsletter@ideequadrat.org"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    text, html = body_text(message, "plain"), body_text(message, "html")
    assert personal_url in text and PLACEHOLDER not in text
    assert f'href="{personal_url}"' in html and PLACEHOLDER not in html
    assert html.count(personal_url) == 2  # every placeholder replaced
    return personal_url


def test_subscribe_confirm_send_unsubscribe_skip(service, smtp):
    handler = smtp.handler
    write_digest(service.config.output_path, "2026-kw48")
    write_digest(service.config.output_path, "2026-kw49", subject="Zweite Ausgabe")

    # 1. subscribe: the same page for everyone, a pending subscriber, a confirmation mail
    reply = service.subscribe("Leserin@Example.ORG")
    assert reply.status == 200
    assert "Fast geschafft" in reply.text
    assert wait_until(lambda: handler.accepted == 1)
    confirmation = handler.messages[0].message()
    assert handler.messages[0].rcpt_tos == ("Leserin@example.org",)  # domain lower-cased
    assert "bestätige" in str(confirmation["Subject"])
    assert confirmation["Auto-Submitted"] == "auto-generated"
    assert not confirmation.is_multipart()  # plain text, nothing but the link
    confirm_url = only_url(confirmation.get_content())
    assert confirm_url.startswith(f"{service.url}/confirm?token=")
    with service.store() as store:
        pending = store.subscriber_by_email("leserin@example.org")
        assert pending.status == "pending"
        assert pending.requested_at and pending.confirmed_at is None
        assert pending.consent_version == service.config.consent_version

    # 2. confirm with the link from the mail: a page with a button, then the button
    reply = confirm(confirm_url)
    assert reply.status == 200
    assert "bestätigt" in reply.text
    with service.store() as store:
        confirmed = store.subscriber(pending.id)
    assert confirmed.status == "confirmed"
    assert confirmed.confirmed_at >= confirmed.requested_at
    assert confirmed.consent_version == service.config.consent_version

    # 3. send the digest (to her and one other reader); 4. read what the server received
    with service.store() as store:
        (other,) = add_confirmed(store, 1)
    summary = send(service, "2026-kw48")
    assert (summary.sent, summary.already, summary.failed, summary.retry) == (2, 0, 0, 0)
    received = handler.received_by("Leserin@example.org")[-1]
    message = received.message()
    personal_url = check_digest_message(received, service)
    with service.store() as store:
        delivery = store.delivery("2026-kw48", pending.id)
    assert delivery.status == "sent"
    assert delivery.message_id == message["Message-ID"]

    # 5. one-click unsubscribe as a mail provider does it: POST, no cookie, no login
    reply = http(
        personal_url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200
    assert "abgemeldet" in reply.text
    with service.store() as store:
        gone = store.subscriber(pending.id)
    assert gone.status == "unsubscribed" and gone.unsubscribed_at

    # 6. the next send skips the address, and only it
    summary = send(service, "2026-kw49")
    assert (summary.sent, summary.already, summary.failed, summary.retry) == (1, 0, 0, 0)
    assert len(handler.received_by("Leserin@example.org")) == 2  # confirmation + kw48
    assert [m.message()["Subject"] for m in handler.received_by(other)] == [
        SUBJECT,
        "Zweite Ausgabe",
    ]


def test_unsubscribe_page_has_a_button_that_posts_one_click(service, smtp):
    write_digest(service.config.output_path)
    service.subscribe("knopf@example.org")
    assert wait_until(lambda: smtp.handler.accepted == 1)
    confirm(only_url(smtp.handler.messages[0].message().get_content()))
    send(service, "2026-kw48")
    list_unsubscribe = smtp.handler.messages[-1].message()["List-Unsubscribe"]
    url = re.match(r"<([^>]+)>", list_unsubscribe)[1]

    page = http(url)  # GET: only a page with a button, nothing changes yet
    assert page.status == 200
    assert re.search(r'<form class="unsubscribe-form" method="post" action="[^"]+">', page.text)
    assert 'name="List-Unsubscribe" value="One-Click"' in page.text
    with service.store() as store:
        assert store.subscriber_by_email("knopf@example.org").status == "confirmed"

    assert http(url, data={"List-Unsubscribe": "One-Click"}).status == 200
    with service.store() as store:
        assert store.subscriber_by_email("knopf@example.org").status == "unsubscribed"


def test_unsubscribed_address_subscribes_again_through_double_opt_in(tmp_path, smtp):
    clock = MovableClock()
    with RunningService(tmp_path, smtp_port=smtp.port, service_options={"clock": clock}) as service:
        subscribe_again(service, smtp, clock)


def subscribe_again(service, smtp, clock):
    write_digest(service.config.output_path)
    service.subscribe("wieder@example.org")
    assert wait_until(lambda: smtp.handler.accepted == 1)
    confirm(only_url(smtp.handler.messages[0].message().get_content()))
    send(service, "2026-kw48")
    url = re.match(r"<([^>]+)>", smtp.handler.messages[-1].message()["List-Unsubscribe"])[1]
    http(url, data=b"List-Unsubscribe=One-Click")

    clock.advance(service.config.confirm_interval)  # one confirmation mail per interval
    reply = service.subscribe("wieder@example.org")
    assert reply.status == 200
    assert wait_until(lambda: smtp.handler.accepted == 3)  # a new confirmation mail
    with service.store() as store:
        again = store.subscriber_by_email("wieder@example.org")
    assert again.status == "pending" and again.confirmed_at is None
    assert confirm(only_url(smtp.handler.messages[-1].message().get_content())).status == 200
    with service.store() as store:
        assert store.subscriber(again.id).status == "confirmed"
