"""The weaknesses of the old sign-up, each tried as an attacker would, over real HTTP on
127.0.0.1 with the mails going through the outbox to aiosmtpd on loopback."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bs4 import BeautifulSoup

from service import signing
from tests.support.delivery import (
    SECRET,
    MovableClock,
    RunningService,
    add_confirmed,
    confirm,
    free_port,
    http,
    only_url,
    unsubscribe_token,
    wait_until,
)
from tests.support.rawhttp import post_head, raw_request, read_response
from tests.support.smtpserver import LoopbackSMTP


def state(service, address: str) -> str | None:
    with service.store() as store:
        subscriber = store.subscriber_by_email(address)
    return subscriber.status if subscriber else None


def mails_to(smtp, address: str) -> list:
    return smtp.handler.received_by(address)


def link_in(received) -> str:
    return only_url(received.message().get_content())


def test_same_answer_whatever_the_state_even_with_smtp_down(tmp_path):
    port = free_port()  # nobody listens: the SMTP server is down
    clock = MovableClock()
    with RunningService(tmp_path, smtp_port=port, service_options={"clock": clock}) as service:
        with service.store() as store:
            add_confirmed(store, 1)  # leser0@example.org
            gone = store.request_subscription("weg@example.org", now=clock(), consent_version="v")
            store.unsubscribe(gone.subscriber_id, now=clock())
        clock.advance(service.config.confirm_interval)
        answers = {
            "new": service.subscribe("neu@example.org"),
            "pending": service.subscribe("neu@example.org"),  # again, throttled
            "confirmed": service.subscribe("leser0@example.org"),
            "unsubscribed": service.subscribe("weg@example.org"),
            "bot": service.subscribe("bot@example.org", website="http://spam.example"),
        }
        assert {(reply.status, reply.text) for reply in answers.values()} == {
            (200, answers["new"].text)
        }
        assert "Fast geschafft" in answers["new"].text

        def counts() -> tuple[int, int]:
            with service.store() as store:
                return (
                    store.db.execute("SELECT count(*) FROM subscribers").fetchone()[0],
                    store.db.execute("SELECT count(*) FROM outbox").fetchone()[0],
                )

        # three subscribers (the bot left nothing); two mails (neu@ and weg@) kept while
        # the server is down
        assert wait_until(lambda: counts() == (3, 2))

        with LoopbackSMTP(port=port) as smtp:  # the server comes back: the outbox sends
            assert wait_until(lambda: smtp.handler.accepted == 2, timeout=20)
            assert {r.rcpt_tos for r in smtp.handler.messages} == {
                ("neu@example.org",),
                ("weg@example.org",),
            }
            assert wait_until(lambda: service.app.outbox.counts()["queued"] == 0)
            reply = confirm(link_in(mails_to(smtp, "weg@example.org")[0]))
            assert reply.status == 200
        assert state(service, "weg@example.org") == "confirmed"


def test_the_request_does_the_same_work_whatever_the_state(tmp_path, smtp):
    """With the worker stopped, a sign-up changes nothing but the queue: the answer cannot
    depend on the address's state, not even in its timing."""
    with (
        RunningService(
            tmp_path, smtp_port=smtp.port, service_options={"start_worker": False}
        ) as service,
        service.store() as store,
    ):
        add_confirmed(store, 1)  # leser0@example.org

        def snapshot():
            return (
                store.db.execute("SELECT * FROM subscribers ORDER BY id").fetchall(),
                store.db.execute("SELECT count(*) FROM outbox").fetchone()[0],
            )

        before = snapshot()
        confirmed = service.subscribe("leser0@example.org")
        new = service.subscribe("neu@example.org")
        assert (confirmed.status, confirmed.text) == (new.status, new.text)
        assert snapshot() == before
        queued = store.db.execute("SELECT email FROM signup_requests ORDER BY id")
        assert [row[0] for row in queued] == ["leser0@example.org", "neu@example.org"]
        assert service.app.outbox.run_tasks() == 2  # the worker's turn
        assert store.subscriber_by_email("neu@example.org").status == "pending"
        assert store.subscriber_by_email("leser0@example.org").status == "confirmed"
        assert store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
        assert store.db.execute("SELECT count(*) FROM signup_requests").fetchone()[0] == 0


def test_the_answer_never_waits_for_the_smtp_server(service, smtp):
    smtp.handler.mail_delays = [3.0]  # a slow server: the first MAIL command takes 3 s
    addresses = [f"langsam{n}@example.org" for n in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(service.subscribe, addresses))
    with service.store() as store:
        (reader,) = add_confirmed(store, 1)
        token = unsubscribe_token(service.config, store.subscriber_by_email(reader).id)
    unsubscribe = http(f"{service.url}/unsubscribe?token={token}", data=b"")
    assert [reply.status for reply in replies] == [200] * 12
    assert unsubscribe.status == 200
    assert smtp.handler.accepted == 0  # all answered while the first mail was on its way
    assert wait_until(lambda: smtp.handler.accepted == 12)


def test_confirmation_mails_are_throttled_whatever_the_clients(tmp_path, smtp):
    clock = MovableClock()
    with RunningService(
        tmp_path,
        smtp_port=smtp.port,
        service_options={"clock": clock},
        NEWSLETTER_PROXY_COUNT=1,
        NEWSLETTER_RATE_LIMIT=5,
    ) as service:
        clients = iter(range(100_000))

        def flood(count: int) -> list[int]:
            def one(_: int) -> int:
                number = next(clients)  # a client address never seen before
                return http(
                    f"{service.url}/subscribe",
                    data={"email": "opfer@example.org", "website": ""},
                    headers={
                        "X-Forwarded-For": f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
                    },
                ).status

            with ThreadPoolExecutor(max_workers=8) as pool:
                return list(pool.map(one, range(count)))

        def settled(expected: int) -> int:
            wait_until(lambda: len(mails_to(smtp, "opfer@example.org")) >= expected)
            assert service.settled()
            return len(mails_to(smtp, "opfer@example.org"))

        assert flood(40) == [200] * 40
        assert settled(1) == 1
        clock.advance(service.config.confirm_interval - 60)
        flood(10)
        assert settled(1) == 1  # still within the interval
        clock.advance(60)
        flood(10)
        assert settled(2) == 2
        clock.advance(service.config.confirm_interval)
        flood(10)
        assert settled(3) == 3
        clock.advance(service.config.confirm_interval)
        flood(10)
        assert settled(3) == 3  # three a day
        clock.advance(86400)
        flood(10)
        assert settled(4) == 4
        with service.store() as store:
            count = store.db.execute("SELECT count(*) FROM subscribers").fetchone()[0]
        assert count == 1
        # only the newest of the four links confirms
        links = [link_in(received) for received in mails_to(smtp, "opfer@example.org")]
        for old in links[:-1]:
            assert confirm(old).status == 400
        assert confirm(links[-1]).status == 200


def test_head_and_get_change_nothing(service, smtp):
    service.subscribe("leser@example.org")
    assert wait_until(lambda: smtp.handler.accepted == 1)
    link = link_in(smtp.handler.messages[0])
    for _ in range(3):  # a mail scanner opens the link, with HEAD and GET
        assert http(link, method="HEAD").status == 200
        page = http(link)
        assert page.status == 200
    assert state(service, "leser@example.org") == "pending"
    soup = BeautifulSoup(page.text, "lxml")
    button = soup.select_one("form.confirm-form button")
    assert button.get_text(strip=True) == "Anmeldung bestätigen"
    assert soup.select_one("form.confirm-form")["method"] == "post"

    assert confirm(link).status == 200
    assert state(service, "leser@example.org") == "confirmed"
    with service.store() as store:
        subscriber = store.subscriber_by_email("leser@example.org")
    unsubscribe = (
        f"{service.url}/unsubscribe?token={unsubscribe_token(service.config, subscriber.id)}"
    )
    for _ in range(3):
        assert http(unsubscribe, method="HEAD").status == 200
        assert http(unsubscribe).status == 200
    assert http(f"{service.url}/subscribe?email=get%40example.org").status == 200
    assert state(service, "leser@example.org") == "confirmed"
    assert state(service, "get@example.org") is None
    # the one-click POST still unsubscribes
    assert http(unsubscribe, data=b"List-Unsubscribe=One-Click").status == 200
    assert state(service, "leser@example.org") == "unsubscribed"


def test_an_old_confirm_link_does_not_confirm_a_newer_sign_up(tmp_path, smtp):
    clock = MovableClock()
    with RunningService(tmp_path, smtp_port=smtp.port, service_options={"clock": clock}) as service:
        service.subscribe("wieder@example.org")
        assert wait_until(lambda: smtp.handler.accepted == 1)
        first_link = link_in(smtp.handler.messages[0])
        with service.store() as store:
            subscriber = store.subscriber_by_email("wieder@example.org")
        token = unsubscribe_token(service.config, subscriber.id)
        assert http(f"{service.url}/unsubscribe?token={token}", data=b"").status == 200

        gone = confirm(first_link)  # unsubscribed: the old link is void
        assert gone.status == 410
        assert state(service, "wieder@example.org") == "unsubscribed"

        clock.advance(6 * 86400)  # days later a new sign-up, within the old link's 7 days
        service.subscribe("wieder@example.org")
        assert wait_until(lambda: smtp.handler.accepted == 2)
        second_link = link_in(smtp.handler.messages[1])
        replaced = http(f"{service.url}/confirm", data=parse_token(first_link))
        assert replaced.status == 400 and "gilt nicht mehr" in replaced.text
        assert "gilt nicht mehr" in http(first_link).text  # the page says so, no button
        assert state(service, "wieder@example.org") == "pending"
        assert confirm(second_link).status == 200
        assert state(service, "wieder@example.org") == "confirmed"


def parse_token(link: str) -> dict[str, str]:
    return {"token": re.search(r"token=([^&\s]+)", link)[1]}


def test_key_rotation_keeps_links_already_sent_working(tmp_path, smtp):
    old, new = "alter-schluessel-" + "a" * 16, "neuer-schluessel-" + "n" * 16
    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET=old) as service:
        service.subscribe("dreh@example.org")
        assert wait_until(lambda: smtp.handler.accepted == 1)
        with service.store() as store:
            add_confirmed(store, 1)
            reader = store.subscriber_by_email("leser0@example.org")
        old_unsubscribe = signing.unsubscribe_token(signing.Signer([old]), reader.id)
    old_confirm = link_in(smtp.handler.messages[0])

    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET=[new, old]) as service:
        # links signed with the old key still work
        assert confirm(service.url + "/confirm?" + old_confirm.split("?", 1)[1]).status == 200
        assert state(service, "dreh@example.org") == "confirmed"
        service.subscribe("frisch@example.org")
        assert wait_until(lambda: smtp.handler.accepted == 2)
        fresh = parse_token(link_in(smtp.handler.messages[1]))["token"]
        assert signing.Signer([new]).read(signing.CONFIRM, fresh)  # the new key signs
        rejected_by_old = False
        try:
            signing.Signer([old]).read(signing.CONFIRM, fresh)
        except signing.TokenError:
            rejected_by_old = True
        assert rejected_by_old

    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET=[new]) as service:
        url = f"{service.url}/unsubscribe?token={old_unsubscribe}"
        assert http(url, data=b"").status == 400  # the old key is gone: its links too
        assert state(service, "leser0@example.org") == "confirmed"

    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_SECRET=[new, old]) as service:
        url = f"{service.url}/unsubscribe?token={old_unsubscribe}"
        assert http(url, data=b"List-Unsubscribe=One-Click").status == 200
        assert state(service, "leser0@example.org") == "unsubscribed"
    assert SECRET not in (old, new)


def test_a_stalled_body_gets_408_and_others_are_served_meanwhile(tmp_path, smtp, caplog):
    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_BODY_TIMEOUT=1) as service:
        port = int(service.url.split(":")[2].split("/")[0])
        stalled = [
            raw_request(port, post_head("/newsletter/subscribe", 100), b"email=stau%40exa")
            for _ in range(8)
        ]
        # while eight clients stall, the one-click unsubscribe and a sign-up are served
        with service.store() as store:
            (reader,) = add_confirmed(store, 1)
            subscriber = store.subscriber_by_email(reader)
        token = unsubscribe_token(service.config, subscriber.id)
        assert http(f"{service.url}/unsubscribe?token={token}", data=b"").status == 200
        assert service.subscribe("frei@example.org").status == 200
        for client in stalled:
            answer = read_response(client)
            client.close()
            assert answer.startswith("HTTP/1.1 408"), answer[:200]
            assert "Die Anfrage kam nicht vollständig an" in answer
            assert "Traceback" not in answer
        assert state(service, "stau@example.org") is None
        assert http(f"{service.url}/healthz").text == "ok\n"
    assert not [record for record in caplog.records if record.exc_info]


def test_a_body_dripping_byte_by_byte_is_cut_at_the_deadline(tmp_path, smtp):
    with RunningService(tmp_path, smtp_port=smtp.port, NEWSLETTER_BODY_TIMEOUT=1) as service:
        port = int(service.url.split(":")[2].split("/")[0])
        body = b"email=tropf%40example.org&website=" + b"x" * 400
        client = raw_request(port, post_head("/newsletter/subscribe", len(body)), b"")
        sent = []
        stop = threading.Event()

        def drip() -> None:  # one byte every 0.05 s: each read sees data in time
            for byte in body:
                if stop.is_set():
                    return
                try:
                    client.sendall(bytes([byte]))
                except OSError:
                    return
                sent.append(byte)
                time.sleep(0.05)

        dripper = threading.Thread(target=drip)
        dripper.start()
        answer = read_response(client)
        stop.set()
        dripper.join()
        client.close()
        assert answer.startswith("HTTP/1.1 408"), answer[:200]
        assert len(sent) < len(body)  # the answer came before the body was complete
        assert state(service, "tropf@example.org") is None
