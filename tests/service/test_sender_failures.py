"""A stored address the sender cannot use is recorded as failed for good; every other
subscriber still gets the digest, on the first run and on every re-run, with no traceback.
The real command (``python -m service send``) against aiosmtpd on loopback."""

from __future__ import annotations

import subprocess

from service.config import load_config
from service.store import Store
from tests.support.delivery import add_confirmed, run_service, write_digest, write_settings

UNUSABLE = (
    "leserin@exämple.org",  # not ASCII: no header, no RCPT TO can carry it
    "zwei\r\nBcc: alle@example.org",  # a line break (header injection)
    "ümlaut@example.org",
)


def run_send(settings) -> subprocess.CompletedProcess:
    return run_service(settings, "send")


def test_unusable_addresses_fail_for_good_and_the_send_goes_on(tmp_path, smtp):
    settings = write_settings(tmp_path, smtp_port=smtp.port)
    config = load_config(settings)
    write_digest(config.output_path)
    with Store(config.db_path) as store:
        good = add_confirmed(store, 3)
        for number, address in enumerate(UNUSABLE):
            # as an old import or a hand edit may have left them: straight into the table
            store.db.execute(
                "INSERT INTO subscribers (email, status, requested_at, confirmed_at, source) "
                "VALUES (?, 'confirmed', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'x')",
                (address,),
            )
            good += add_confirmed(store, 1, start=10 + number)
    first = run_send(settings)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr + first.stdout
    assert "endgültig fehlgeschlagen: 3" in first.stdout
    assert "unbrauchbare Adressen: 3" in first.stdout
    assert "gesendet: 6" in first.stdout
    assert sorted(smtp.handler.copies) == sorted(address.lower() for address in good)
    assert set(smtp.handler.copies.values()) == {1}
    with Store(config.db_path) as store:
        statuses = dict(
            store.db.execute(
                "SELECT s.email, d.status FROM deliveries AS d "
                "JOIN subscribers AS s ON s.id = d.subscriber_id"
            ).fetchall()
        )
    assert {statuses[address] for address in UNUSABLE} == {"failed"}
    assert {statuses[address] for address in good} == {"sent"}

    again = run_send(settings)  # the re-run: nothing new, nothing twice, no traceback
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr + again.stdout
    assert "gesendet: 0, bereits gesendet: 6, endgültig fehlgeschlagen: 3" in again.stdout
    assert set(smtp.handler.copies.values()) == {1}  # (the command has finished)


def test_a_bad_address_argument_exits_with_2(tmp_path, smtp):
    settings = write_settings(tmp_path, smtp_port=smtp.port)
    result = run_service(settings, "unsubscribe", "kein", timeout=60)
    assert result.returncode == 2
    assert "keine gültige E-Mail-Adresse" in result.stderr
    assert "Traceback" not in result.stderr
