"""Shared helpers for the newsletter delivery tests (no tests here).

Everything runs for real on 127.0.0.1: an aiosmtpd server (tests.support.smtpserver),
the reader service under Werkzeug's threaded server in a thread (its outbox worker
sending to aiosmtpd), HTTP with urllib (no proxy, no cookies).
Digests are written here in the build's format, so these tests do not depend on the
digest build.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from rundbrief.digest.manifest import (
    DEFAULT_PATH,
    PLACEHOLDER_BASE,
    Digest,
    digest_root,
    new_slot,
)
from service import signing
from service.app import ReaderService
from service.config import DeliveryConfig, load_config
from service.store import Store

SECRET = "test-secret-never-used-in-production"
SITE = "https://www.ideequadrat.org"
PLACEHOLDER = PLACEHOLDER_BASE  # every placeholder starts with it; none may reach a reader
SUBJECT = "IdeeQuadrat Wochenrückblick KW 48/2026: Für wen machen wir das eigentlich?"
ROOT = Path(__file__).resolve().parents[2]


def write_digest(output: Path, issue: str = "2026-kw48", subject: str = SUBJECT) -> Path:
    """A digest folder as the build writes it (``rundbrief.digest.manifest``), below
    ``output``/newsletter (the default NEWSLETTER_PATH); the unsubscribe link twice in the
    HTML, once in the text."""
    year, week = issue.split("-kw")
    slot = new_slot()
    digest = Digest.seal(
        year=int(year),
        week=int(week),
        subject=subject,
        preheader="Neue Beiträge der Woche",
        web_url=f"{SITE}/newsletter/{issue}/",
        articles=[("Für wen machen wir das eigentlich?", f"{SITE}/2015/06/x/")],
        html=(
            '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"></head><body>'
            f'<p style="color:#1d1d1f">Wochenrückblick {issue}: Für wen machen wir das?</p>'
            f'<p><a href="{slot}">Abmelden</a> · <a href="{slot}">Newsletter abbestellen</a></p>'
            "</body></html>\n"
        ),
        text=(
            f"Wochenrückblick {issue}\n\nFür wen machen wir das eigentlich?\n\nAbmelden: {slot}\n"
        ),
        slot=slot,
    )
    return digest.write(digest_root(output, DEFAULT_PATH))


def write_settings(folder: Path, *, smtp_port: int, service_url: str = "", **overrides) -> Path:
    """A settings file like pelicanconf.py for the delivery commands, all paths in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "import os",
        'SITENAME = "IdeeQuadrat"',
        f"SITEURL_ABSOLUTE = {SITE!r}",
        'TIMEZONE = "Europe/Berlin"',
        'OUTPUT_PATH = "output"',
        'NEWSLETTER_DB = "var/newsletter.sqlite"',
        f"THEME = {str(ROOT / 'theme')!r}",
        f"NEWSLETTER_SECRET = {SECRET!r}",
        'NEWSLETTER_SMTP_HOST = "127.0.0.1"',
        f"NEWSLETTER_SMTP_PORT = {smtp_port}",
        f"NEWSLETTER_SERVICE_URL = {service_url!r}",
        'NEWSLETTER_RATE = float(os.environ.get("TEST_NEWSLETTER_RATE", "0"))',
        "NEWSLETTER_RATE_LIMIT = 0",
        "NEWSLETTER_RETRY_DELAY = 0.01",
        "NEWSLETTER_SMTP_TIMEOUT = 5",
    ]
    lines += [f"{name} = {value!r}" for name, value in overrides.items()]
    path = folder / "conf.py"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run_service(
    settings: Path, *args: str, cwd: Path = ROOT, timeout: float = 120
) -> subprocess.CompletedProcess:
    """``python -m service --settings SETTINGS ARGS…`` as a user runs it; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "service", "--settings", str(settings), *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A loopback port nobody listens on (for "server unreachable")."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_confirmed(store: Store, count: int, *, start: int = 0) -> list[str]:
    """``count`` confirmed subscribers leser<N>@example.org; their addresses."""
    addresses = []
    for number in range(start, start + count):
        address = f"leser{number}@example.org"
        request = store.request_subscription(address, now=time.time(), consent_version="test")
        store.confirm(request.subscriber_id, now=time.time())
        addresses.append(address)
    return addresses


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy


def http(
    url: str, *, data: bytes | dict | None = None, headers: dict | None = None, method=None
) -> Reply:
    """One real HTTP request; 4xx/5xx are answers, not exceptions. No cookies are kept."""
    if isinstance(data, dict):
        data = urllib.parse.urlencode(data).encode("ascii")
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=15) as response:
            return Reply(response.status, dict(response.headers), response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read().decode("utf-8"))


class RunningService:
    """The reader service on 127.0.0.1 (ephemeral port), served in a thread.

    The settings file is written once the port is known, so the links in the mails
    point at this very server (below /newsletter, as behind the reverse proxy).
    ``service_options`` go to ``ReaderService`` (e.g. ``clock=…``).
    """

    def __init__(self, folder: Path, *, smtp_port: int, service_options=None, **overrides):
        self.server = make_server("127.0.0.1", 0, _not_yet, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/newsletter"
        self.root = f"http://127.0.0.1:{self.server.server_port}"
        self.settings = write_settings(
            folder, smtp_port=smtp_port, service_url=self.url, **overrides
        )
        try:
            self.config: DeliveryConfig = load_config(self.settings)
            self.app = ReaderService(self.config, **(service_options or {}))
        except BaseException:
            self.server.server_close()
            raise
        self.server.app = self.app
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> RunningService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.app.close()

    def subscribe(self, email: str, **fields) -> Reply:
        return http(f"{self.url}/subscribe", data={"email": email, "website": "", **fields})

    def store(self) -> Store:
        return Store(self.config.db_path)

    def settled(self, timeout: float = 10.0) -> bool:
        """Wait until the worker has taken every queued sign-up and sent (or given up)
        every mail that is due."""

        def idle() -> bool:
            with self.store() as store:
                (waiting,) = store.db.execute(
                    "SELECT (SELECT count(*) FROM signup_requests) + (SELECT count(*) "
                    "FROM outbox WHERE status = 'queued' AND due_at <= ?)",
                    (self.app.clock(),),
                ).fetchone()
            return waiting == 0

        return wait_until(idle, timeout=timeout)


class MovableClock:
    """Wall-clock time plus an offset the test moves forward (``advance``)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def _not_yet(environ, start_response):  # the app is set once the settings are written
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"not ready\n"]


def unsubscribe_token(config: DeliveryConfig, subscriber_id: int) -> str:
    """A subscriber's unsubscribe token, as the sender puts it into a digest."""
    return signing.unsubscribe_token(signing.Signer(config.secret_keys()), subscriber_id)


def confirm(url: str) -> Reply:
    """Open a confirm link as a reader does: the page (GET), then its button (POST)."""
    page = http(url)
    if page.status != 200:
        return page
    soup = BeautifulSoup(page.text, "lxml")
    form = soup.find("form", class_="confirm-form")
    assert form is not None and form["method"] == "post", page.text
    assert form.find("button").get_text(strip=True) == "Anmeldung bestätigen"
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    return http(urllib.parse.urljoin(url, form["action"]), data=fields)


def only_url(text: str) -> str:
    urls = re.findall(r"https?://\S+", text)
    assert len(urls) == 1, urls
    return urls[0]


def body_text(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, subtype
    return part.get_content()


def wait_until(condition, timeout: float = 10.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
