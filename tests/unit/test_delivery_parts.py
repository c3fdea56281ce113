"""Small parts of delivery: rate limiter, client address, pacing, progress, newest digest."""

import io
import json

import pytest

from service.issues import DigestError, load_digest, newest_issue
from service.limiter import Limiter
from service.sender import Pacer, Progress, SendSummary


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_rate_limiter_window_per_client_and_off_switch():
    clock = Clock()
    limiter = Limiter(3, clock=clock)
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b")
    assert [limiter.hit("c", per_minute=1) for _ in range(2)] == [True, False]  # per route
    clock.now += 61
    assert limiter.hit("a")
    off = Limiter(0, clock=clock)
    assert all(off.hit("a") for _ in range(1000))


def test_rate_limiter_forgets_idle_clients():
    clock = Clock()
    limiter = Limiter(5, clock=clock)
    for n in range(100):
        limiter.hit(f"10.0.0.{n}")
    clock.now += 120
    limiter.hit("x")
    assert set(limiter._hits) == {"x"}


def test_pacer_spaces_messages():
    clock = Clock()
    pacer = Pacer(4, clock=clock, sleep=clock.sleep)
    for _ in range(9):
        pacer.wait()
    assert clock.now == pytest.approx(1002.0)  # 9 messages at 4/s: 8 gaps of 0.25 s
    unlimited = Pacer(0, clock=clock, sleep=clock.sleep)
    unlimited.wait()
    assert clock.now == pytest.approx(1002.0)


def test_progress_without_a_terminal_prints_every_tenth():
    summary = SendSummary("2026-kw48", total=50)
    stream = io.StringIO()
    progress = Progress(summary, stream)
    for _ in range(50):
        summary.sent += 1
        progress.update()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("2026-kw48: 50/50 · gesendet 50")
    assert summary.line() == (
        "gesendet: 50, bereits gesendet: 0, endgültig fehlgeschlagen: 0, später erneut: 0"
    )


def digest(output, issue):
    folder = output / "newsletter" / issue
    folder.mkdir(parents=True)
    (folder / "digest.json").write_text(
        json.dumps(
            {
                "issue": issue,
                "subject": f"Ausgabe {issue}",
                "html": "email.html",
                "text": "email.txt",
                "unsubscribe_placeholder": "%%UNSUBSCRIBE_URL%%",
            }
        )
    )
    (folder / "email.html").write_text("<a href='%%UNSUBSCRIBE_URL%%'>x</a>")
    (folder / "email.txt").write_text("%%UNSUBSCRIBE_URL%%")
    return folder


def test_newest_digest_is_the_largest_year_and_week(tmp_path):
    for issue in ("2025-kw52", "2026-kw01", "2026-kw10", "2026-kw09"):
        digest(tmp_path, issue)
    (tmp_path / "newsletter" / "feed.xml").write_text("")
    (tmp_path / "newsletter" / "archiv").mkdir()
    assert newest_issue(tmp_path) == "2026-kw10"
    assert load_digest(tmp_path).subject == "Ausgabe 2026-kw10"
    assert load_digest(tmp_path, "2025-kw52").issue == "2025-kw52"


def test_unsendable_digests_are_refused_with_the_reason(tmp_path):
    with pytest.raises(DigestError, match="make html"):
        load_digest(tmp_path)
    with pytest.raises(DigestError, match="JJJJ-kwWW"):
        load_digest(tmp_path, "../../etc")
    folder = digest(tmp_path, "2026-kw48")
    (folder / "email.txt").write_text("kein Platzhalter")
    with pytest.raises(DigestError, match="keinen Abmeldelink"):
        load_digest(tmp_path, "2026-kw48")
    (folder / "digest.json").write_text("{")
    with pytest.raises(DigestError, match="unvollständig oder unlesbar"):
        load_digest(tmp_path, "2026-kw48")
