"""The outbox: every mail of the service is stored first and sent by a worker with retries;
permanent refusals are recorded without the message, old ones are given up. Real SMTP
(aiosmtpd on loopback) and the real command ``python -m service outbox``."""

from __future__ import annotations

import subprocess
from email.message import EmailMessage

from service.config import load_config
from service.outbox import GIVE_UP_AFTER, Outbox
from service.store import Store
from tests.support.delivery import (
    MovableClock,
    free_port,
    run_service,
    wait_until,
    write_settings,
)
from tests.support.smtpserver import LoopbackSMTP


def message(to: str, subject: str = "Hallo") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "newsletter@ideequadrat.org"
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content("Text\n")
    return mail


def rows(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT recipient, status, attempts, data IS NULL, last_error FROM outbox ORDER BY id"
    ).fetchall()


def test_the_worker_retries_temporary_failures_and_records_permanent_ones(tmp_path, smtp):
    config = load_config(write_settings(tmp_path, smtp_port=smtp.port))
    smtp.handler.data_replies = ["451 4.3.0 später", "451 4.3.0 später"]
    smtp.handler.rcpt_replies = {"nie@example.org": "550 5.1.1 gibt es nicht"}
    with Store(config.db_path) as store:
        outbox = Outbox(store, config)
        outbox.start()
        try:
            outbox.enqueue(message("eins@example.org"), "test")
            outbox.enqueue(message("nie@example.org"), "test")
            outbox.enqueue(message("zwei@example.org"), "test")
            assert wait_until(lambda: outbox.counts()["queued"] == 0)
        finally:
            outbox.stop()
        assert sorted(smtp.handler.copies.items()) == [
            ("eins@example.org", 1),
            ("zwei@example.org", 1),
        ]
        ((recipient, status, attempts, no_data, error),) = rows(store)  # sent ones are gone
        assert (recipient, status, attempts, no_data) == ("nie@example.org", "failed", 1, True)
        assert error.startswith("550")


def test_a_message_that_cannot_go_out_for_days_is_given_up(tmp_path):
    config = load_config(write_settings(tmp_path, smtp_port=free_port()))
    clock = MovableClock()
    with Store(config.db_path) as store:
        outbox = Outbox(store, config, clock=clock)
        outbox.enqueue(message("warten@example.org"), "test")
        first = outbox.send_due()
        assert (first.sent, first.retry, first.failed) == (0, 1, 0)
        clock.advance(GIVE_UP_AFTER)
        last = outbox.send_due()
        assert (last.sent, last.retry, last.failed) == (0, 0, 1)
        ((_, status, attempts, no_data, error),) = rows(store)
        assert (status, attempts, no_data) == ("failed", 2, True)
        assert "aufgegeben" in error


def test_unusable_recipient_is_failed_not_retried(tmp_path, smtp):
    config = load_config(write_settings(tmp_path, smtp_port=smtp.port))
    with Store(config.db_path) as store:
        outbox = Outbox(store, config)
        outbox.enqueue(message("gut@example.org"), "test")
        store.db.execute(
            "INSERT INTO outbox (kind, sender, recipient, data, due_at, created_at) "
            "VALUES ('test', 'newsletter@ideequadrat.org', 'ä@exämple.org', x'41', 0, 0)"
        )
        outbox.enqueue(message("auch@example.org"), "test")
        run = outbox.send_all_due()
        assert (run.sent, run.failed, run.retry) == (2, 1, 0)
        assert [row[1] for row in rows(store)] == ["failed"]


def run_outbox(settings) -> subprocess.CompletedProcess:
    return run_service(settings, "outbox", timeout=60)


def test_the_outbox_command(tmp_path):
    port = free_port()
    settings = write_settings(tmp_path, smtp_port=port, NEWSLETTER_RETRY_DELAY=0.001)
    config = load_config(settings)
    with Store(config.db_path) as store:
        Outbox(store, config).enqueue(message("cli@example.org"), "test")
    down = run_outbox(settings)
    assert down.returncode == 75, down.stderr
    assert "wartend: 1" in down.stdout
    assert "Traceback" not in down.stderr
    with LoopbackSMTP(port=port) as smtp:
        up = run_outbox(settings)
        assert up.returncode == 0, up.stderr
        assert "gesendet 1" in up.stdout and "wartend: 0" in up.stdout
        assert smtp.handler.copies["cli@example.org"] == 1
