"""The subscription service over real HTTP on 127.0.0.1: answers, bad input, tokens,
rate limit, SMTP outage, concurrency. Confirmation mails go to aiosmtpd on loopback."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup

from service import tokens
from service.config import ConfigError
from tests.support.delivery import (
    SECRET,
    RunningService,
    free_port,
    http,
    only_url,
    wait_until,
)


def rows(service) -> int:
    with service.store() as store:
        return store.db.execute("SELECT count(*) FROM subscribers").fetchone()[0]


def test_pages_are_german_and_use_the_site_css(service):
    reply = http(f"{service.url}/subscribe")
    assert reply.status == 200
    soup = BeautifulSoup(reply.text, "lxml")
    assert soup.html["lang"] == "de"
    assert soup.find("link", rel="stylesheet")["href"] == (
        "https://www.ideequadrat.org/theme/css/site.css"
    )
    form = soup.find("form", class_="newsletter-form")
    assert form["method"] == "post" and form.find("input", attrs={"name": "email"})
    assert form.find("input", attrs={"name": "website"})  # the honeypot
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in reply.headers
    assert not soup.find("script")


def test_the_answer_is_the_same_whatever_the_state_of_the_address(service, smtp):
    first = service.subscribe("wer@example.org")  # new
    assert wait_until(lambda: smtp.handler.accepted == 1)
    pending_again = service.subscribe("wer@example.org")  # still pending: a new mail
    assert wait_until(lambda: smtp.handler.accepted == 2)
    http(only_url(smtp.handler.messages[-1].message().get_content()))
    confirmed = service.subscribe("WER@example.org")  # confirmed: nothing happens
    bot = service.subscribe("bot@example.org", website="http://spam.example")  # honeypot
    answers = {(r.status, r.text) for r in (first, pending_again, confirmed, bot)}
    assert len(answers) == 1
    assert answers.pop()[0] == 200
    time.sleep(0.2)
    assert smtp.handler.accepted == 2  # no mail for the confirmed one nor the bot
    assert rows(service) == 1


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
    assert rows(service) == 0
    assert smtp.handler.accepted == 0


def test_over_long_and_undecodable_bodies_are_refused(service):
    too_long = http(f"{service.url}/subscribe", data={"email": "a@example.org", "x": "y" * 5000})
    assert too_long.status == 400 and "zu lang" in too_long.text
    bad_utf8 = http(f"{service.url}/subscribe", data=b"email=leser%FF%FE%40example.org")
    assert bad_utf8.status == 400 and "ungültige Zeichen" in bad_utf8.text
    binary = http(f"{service.url}/subscribe", data=b"\x00\xff\xfe garbage")
    assert binary.status == 400
    assert rows(service) == 0
    assert http(f"{service.url}/healthz").text == "ok\n"  # still serving


def test_tampered_expired_and_misused_tokens_are_rejected(service, smtp):
    service.subscribe("token@example.org")
    assert wait_until(lambda: smtp.handler.accepted == 1)
    link = only_url(smtp.handler.messages[0].message().get_content())
    token = link.split("token=", 1)[1]
    subscriber_id, issued, signature = token.split(".")
    key = SECRET.encode()

    def confirm(value: str):
        return http(f"{service.url}/confirm?token={value}")

    tampered_id = f"{int(subscriber_id) + 1}.{issued}.{signature}"
    tampered_time = f"{subscriber_id}.{int(issued) + 1}.{signature}"
    flipped = f"{subscriber_id}.{issued}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    for value in (tampered_id, tampered_time, flipped, "", "abc", "1.2.3", token[:-5]):
        reply = confirm(value)
        assert reply.status == 400, value
        assert "Dieser Link ist ungültig" in reply.text
    wrong_purpose = tokens.make_token(key, tokens.UNSUBSCRIBE, int(subscriber_id), time.time())
    assert confirm(wrong_purpose).status == 400
    expired = tokens.make_token(key, tokens.CONFIRM, int(subscriber_id), time.time() - 8 * 86400)
    reply = confirm(expired)
    assert reply.status == 400 and "abgelaufen" in reply.text
    confirm_as_unsubscribe = http(f"{service.url}/unsubscribe?token={token}", data=b"")
    assert confirm_as_unsubscribe.status == 400
    with service.store() as store:
        assert store.subscriber(int(subscriber_id)).status == "pending"
    assert confirm(token).status == 200  # the real one still works
    assert confirm(token).status == 200  # and again (already confirmed)
    with service.store() as store:
        assert store.subscriber(int(subscriber_id)).status == "confirmed"


def test_unsubscribe_tokens_do_not_expire(service):
    with service.store() as store:
        request = store.request_subscription(
            "alt@example.org", now=time.time(), consent_version="v"
        )
        store.confirm(request.subscriber_id, now=time.time())
    last_year = time.time() - 400 * 86400
    token = tokens.make_token(SECRET.encode(), tokens.UNSUBSCRIBE, request.subscriber_id, last_year)
    reply = http(f"{service.url}/unsubscribe?token={token}", data=b"List-Unsubscribe=One-Click")
    assert reply.status == 200
    with service.store() as store:
        assert store.subscriber(request.subscriber_id).status == "unsubscribed"


def test_rate_limit_per_client(tmp_path, smtp):
    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_RATE_LIMIT=3) as service:
        answers = [service.subscribe(f"r{n}@example.org").status for n in range(3)]
        limited = service.subscribe("r9@example.org")
        assert answers == [200, 200, 200]
        assert limited.status == 429
        assert limited.headers["Retry-After"] == "60"
        assert "Zu viele Anfragen" in limited.text
        token = tokens.make_token(SECRET.encode(), tokens.UNSUBSCRIBE, 1, time.time())
        unsubscribe = http(f"{service.url}/unsubscribe?token={token}", data=b"")
        assert unsubscribe.status == 200  # never limited
        assert rows(service) == 3


def test_smtp_outage_keeps_the_subscriber_pending_and_says_try_later(tmp_path):
    with RunningService(tmp_path, smtp_port=free_port()) as service:
        reply = service.subscribe("spaeter@example.org")
        assert reply.status == 503
        assert "versuche es in ein paar Minuten noch einmal" in reply.text
        assert "Traceback" not in reply.text
        with service.store() as store:
            assert store.subscriber_by_email("spaeter@example.org").status == "pending"
        assert http(f"{service.url}/healthz").status == 200


def test_concurrent_sign_ups_lose_nothing(service, smtp):
    addresses = [f"viele{n}@example.org" for n in range(24)]
    requests = addresses + addresses[:8]  # some twice, at the same time
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda a: service.subscribe(a).status, requests))
    assert statuses == [200] * len(requests)
    with service.store() as store:
        stored = {
            row[0]
            for row in store.db.execute("SELECT email FROM subscribers WHERE status = 'pending'")
        }
    assert stored == set(addresses)
    assert wait_until(lambda: smtp.handler.accepted == len(requests))
    assert {r.rcpt_tos[0] for r in smtp.handler.messages} == set(addresses)


def test_unknown_paths_and_methods_get_german_pages(service):
    missing = http(f"{service.url}/wp-login.php")
    assert missing.status == 404 and "Diese Seite gibt es nicht" in missing.text
    wrong = http(f"{service.url}/confirm", data=b"x=1")
    assert wrong.status == 405 and wrong.headers["Allow"] == "GET, HEAD"
    no_prefix = http(service.url.removesuffix("/newsletter") + "/subscribe")
    assert no_prefix.status == 200  # a proxy that strips /newsletter works as well


def test_no_secret_no_service(tmp_path, smtp, monkeypatch):
    monkeypatch.delenv("NEWSLETTER_SECRET", raising=False)
    with pytest.raises(ConfigError, match="NEWSLETTER_SECRET"):
        RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET="")
