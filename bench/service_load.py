"""Load on the reader service as `make newsletter-server` runs it (gunicorn, gthread):
sign-ups from 32 clients at once, then a burst of parallel connections, then comment posts.

    .venv/bin/python bench/service_load.py                   # 1,000 addresses, each twice
    .venv/bin/python bench/service_load.py --addresses 3000 --clients 32 --burst 200

The service runs in a child process (`python -m service serve`) with a fresh SQLite file
behind NEWSLETTER_PROXY_COUNT = 1; every request comes from another client address
(X-Forwarded-For), so the per-client rate limit does not hide anything. Each address is
posted twice, by two clients at about the same time, on a new connection each. The
confirmation mails go through the service's outbox to a loopback SMTP server (aiosmtpd)
in this process. Bounded: a fixed number of requests, then the outbox is drained.

Comment posts (``--comments``, default 500): each a different text with a valid form stamp
(fetched first, then 3 s waited, as a reader types), each posted twice by two clients;
each must give exactly one pending comment and one mail to the author.

Reported: requests per second, p50/p99 latency, errors (anything but 200, or no answer),
subscriber rows per address and confirmation mails per address (both must be exactly 1),
and for the burst: how many of the parallel connections got an answer.
Target on 2 cores: at least 100 sign-ups/s with p99 under 500 ms and no errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rundbrief.comments_manifest import ArticleEntry, write_manifest  # noqa: E402
from tests.support.smtpserver import FaultyHandler, LoopbackSMTP  # noqa: E402


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def line(self) -> str:
        count = len(self.latencies) + sum(self.errors.values())
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return (
            f"{self.name}: {count} Anfragen in {self.seconds:.2f} s = "
            f"{count / self.seconds:.0f}/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"Fehler {sum(self.errors.values())} {self.errors or ''}".rstrip()
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(folder: Path, *, port: int, smtp_port: int) -> Path:
    settings = folder / "conf.py"
    settings.write_text(
        "\n".join(
            [
                'SITENAME = "IdeeQuadrat"',
                'SITEURL_ABSOLUTE = "https://www.ideequadrat.org"',
                f"THEME = {str(ROOT / 'theme')!r}",
                'NEWSLETTER_DB = "newsletter.sqlite"',
                f"NEWSLETTER_SECRET = {'bench-' + 'x' * 32!r}",
                'NEWSLETTER_SMTP_HOST = "127.0.0.1"',
                f"NEWSLETTER_SMTP_PORT = {smtp_port}",
                f'NEWSLETTER_SERVICE_URL = "http://127.0.0.1:{port}/newsletter"',
                "NEWSLETTER_PROXY_COUNT = 1",
                "NEWSLETTER_RETRY_DELAY = 0.05",
                f"PATH = {str(folder / 'content')!r}",
                f"OUTPUT_PATH = {str(folder / 'output')!r}",
                f"COMMENTS_REPLY_EMAIL = {MODERATOR!r}",
            ]
        )
        + "\n",
        "utf-8",
    )
    return settings


def post(port: int, path: str, fields: dict[str, str], client: str) -> tuple[int, float]:
    """One POST on a new connection: (status, seconds)."""
    body = urllib.parse.urlencode(fields)
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": client,
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def run_phase(name: str, jobs: list[Callable[[], tuple[int, float]]], clients: int) -> Phase:
    phase = Phase(name)
    lock = threading.Lock()

    def one(job: Callable[[], tuple[int, float]]) -> None:
        try:
            status, seconds = job()
        except OSError as error:
            with lock:
                phase.error(type(error).__name__)
            return
        with lock:
            if status == 200:
                phase.latencies.append(seconds)
            else:
                phase.error(str(status))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, jobs))
    phase.seconds = time.perf_counter() - started
    return phase


def client_address(number: int) -> str:
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def signup_jobs(port: int, addresses: list[str], offset: int) -> list[Callable]:
    requests = [address for address in addresses for _ in range(2)]  # each one twice
    random.Random(1).shuffle(requests)
    return [
        (
            lambda address=address, number=number: post(
                port,
                "/newsletter/subscribe",
                {"email": address, "website": ""},
                client_address(offset + number),
            )
        )
        for number, address in enumerate(requests)
    ]


MODERATOR = "autor@ideequadrat.org"


def get(port: int, path: str, client: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-For": client})
        return connection.getresponse().read().decode("utf-8")
    finally:
        connection.close()


def comment_jobs(port: int, count: int, offset: int) -> list[Callable]:
    """Each comment posted twice (two clients), with a stamp fetched 3 s before."""
    stamps = [
        get(port, "/newsletter/comments/stamp?slug=offen", client_address(offset + n))
        for n in range(count)
    ]
    time.sleep(3.2)
    requests = [number for number in range(count) for _ in range(2)]
    random.Random(2).shuffle(requests)
    return [
        (
            lambda number=number, index=index: post(
                port,
                "/newsletter/comments",
                {
                    "slug": "offen",
                    "comment_parent": "0",
                    "author": f"Leserin {number}",
                    "email": "",
                    "url": "",
                    "comment": f"Kommentar Nummer {number}: ein Gedanke dazu.",
                    "website": "",
                    "stamp": stamps[number],
                },
                client_address(offset + count + index),
            )
        )
        for index, number in enumerate(requests)
    ]


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    arguments.add_argument("--addresses", type=int, default=1000)
    arguments.add_argument("--clients", type=int, default=32)
    arguments.add_argument("--burst", type=int, default=200, help="parallel connections")
    arguments.add_argument("--comments", type=int, default=500, help="comment posts (twice)")
    arguments.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = arguments.parse_args(argv)

    port = free_port()
    handler = FaultyHandler(keep_messages=False)
    with tempfile.TemporaryDirectory() as folder, LoopbackSMTP(handler) as smtp:
        settings = write_settings(Path(folder), port=port, smtp_port=smtp.port)
        write_manifest(
            Path(folder) / "output", [ArticleEntry("offen", "Offen", "2024/03/offen/", "open")]
        )
        command = ["-m", "service", "--settings", str(settings), "serve", "--port", str(port)]
        server = subprocess.Popen(
            [sys.executable, *command],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            if not wait_for(lambda: _healthy(port), 30):
                print("Der Dienst startet nicht:", server.stderr.read(), file=sys.stderr)
                return 1
            addresses = [f"leser{n}@example.org" for n in range(args.addresses)]
            signups = run_phase(
                f"Anmeldungen ({args.clients} Clients)",
                signup_jobs(port, addresses, 0),
                args.clients,
            )
            burst_addresses = [f"schwall{n}@example.org" for n in range(args.burst // 2)]
            burst = run_phase(
                f"Schwall ({args.burst} Verbindungen gleichzeitig)",
                signup_jobs(port, burst_addresses, 10**6),
                args.burst,
            )
            comments = run_phase(
                f"Kommentare ({args.clients} Clients, jeder zweimal)",
                comment_jobs(port, args.comments, 2 * 10**6),
                args.clients,
            )
            database = Path(folder) / "newsletter.sqlite"
            everyone = [*addresses, *burst_addresses]
            drained = wait_for(lambda: _queued(database) == 0, 120)
            time.sleep(0.5)
            with sqlite3.connect(database) as db:
                rows = dict(db.execute("SELECT email, count(*) FROM subscribers GROUP BY email"))
            row_counts = [rows.get(address, 0) for address in everyone]
            mail_counts = [handler.copies.get(address, 0) for address in everyone]
            comment_counts = _comment_counts(database, args.comments)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                _, errors = server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                _, errors = server.communicate()
    figures = {
        "signups": signups.line(),
        "burst": burst.line(),
        "comments": comments.line(),
        "rows_per_comment": {str(n): comment_counts.count(n) for n in sorted(set(comment_counts))},
        "author_mails": handler.copies.get(MODERATOR, 0),
        "outbox_drained": drained,
        "rows_per_address": {str(n): row_counts.count(n) for n in sorted(set(row_counts))},
        "mails_per_address": {str(n): mail_counts.count(n) for n in sorted(set(mail_counts))},
        "tracebacks_in_server_log": errors.count("Traceback"),
    }
    print(signups.line())
    print(burst.line())
    print(comments.line())
    print(
        "Zeilen je Kommentar: "
        + ", ".join(f"{n}× bei {count}" for n, count in figures["rows_per_comment"].items())
        + f"; Mails an den Autor: {figures['author_mails']}"
    )
    print(
        "Zeilen je Adresse: "
        + ", ".join(f"{n}× bei {count}" for n, count in figures["rows_per_address"].items())
    )
    print(
        "Bestätigungs-Mails je Adresse: "
        + ", ".join(f"{n}× bei {count}" for n, count in figures["mails_per_address"].items())
        + ("" if drained else " (Postausgang nicht leer geworden)")
    )
    print(f"Tracebacks im Log des Dienstes: {figures['tracebacks_in_server_log']}")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    ok = (
        not signups.errors
        and not burst.errors
        and not comments.errors
        and set(comment_counts) == {1}
        and figures["author_mails"] == args.comments
        and set(row_counts) == {1}
        and set(mail_counts) == {1}
        and not figures["tracebacks_in_server_log"]
    )
    return 0 if ok else 1


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/newsletter/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _comment_counts(database: Path, count: int) -> list[int]:
    """Pending rows per posted comment text (each must be exactly 1)."""
    with sqlite3.connect(database) as db:
        rows = dict(db.execute("SELECT body, count(*) FROM comments GROUP BY body"))
    return [rows.get(f"Kommentar Nummer {n}: ein Gedanke dazu.", 0) for n in range(count)]


def _queued(database: Path) -> int:
    try:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT count(*) FROM outbox WHERE status = 'queued'").fetchone()[0]
    except sqlite3.Error:
        return -1


if __name__ == "__main__":
    sys.exit(main())
