"""The SQLite store: schema, subscriber states, consent proof, delivery records."""

import dataclasses
import sqlite3

import pytest

from service.store import MIGRATIONS, ImportRow, Store

T0 = 1_800_000_000.0
DAY = 86400


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "var" / "newsletter.sqlite") as opened:
        yield opened


def confirmed(store, email, now=T0):
    request = store.request_subscription(email, now=now, consent_version="v1")
    assert store.confirm(request.subscriber_id, now=now + 60) == "confirmed"
    return request.subscriber_id


def test_schema_is_created_in_wal_mode_and_opening_again_changes_nothing(tmp_path):
    path = tmp_path / "var" / "n.sqlite"
    with Store(path) as first:
        assert first.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert first.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        confirmed(first, "a@example.org")
    with Store(path) as second:
        assert second.count() == 1
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(deliveries)")}
    assert columns == {
        "issue",
        "subscriber_id",
        "status",
        "message_id",
        "attempts",
        "last_error",
        "updated_at",
    }


def test_consent_proof_is_request_time_confirm_time_and_version(store):
    request = store.request_subscription("leser@example.org", now=T0, consent_version="2026-11-01")
    assert request.send_confirmation
    store.confirm(request.subscriber_id, now=T0 + 3600)
    subscriber = store.subscriber(request.subscriber_id)
    assert subscriber.requested_at == "2027-01-15T08:00:00Z"
    assert subscriber.confirmed_at == "2027-01-15T09:00:00Z"
    assert subscriber.consent_version == "2026-11-01"
    assert subscriber.source == "form"
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(subscribers)")}
    assert not columns & {"ip", "ip_address", "user_agent", "name"}


def test_states_of_a_subscriber(store):
    first = store.request_subscription("a@example.org", now=T0, consent_version="v")
    again = store.request_subscription("A@example.org", now=T0 + 10, consent_version="v")
    assert again.subscriber_id == first.subscriber_id  # case-insensitive
    assert again.send_confirmation and again.generation == first.generation + 1  # a new mail
    old_link = store.confirm(first.subscriber_id, now=T0 + 15, generation=first.generation)
    assert old_link == "replaced"
    assert store.confirm(first.subscriber_id, now=T0 + 20, generation=again.generation) == (
        "confirmed"
    )
    assert store.confirm(first.subscriber_id, now=T0 + 30) == "already"
    known = store.request_subscription("a@example.org", now=T0 + 40, consent_version="v")
    assert not known.send_confirmation
    assert store.unsubscribe(first.subscriber_id, now=T0 + 50)
    assert not store.unsubscribe(first.subscriber_id, now=T0 + 60)
    assert store.confirm(first.subscriber_id, now=T0 + 70) == "gone"  # old link: no
    back = store.request_subscription("a@example.org", now=T0 + 80, consent_version="v2")
    assert back.send_confirmation
    # the link of the first sign-up does not confirm this new one
    assert store.confirm(first.subscriber_id, now=T0 + 85, generation=again.generation) == (
        "replaced"
    )
    subscriber = store.subscriber(first.subscriber_id)
    assert (subscriber.status, subscriber.confirmed_at, subscriber.consent_version) == (
        "pending",
        None,
        "v2",
    )
    assert store.confirm(999, now=T0) == "gone"


def test_confirmation_mails_are_throttled_per_address(store):
    def ask(at: float) -> bool:
        return store.request_subscription(
            "oft@example.org", now=at, consent_version="v", interval=900, per_day=3
        ).send_confirmation

    assert ask(T0)
    assert not ask(T0 + 60)  # within the interval: no mail, no new generation
    assert store.subscriber_by_email("oft@example.org").generation == 1
    assert ask(T0 + 900)
    assert ask(T0 + 1800)
    assert not ask(T0 + 2700)  # the fourth in a day
    assert not ask(T0 + DAY - 1)
    assert ask(T0 + DAY)  # a new day
    assert store.request_subscription(  # other addresses are not affected
        "anders@example.org", now=T0 + 60, consent_version="v", interval=900, per_day=3
    ).send_confirmation


def test_one_store_many_threads_each_with_its_connection(store):
    import threading  # noqa: PLC0415

    seen = []
    together = threading.Barrier(8)

    def work(number: int) -> None:
        seen.append(id(store.db))
        assert store.db is store.db  # one connection per thread
        together.wait()  # all eight alive at once: eight connections
        with store.transaction():
            store.request_subscription(f"t{number}@example.org", now=T0, consent_version="v")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 8
    assert store.count("pending") == 8


def test_stale_pending_sign_ups_are_deleted(store):
    old = store.request_subscription("alt@example.org", now=T0 - 31 * DAY, consent_version="v")
    young = store.request_subscription("neu@example.org", now=T0 - 29 * DAY, consent_version="v")
    kept = confirmed(store, "dabei@example.org", now=T0 - 400 * DAY)
    assert store.delete_stale_pending(older_than_days=30, now=T0) == 1
    assert store.subscriber(old.subscriber_id) is None
    assert store.subscriber(young.subscriber_id).status == "pending"
    assert store.subscriber(kept).status == "confirmed"
    # ids are never reused: an old link can never reach a newer subscriber
    newer = store.request_subscription("neuer@example.org", now=T0, consent_version="v")
    assert newer.subscriber_id > kept


def test_recipients_are_confirmed_only_in_id_order_in_batches(store):
    ids = [confirmed(store, f"r{n}@example.org") for n in range(7)]
    store.request_subscription("pending@example.org", now=T0, consent_version="v")
    store.unsubscribe(ids[3], now=T0)
    got = [r.id for r in store.recipients("2026-kw48", batch_size=2)]
    assert got == [i for i in ids if i != ids[3]]


def test_delivery_marks_and_message_id_kept_across_attempts(store):
    sid = confirmed(store, "d@example.org")
    first = store.begin_delivery("2026-kw48", sid, "<first@x>", now=T0)
    assert first == "<first@x>"
    store.finish_delivery("2026-kw48", sid, "retry", now=T0, error="451 später")
    second = store.begin_delivery("2026-kw48", sid, "<second@x>", now=T0 + 1)
    assert second == "<first@x>"
    assert store.delivery("2026-kw48", sid).status == "sending"
    store.finish_delivery("2026-kw48", sid, "sent", now=T0 + 2)
    delivery = store.delivery("2026-kw48", sid)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "451 später")
    assert store.begin_delivery("2026-kw48", sid, "<third@x>", now=T0 + 3) is None  # final
    assert store.begin_delivery("2026-kw49", sid, "<other@x>", now=T0 + 3) == "<other@x>"
    assert [r.delivery_status for r in store.recipients("2026-kw48")] == ["sent"]


def test_no_delivery_for_unsubscribed_or_pending(store):
    sid = confirmed(store, "weg@example.org")
    store.unsubscribe(sid, now=T0)
    pending = store.request_subscription("p@example.org", now=T0, consent_version="v")
    assert store.begin_delivery("2026-kw48", sid, "<a@x>", now=T0) is None
    assert store.begin_delivery("2026-kw48", pending.subscriber_id, "<b@x>", now=T0) is None
    assert store.delivery("2026-kw48", sid) is None


def test_failed_is_final(store):
    sid = confirmed(store, "f@example.org")
    store.begin_delivery("2026-kw48", sid, "<a@x>", now=T0)
    store.finish_delivery("2026-kw48", sid, "failed", now=T0, error="550 unbekannt")
    assert store.begin_delivery("2026-kw48", sid, "<b@x>", now=T0) is None
    assert store.count_unsent("2026-kw48") == 0


def test_import_outcomes(store):
    row = ImportRow("imp@example.org", "2019-05-04T10:00:00Z", "2019-05-04T10:05:00Z", "alt")
    assert store.import_confirmed(row) == "added"
    assert store.import_confirmed(row) == "exists"
    subscriber = store.subscriber_by_email("imp@example.org")
    assert (subscriber.status, subscriber.source, subscriber.confirmed_at) == (
        "confirmed",
        "import",
        "2019-05-04T10:05:00Z",
    )
    store.unsubscribe(subscriber.id, now=T0)
    assert store.import_confirmed(row) == "unsubscribed"
    assert store.subscriber(subscriber.id).status == "unsubscribed"
    pending = store.request_subscription("p@example.org", now=T0, consent_version="v")
    assert store.import_confirmed(dataclasses.replace(row, email="p@example.org")) == "added"
    assert store.subscriber(pending.subscriber_id).status == "confirmed"
