"""Sending against a real SMTP server on 127.0.0.1 that misbehaves; copies are counted
at the server. Every fault ends with each subscriber holding exactly one copy (a kill -9
may add at most one duplicate: the message in flight)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email.utils import parseaddr

import pytest

from rundbrief.digest.manifest import load_digest
from service.config import load_config
from service.sender import EXIT_RETRY_LATER, DigestSender
from service.smtp import SmtpConnection
from service.store import Store
from tests.support.delivery import (
    ROOT,
    RunningService,
    add_confirmed,
    free_port,
    http,
    unsubscribe_token,
    wait_until,
    write_digest,
    write_settings,
)
from tests.support.smtpserver import LoopbackSMTP


@pytest.fixture
def smtp():
    with LoopbackSMTP() as server:
        yield server


def setup_list(tmp_path, smtp_port, count, **overrides):
    config = load_config(write_settings(tmp_path, smtp_port=smtp_port, **overrides))
    write_digest(config.output_path)
    with Store(config.db_path) as store:
        addresses = add_confirmed(store, count)
    return config, addresses


def send(config, *, connection=None):
    with Store(config.db_path) as store:
        digest = load_digest(config.digests)
        return DigestSender(config, digest, store, connection=connection).run()


def copies(smtp, addresses):
    return [smtp.handler.copies[address] for address in addresses]


def statuses(config):
    with Store(config.db_path) as store:
        return dict(store.db.execute("SELECT subscriber_id, status FROM deliveries").fetchall())


def test_connection_dropped_after_n_messages(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 30)
    smtp.handler.drop_after = 7  # every connection dies after its 7th message
    summary = send(config)
    assert (summary.sent, summary.failed, summary.retry) == (30, 0, 0)
    assert copies(smtp, addresses) == [1] * 30
    assert smtp.handler.drops >= 4 and smtp.handler.connections >= 5


def test_451_then_success(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 5)
    smtp.handler.data_replies = ["451 4.3.0 Bitte später noch einmal"]
    summary = send(config)
    assert (summary.sent, summary.failed, summary.retry) == (5, 0, 0)
    assert copies(smtp, addresses) == [1] * 5
    with Store(config.db_path) as store:
        first = store.delivery("2026-kw48", 1)
    assert first.status == "sent" and first.attempts == 2
    assert first.last_error.startswith("451")  # kept: it shows why it took two


def test_550_for_one_recipient_is_recorded_and_not_retried(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 6)
    smtp.handler.rcpt_replies[addresses[2]] = "550 5.1.1 Postfach unbekannt"
    summary = send(config)
    assert (summary.sent, summary.failed, summary.retry) == (5, 1, 0)
    assert copies(smtp, addresses) == [1, 1, 0, 1, 1, 1]
    with Store(config.db_path) as store:
        failed = store.delivery("2026-kw48", 3)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.last_error.startswith("550")

    smtp.handler.rcpt_replies.clear()  # even if the mailbox came back: no retry
    again = send(config)
    assert (again.sent, again.already, again.failed, again.retry) == (0, 5, 1, 0)
    assert copies(smtp, addresses) == [1, 1, 0, 1, 1, 1]


def test_temporary_failures_beyond_the_attempts_are_left_for_a_rerun(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 4, NEWSLETTER_SEND_ATTEMPTS=3)
    smtp.handler.data_replies = ["452 4.2.2 Postfach voll"] * 3
    summary = send(config)
    assert (summary.sent, summary.retry) == (3, 1)
    assert summary.exit_code == EXIT_RETRY_LATER
    assert statuses(config)[1] == "retry"
    assert copies(smtp, addresses) == [0, 1, 1, 1]
    again = send(config)
    assert (again.sent, again.already, again.retry) == (1, 3, 0)
    assert copies(smtp, addresses) == [1, 1, 1, 1]


def test_timeout_is_retried_on_a_new_connection(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 3, NEWSLETTER_SMTP_TIMEOUT=0.3)
    smtp.handler.mail_delays = [1.0]  # the first MAIL is answered too late
    summary = send(config)
    assert (summary.sent, summary.retry) == (3, 0)
    time.sleep(1.0)  # the late transaction never gets DATA: still one copy each
    assert copies(smtp, addresses) == [1, 1, 1]


def test_unreachable_server_aborts_and_a_rerun_delivers(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, free_port(), 5, NEWSLETTER_SEND_ATTEMPTS=2)
    summary = send(config)
    assert summary.aborted and "nicht erreichbar" in summary.aborted
    assert (summary.sent, summary.retry) == (0, 5)
    assert summary.exit_code == EXIT_RETRY_LATER
    config = load_config(write_settings(tmp_path, smtp_port=smtp.port))  # server is back
    again = send(config)
    assert (again.sent, again.retry) == (5, 0)
    assert copies(smtp, addresses) == [1] * 5


def test_a_refused_sender_stops_the_send_without_failing_anyone(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 4)
    smtp.handler.mail_reply = "553 5.7.1 Absender nicht erlaubt"
    summary = send(config)
    assert summary.fatal and summary.exit_code == 1
    assert "NEWSLETTER_FROM" in summary.aborted
    assert (summary.sent, summary.failed, summary.retry) == (0, 0, 4)
    assert set(statuses(config).values()) == {"retry"}
    smtp.handler.mail_reply = ""  # the setting was fixed
    again = send(config)
    assert (again.sent, again.retry) == (4, 0)
    assert copies(smtp, addresses) == [1] * 4


def test_unsubscribe_during_a_send_is_honoured(tmp_path, smtp):
    with RunningService(tmp_path, smtp_port=smtp.port) as service:
        config = service.config
        write_digest(config.output_path)
        with service.store() as store:
            addresses = add_confirmed(store, 10)
        sent_so_far = []

        class Watching(SmtpConnection):
            """After the third message, the last subscriber clicks the one-click link."""

            def send(self, sender, recipient, data):
                super().send(sender, recipient, data)
                sent_so_far.append(recipient)
                if len(sent_so_far) == 3:
                    token = unsubscribe_token(config, 10)
                    reply = http(
                        f"{service.url}/unsubscribe?token={token}",
                        data=b"List-Unsubscribe=One-Click",
                    )
                    assert reply.status == 200

        summary = send(config, connection=Watching(config.smtp))
    assert (summary.sent, summary.unsubscribed) == (9, 1)
    assert copies(smtp, addresses) == [1] * 9 + [0]


def test_pending_and_unsubscribed_never_get_a_digest(tmp_path, smtp):
    config, addresses = setup_list(tmp_path, smtp.port, 3)
    with Store(config.db_path) as store:
        store.request_subscription("offen@example.org", now=time.time(), consent_version="v")
        store.unsubscribe(2, now=time.time())
    summary = send(config)
    assert summary.sent == 2
    assert copies(smtp, [*addresses, "offen@example.org"]) == [1, 0, 1, 0]


def run_cli(config_path, *args, rate="0"):
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TEST_NEWSLETTER_RATE": rate,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "service", "--settings", str(config_path), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_halfway_then_rerun_gives_everyone_one_copy(tmp_path, smtp):
    settings = write_settings(tmp_path, smtp_port=smtp.port)
    config = load_config(settings)
    write_digest(config.output_path)
    with Store(config.db_path) as store:
        addresses = add_confirmed(store, 50)

    for round_number in range(2):  # two kills at different points, then a clean run
        process = run_cli(settings, "send", rate="40")
        target = 12 + 15 * round_number
        assert wait_until(lambda t=target: smtp.handler.accepted >= t, timeout=20)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)
        assert process.returncode == -signal.SIGKILL
    assert smtp.handler.accepted < 50  # the kills really were halfway

    final = run_cli(settings, "send")
    stdout, stderr = final.communicate(timeout=60)
    assert final.returncode == 0, stderr
    assert "später erneut: 0" in stdout

    counts = copies(smtp, addresses)
    assert all(count >= 1 for count in counts), counts
    assert sum(count - 1 for count in counts) <= 2, counts  # at most one duplicate per kill
    assert set(statuses(config).values()) == {"sent"}
    seen = [parseaddr(m.message()["To"])[1] for m in smtp.handler.messages]
    assert sorted(set(seen)) == sorted(addresses)


def test_dry_run_writes_one_eml_per_recipient_and_sends_nothing(tmp_path, smtp):
    settings = write_settings(tmp_path, smtp_port=smtp.port)
    config = load_config(settings)
    write_digest(config.output_path)
    with Store(config.db_path) as store:
        add_confirmed(store, 4)
    process = run_cli(settings, "send", "--dry-run", "--issue", "2026-kw48")
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "4 Nachricht(en)" in stdout and "nichts verschickt" in stdout
    files = sorted((config.outbox / "2026-kw48").glob("*.eml"))
    assert [f.name for f in files] == ["1.eml", "2.eml", "3.eml", "4.eml"]
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in files[0].read_bytes()
    assert smtp.handler.accepted == 0
    assert statuses(config) == {}


def test_send_names_what_is_missing(tmp_path, smtp):
    settings = write_settings(tmp_path, smtp_port=smtp.port)
    missing = run_cli(settings, "send", "--issue", "2026-kw01")
    _, stderr = missing.communicate(timeout=30)
    assert missing.returncode == 2
    assert "Den Wochenrückblick 2026-kw01 gibt es nicht" in stderr
    assert "Traceback" not in stderr
    no_secret = write_settings(tmp_path / "b", smtp_port=smtp.port, NEWSLETTER_SECRET="")
    write_digest(tmp_path / "b" / "output")
    environment_without = run_cli(no_secret, "send")
    _, stderr = environment_without.communicate(timeout=30)
    if "NEWSLETTER_SECRET" not in os.environ:
        assert environment_without.returncode == 2
        assert "NEWSLETTER_SECRET" in stderr and "Traceback" not in stderr
    bad = write_settings(
        tmp_path / "c", smtp_port=smtp.port, NEWSLETTER_SMTP_TLS="tls", NEWSLETTER_RATE=-1
    )
    invalid = run_cli(bad, "send")
    _, stderr = invalid.communicate(timeout=30)
    assert invalid.returncode == 1
    assert "NEWSLETTER_SMTP_TLS = 'tls'" in stderr and "NEWSLETTER_RATE" in stderr
