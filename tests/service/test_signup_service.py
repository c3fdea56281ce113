"""The reader service's sign-up over real HTTP on 127.0.0.1 (Werkzeug's threaded server in
a thread), its mails through the outbox to aiosmtpd on loopback: answers, bad input,
tokens, rate limit, SMTP outage, concurrency."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup

from service import signing
from service.config import ConfigError
from tests.support.delivery import (
    SECRET,
    RunningService,
    confirm,
    http,
    only_url,
    unsubscribe_token,
    wait_until,
)


def rows(service) -> int:
    with service.store() as store:
        return store.db.execute("SELECT count(*) FROM subscribers").fetchone()[0]


def nothing_stored(service) -> bool:
    """No subscriber and no queued sign-up."""
    with service.store() as store:
        queued = store.db.execute("SELECT count(*) FROM signup_requests").fetchone()[0]
    return rows(service) == 0 and queued == 0


def confirm_token(service, smtp, index: int = -1) -> str:
    return only_url(smtp.handler.messages[index].message().get_content()).split("token=", 1)[1]


def test_pages_are_german_and_extend_the_site_theme(service):
    reply = http(f"{service.url}/subscribe")
    assert reply.status == 200
    soup = BeautifulSoup(reply.text, "lxml")
    assert soup.html["lang"] == "de"
    assert soup.find("link", rel="stylesheet")["href"] == (
        "https://www.ideequadrat.org/theme/css/site.css"
    )
    # the theme's header, navigation and footer
    assert "IdeeQuadrat" in soup.select_one("header.site-header a[rel=home]").get_text()
    assert soup.select_one("footer.site-footer a[href$='/datenschutz/']")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    form = soup.find("form", class_="newsletter-form")
    assert form["method"] == "post" and form.find("input", attrs={"name": "email"})
    assert form["action"] == f"{service.url}/subscribe"
    assert form.find("input", attrs={"name": "website"})  # the honeypot
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in reply.headers
    assert not soup.find("script")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("kein-at-zeichen", "keine gültige E-Mail-Adresse"),
        ("leser@localhost", "kein Domainname"),
        ("leser@@example.org", "keine gültige E-Mail-Adresse"),
        ("a b@example.org", "unzulässige Zeichen"),
        ("", "Bitte gib Deine E-Mail-Adresse ein"),
        ("x" * 250 + "@example.org", "zu lang"),
        ("leser@example.org\r\nBcc: alle@example.org", "Zeilenumbruch"),
        ("leser@example.org\nSubject: Spam", "Zeilenumbruch"),
    ],
)
def test_bad_input_gets_a_german_400_page(service, smtp, email, message):
    reply = service.subscribe(email)
    assert reply.status == 400
    assert message in reply.text
    assert "Das hat leider nicht geklappt" in reply.text
    assert "Traceback" not in reply.text
    assert nothing_stored(service)
    assert smtp.handler.accepted == 0


def test_over_long_and_undecodable_bodies_are_refused(service):
    too_long = http(f"{service.url}/subscribe", data={"email": "a@example.org", "x": "y" * 5000})
    assert too_long.status == 400 and "zu lang" in too_long.text
    huge = http(f"{service.url}/subscribe", data={"email": "a@example.org", "x": "y" * 200_000})
    assert huge.status == 413 and "zu lang" in huge.text
    bad_utf8 = http(f"{service.url}/subscribe", data=b"email=leser%FF%FE%40example.org")
    assert bad_utf8.status == 400 and "ungültige Zeichen" in bad_utf8.text
    binary = http(f"{service.url}/subscribe", data=b"\x00\xff\xfe garbage")
    assert binary.status == 400
    assert nothing_stored(service)
    assert http(f"{service.url}/healthz").text == "ok\n"  # still serving


def test_tampered_expired_and_misused_tokens_are_rejected(tmp_path, smtp):
    with RunningService(tmp_path, smtp_port=smtp.port) as service:
        service.subscribe("token@example.org")
        assert wait_until(lambda: smtp.handler.accepted == 1)
        token = confirm_token(service, smtp)
        with service.store() as store:
            subscriber = store.subscriber_by_email("token@example.org")
        signer = signing.Signer([SECRET])

        def confirm_post(value: str):
            return http(f"{service.url}/confirm", data={"token": value})

        payload, stamp, signature = token.split(".")
        # (not the last character: its low bits are base64 padding, ignored when decoding)
        other = "A" if signature[10] != "A" else "B"
        flipped = f"{payload}.{stamp}.{signature[:10]}{other}{signature[11:]}"
        forged_id = signing.Signer(["ein-anderer-schluessel"]).sign(
            signing.CONFIRM, [subscriber.id, subscriber.generation]
        )
        for value in (flipped, forged_id, "", "abc", "1.2.3", token[:-5], "x" * 1000):
            for reply in (http(f"{service.url}/confirm?token={value}"), confirm_post(value)):
                assert reply.status == 400, value
                assert "Dieser Link ist ungültig" in reply.text
        wrong_purpose = signing.unsubscribe_token(signer, subscriber.id)
        assert confirm_post(wrong_purpose).status == 400
        expired = signing.Signer([SECRET], clock=lambda: time.time() - 8 * 86400).sign(
            signing.CONFIRM, [subscriber.id, subscriber.generation]
        )
        reply = confirm_post(expired)
        assert reply.status == 400 and "abgelaufen" in reply.text
        confirm_as_unsubscribe = http(f"{service.url}/unsubscribe?token={token}", data=b"")
        assert confirm_as_unsubscribe.status == 400
        with service.store() as store:
            assert store.subscriber(subscriber.id).status == "pending"
        assert confirm_post(token).status == 200  # the real one still works
        again = confirm_post(token)  # and again: already confirmed
        assert again.status == 200 and "schon bestätigt" in again.text
        with service.store() as store:
            assert store.subscriber(subscriber.id).status == "confirmed"


def test_unsubscribe_tokens_do_not_expire(service):
    with service.store() as store:
        request = store.request_subscription(
            "alt@example.org", now=time.time(), consent_version="v"
        )
        store.confirm(request.subscriber_id, now=time.time())
    last_year = signing.Signer([SECRET], clock=lambda: time.time() - 400 * 86400)
    token = signing.unsubscribe_token(last_year, request.subscriber_id)
    reply = http(f"{service.url}/unsubscribe?token={token}", data=b"List-Unsubscribe=One-Click")
    assert reply.status == 200
    with service.store() as store:
        assert store.subscriber(request.subscriber_id).status == "unsubscribed"


def test_rate_limit_per_client_behind_the_proxy(tmp_path, smtp):
    with RunningService(
        tmp_path, smtp_port=smtp.port, NEWSLETTER_RATE_LIMIT=3, NEWSLETTER_PROXY_COUNT=1
    ) as service:

        def from_client(address: str, email: str):
            return http(
                f"{service.url}/subscribe",
                data={"email": email, "website": ""},
                headers={"X-Forwarded-For": f"6.6.6.6, {address}"},
            )

        answers = [from_client("203.0.113.9", f"r{n}@example.org").status for n in range(3)]
        limited = from_client("203.0.113.9", "r9@example.org")
        assert answers == [200, 200, 200]
        assert limited.status == 429
        assert limited.headers["Retry-After"] == "60"
        assert "Zu viele Anfragen" in limited.text
        # another client behind the same proxy is not limited (the header is trusted once)
        assert from_client("203.0.113.10", "r10@example.org").status == 200
        token = unsubscribe_token(service.config, 1)
        unsubscribe = http(
            f"{service.url}/unsubscribe?token={token}",
            data=b"",
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert unsubscribe.status == 200  # never limited
        assert wait_until(lambda: rows(service) == 4)


def test_concurrent_sign_ups_lose_nothing(service, smtp):
    addresses = [f"viele{n}@example.org" for n in range(24)]
    requests = addresses + addresses[:8]  # some twice, at the same time
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda a: service.subscribe(a).status, requests))
    assert statuses == [200] * len(requests)

    def stored() -> set[str]:
        with service.store() as store:
            rows = store.db.execute("SELECT email FROM subscribers WHERE status = 'pending'")
            return {row[0] for row in rows}

    assert wait_until(lambda: stored() == set(addresses))
    assert rows(service) == len(addresses)
    # one confirmation mail per address: the second request falls in the interval
    assert wait_until(lambda: smtp.handler.accepted == len(addresses))
    assert service.settled()
    assert smtp.handler.accepted == len(addresses)
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.messages) == sorted(addresses)


def test_unknown_paths_and_methods_get_german_pages(service):
    missing = http(f"{service.url}/wp-login.php")
    assert missing.status == 404 and "Diese Seite gibt es nicht" in missing.text
    wrong = http(f"{service.url}/healthz", data=b"x=1")
    assert wrong.status == 405 and wrong.headers["Allow"] == "GET, HEAD"
    no_prefix = http(f"{service.root}/subscribe")
    assert no_prefix.status == 200  # a proxy that strips /newsletter works as well


def test_no_secret_no_service(tmp_path, smtp, monkeypatch):
    monkeypatch.delenv("NEWSLETTER_SECRET", raising=False)
    with pytest.raises(ConfigError, match="NEWSLETTER_SECRET"):
        RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET="")


def test_a_confirm_link_opened_by_a_reader_confirms_through_the_button(service, smtp):
    service.subscribe("knopf@example.org")
    assert wait_until(lambda: smtp.handler.accepted == 1)
    reply = confirm(only_url(smtp.handler.messages[0].message().get_content()))
    assert reply.status == 200 and "Deine Anmeldung ist bestätigt" in reply.text
    with service.store() as store:
        assert store.subscriber_by_email("knopf@example.org").status == "confirmed"
