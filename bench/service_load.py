"""Load on the reader service as `make newsletter-server` runs it (gunicorn, gthread):
sign-ups from 32 clients as fast as they go, then at an offered rate (100/s), then a
burst of parallel connections, then comment posts.

    .venv/bin/python bench/service_load.py                   # 1,000 addresses, each twice
    .venv/bin/python bench/service_load.py --addresses 3000 --clients 32 --burst 200

The service runs in a child process (`python -m service serve`) with a fresh SQLite file
behind NEWSLETTER_PROXY_COUNT = 1; every request comes from another client address
(X-Forwarded-For), so the per-client rate limit does not hide anything. Each address is
posted twice, by two clients at about the same time, on a new connection each. The
confirmation mails go through the service's outbox to a loopback SMTP server (aiosmtpd)
in this process. Bounded: a fixed number of requests, then the outbox is drained.

Each address is posted twice (two requests); the paced phase offers --rate requests per
second for five seconds (open loop: a slow answer does not slow the offer down).
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
import multiprocessing
import os
import random
import signal
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

from rundbrief.comments.manifest import ArticleEntry, write_manifest  # noqa: E402
from tests.support.delivery import free_port, wait_until, write_settings  # noqa: E402
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


def smtp_process(port_queue, stop, result_queue) -> None:
    """The loopback SMTP server in a process of its own (its work is not the service's,
    nor the load generator's): reports its port, at the end the copies per address."""
    handler = FaultyHandler(keep_messages=False)
    with LoopbackSMTP(handler) as smtp:
        port_queue.put(smtp.port)
        stop.wait()
        with handler.lock:
            result_queue.put(dict(handler.copies))


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


def run_phase(
    name: str, jobs: list[Callable[[], tuple[int, float]]], clients: int, rate: float = 0
) -> Phase:
    """Run the jobs from ``clients`` threads: as fast as they go, or (``rate`` > 0) job
    number i not before i/rate seconds after the start (an offered load, open loop)."""
    phase = Phase(name)
    lock = threading.Lock()
    started = time.perf_counter()

    def one(numbered: tuple[int, Callable[[], tuple[int, float]]]) -> None:
        number, job = numbered
        if rate:
            delay = started + number / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
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

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, enumerate(jobs)))
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
COMMENT = "Kommentar Nummer {}: ein Gedanke dazu."


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
        get(port, "/newsletter/comments/stamp?slug=offen", client_address(offset + number))
        for number in range(count)
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
                    "comment": COMMENT.format(number),
                    "website": "",
                    "stamp": stamps[number],
                },
                client_address(offset + count + index),
            )
        )
        for index, number in enumerate(requests)
    ]


def comment_counts(database: Path, count: int) -> list[int]:
    """Pending rows per posted comment text (each must be exactly 1)."""
    with sqlite3.connect(database) as db:
        rows = dict(db.execute("SELECT body, count(*) FROM comments GROUP BY body"))
    return [rows.get(COMMENT.format(number), 0) for number in range(count)]


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def load(args: argparse.Namespace, port: int) -> tuple[list[Phase], list[str]]:
    """The phases (sign-ups, then comment posts) and every address that was signed up."""
    addresses = [f"leser{n}@example.org" for n in range(args.addresses)]
    paced_addresses = [f"takt{n}@example.org" for n in range(int(args.rate * 5))]
    burst_addresses = [f"schwall{n}@example.org" for n in range(args.burst // 2)]
    phases = [
        run_phase(
            f"Anmeldungen ({args.clients} Clients)",
            signup_jobs(port, addresses, 0),
            args.clients,
        ),
        run_phase(
            f"Anmeldungen mit {args.rate:.0f}/s ({args.clients} Clients)",
            signup_jobs(port, paced_addresses, 2 * 10**6),
            args.clients,
            rate=args.rate,
        ),
        run_phase(
            f"Schwall ({args.burst} Verbindungen gleichzeitig)",
            signup_jobs(port, burst_addresses, 10**6),
            args.burst,
        ),
        run_phase(
            f"Kommentare ({args.clients} Clients, jeder zweimal)",
            comment_jobs(port, args.comments, 3 * 10**6),
            args.clients,
        ),
    ]
    return phases, [*addresses, *paced_addresses, *burst_addresses]


def counted(values: list[int]) -> str:
    return ", ".join(f"{n}× bei {values.count(n)}" for n in sorted(set(values)))


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    arguments.add_argument("--addresses", type=int, default=1000)
    arguments.add_argument("--clients", type=int, default=32)
    arguments.add_argument("--burst", type=int, default=200, help="parallel connections")
    arguments.add_argument(
        "--rate", type=float, default=100, help="offered sign-ups per second of phase 2"
    )
    arguments.add_argument("--comments", type=int, default=500, help="comment posts (twice)")
    args = arguments.parse_args(argv)

    port = free_port()
    port_queue, result_queue = multiprocessing.Queue(), multiprocessing.Queue()
    stop = multiprocessing.Event()
    smtp = multiprocessing.Process(target=smtp_process, args=(port_queue, stop, result_queue))
    smtp.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = write_settings(
            Path(folder),
            smtp_port=port_queue.get(timeout=30),
            service_url=f"http://127.0.0.1:{port}/newsletter",
            NEWSLETTER_PROXY_COUNT=1,
            NEWSLETTER_RATE_LIMIT=10,  # the default: every request comes from a new client
            NEWSLETTER_RETRY_DELAY=0.05,
            PATH=str(Path(folder) / "content"),
            OUTPUT_PATH=str(Path(folder) / "output"),
            COMMENTS_REPLY_EMAIL=MODERATOR,
        )
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
            if not wait_until(lambda: _healthy(port), timeout=30):
                print("Der Dienst startet nicht.", file=sys.stderr)
                return 1
            for _ in range(5):  # warm up: templates compiled, connections to the database
                post(port, "/newsletter/subscribe", {"email": "", "website": ""}, "10.255.0.1")
            phases, everyone = load(args, port)
            database = Path(folder) / "var" / "newsletter.sqlite"
            drained = wait_until(lambda: _queued(database) == 0, timeout=120)
            time.sleep(0.5)
            with sqlite3.connect(database) as db:
                rows = dict(db.execute("SELECT email, count(*) FROM subscribers GROUP BY email"))
            per_comment = comment_counts(database, args.comments)
            stop.set()
            copies = result_queue.get(timeout=30)
        finally:
            stop.set()
            smtp.join(timeout=30)
            server.send_signal(signal.SIGTERM)
            try:
                _, errors = server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                _, errors = server.communicate()
    row_counts = [rows.get(address, 0) for address in everyone]
    mail_counts = [copies.get(address, 0) for address in everyone]
    for phase in phases:
        print(phase.line())
    print(f"Zeilen je Adresse: {counted(row_counts)}")
    print(
        f"Bestätigungs-Mails je Adresse: {counted(mail_counts)}"
        + ("" if drained else " (Postausgang nicht leer geworden)")
    )
    print(
        f"Zeilen je Kommentar: {counted(per_comment)}; "
        f"Mails an den Autor: {copies.get(MODERATOR, 0)} für {args.comments} Kommentare"
    )
    print(f"Tracebacks im Log des Dienstes: {errors.count('Traceback')}")
    ok = (
        not any(phase.errors for phase in phases)
        and set(per_comment) == {1}
        and copies.get(MODERATOR, 0) == args.comments
        and set(row_counts) == {1}
        and set(mail_counts) == {1}
        and "Traceback" not in errors
    )
    return 0 if ok else 1


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/newsletter/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _queued(database: Path) -> int:
    try:
        with sqlite3.connect(database) as db:
            (waiting,) = db.execute(
                "SELECT (SELECT count(*) FROM signup_requests) "
                "+ (SELECT count(*) FROM outbox WHERE status = 'queued')"
            ).fetchone()
            return waiting
    except sqlite3.Error:
        return -1


if __name__ == "__main__":
    sys.exit(main())
