"""Small parts of delivery: rate limiter, client address, pacing, progress.

(Finding and checking digests: tests/unit/test_digest_manifest.py.)
"""

import io

import pytest

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
