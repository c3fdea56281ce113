"""The subscription service: a small WSGI app on the standard library.

Routes (also below the path of NEWSLETTER_SERVICE_URL, e.g. ``/newsletter/subscribe``,
so a reverse proxy may pass the path on as it is or strip the prefix):

- ``GET /subscribe``: a sign-up form (the blog's own forms post here directly);
- ``POST /subscribe`` (``email``, honeypot ``website``): a pending subscriber and a
  confirmation mail; the answer is the same page whatever the address's state;
- ``GET /confirm?token=…``: confirms (signed, expiring token);
- ``GET /unsubscribe?token=…``: a page with a button;
  ``POST /unsubscribe?token=…``: unsubscribes at once (RFC 8058 one-click);
- ``GET /healthz``: ``ok`` for a monitor.

Every response is a German page; nothing (no exception, no SMTP outage, no malformed
request) produces a traceback for the client. ``make newsletter-server`` serves the app
with wsgiref in threads; for production run it under gunicorn (see README).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from rundbrief.addresses import AddressError, normalise_address
from service import pages, tokens
from service.config import DeliveryConfig
from service.message import confirmation_message, new_message_id
from service.smtp import DeliveryFailure, SmtpConnection
from service.store import Store

logger = logging.getLogger(__name__)

MAX_BODY = 4096  # bytes of a form post: an address and a honeypot field
CLEANUP_INTERVAL = 3600.0  # seconds between deletions of stale pending sign-ups
_SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),  # the tokens are in the URL
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
]


class BadInput(ValueError):
    """Malformed input: a German message for a 400 page."""


@dataclass
class Response:
    status: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    extra_headers: list[tuple[str, str]] = field(default_factory=list)


class RateLimiter:
    """At most ``per_minute`` requests per client in any 60 seconds (0 = no limit).

    In memory and per process (no address is ever stored on disk); with several
    gunicorn workers each counts on its own, so run one worker with threads or let the
    reverse proxy limit (and set NEWSLETTER_RATE_LIMIT = 0).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def allow(self, client: str) -> bool:
        if not self.per_minute:
            return True
        now = self.clock()
        with self._lock:
            if now >= self._next_prune:
                self._prune(now)
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            return True

    def _prune(self, now: float) -> None:
        """Forget clients without a hit in the last minute (memory stays bounded)."""
        self._hits = {client: hits for client, hits in self._hits.items() if hits[-1] > now - 60}
        self._next_prune = now + 60


def client_address(environ: dict, proxy_count: int) -> str:
    """The client's address; behind ``proxy_count`` proxies, from X-Forwarded-For."""
    remote = environ.get("REMOTE_ADDR", "")
    if proxy_count:
        forwarded = [
            part.strip()
            for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxy_count:
            return forwarded[-proxy_count]
    return remote


def read_body(environ: dict) -> bytes:
    """The request body, at most MAX_BODY bytes (BadInput if it is longer)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadInput("Die Anfrage ist fehlerhaft.") from None
    if length > MAX_BODY:
        raise BadInput(
            "Die Eingabe ist zu lang. Bitte gib nur Deine E-Mail-Adresse ein "
            "(höchstens 254 Zeichen)."
        )
    if length <= 0:
        return b""
    return environ["wsgi.input"].read(length)


def read_form(environ: dict) -> dict[str, str]:
    """The fields of a urlencoded form post (first value of each)."""
    body = read_body(environ)
    try:
        fields = parse_qs(
            body.decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=20,
        )
    except ValueError:  # not ASCII, bad UTF-8 escapes, too many fields
        raise BadInput(
            "Die Eingabe enthält ungültige Zeichen. Bitte gib nur Deine E-Mail-Adresse ein."
        ) from None
    return {name: values[0] for name, values in fields.items()}


class SubscriptionService:
    """The WSGI application (one per process; threads share it)."""

    def __init__(
        self,
        config: DeliveryConfig,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.key = config.secret_key()
        self.service_url = config.require_service_url()
        self.prefix = urlsplit(self.service_url).path.rstrip("/")
        self.clock = clock
        self.limiter = RateLimiter(config.rate_limit, clock=monotonic)
        self.site = pages.Site(
            name=config.site_name,
            url=config.site_url,
            stylesheet_url=config.stylesheet_url,
            signup_page_url=config.signup_page_url,
            token_days=config.token_max_age // 86400,
        )
        self._cleanup_lock = threading.Lock()
        self._next_cleanup = 0.0
        Store(config.db_path).close()  # create or migrate the schema once, at start
        self.cleanup()

    # --- WSGI ------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        try:
            response = self.dispatch(environ)
        except Exception:
            logger.exception("Anmeldedienst: unerwarteter Fehler")
            response = self.page("500 Internal Server Error", pages.server_error)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            *_SECURITY_HEADERS,
            *response.extra_headers,
        ]
        if response.content_type.startswith("text/html"):
            origin = urlsplit(self.config.stylesheet_url)
            style = f"{origin.scheme}://{origin.netloc}" if origin.netloc else "'self'"
            headers.append(
                (
                    "Content-Security-Policy",
                    f"default-src 'none'; style-src {style}; img-src {style}; "
                    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                )
            )
        start_response(response.status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [response.body]

    def page(self, status: str, content, *args, headers=None, **kwargs) -> Response:
        title, body = content(self.site, *args, **kwargs)
        html = pages.page(self.site, title, body).encode("utf-8")
        return Response(status, html, extra_headers=headers or [])

    def route(self, path: str) -> str:
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix) :]
        return path.rstrip("/") or "/"

    def dispatch(self, environ: dict) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        route = self.route(environ.get("PATH_INFO", "/"))
        try:
            query = parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=10)
        except ValueError:  # more fields than any link of ours has
            return self.page("400 Bad Request", pages.link_invalid)
        token = (query.get("token") or [""])[0]
        get = method in ("GET", "HEAD")
        client = client_address(environ, self.config.proxy_count)
        if route == "/healthz" and get:
            return Response("200 OK", b"ok\n", content_type="text/plain; charset=utf-8")
        if route in ("/", "/subscribe") and get:
            return self.page("200 OK", pages.signup_form)
        if route == "/subscribe" and method == "POST":
            if not self.limiter.allow(client):
                return self.too_many()
            return self.subscribe(environ)
        if route == "/confirm" and get:
            if not self.limiter.allow(client):
                return self.too_many()
            return self.confirm(token)
        # No rate limit here: mail providers send one-click POSTs from shared addresses,
        # and an unsubscribe must never be refused. The signed token is the protection.
        if route == "/unsubscribe" and get:
            return self.unsubscribe_page(token)
        if route == "/unsubscribe" and method == "POST":
            return self.unsubscribe(environ, token)
        allowed = {
            "/": "GET, HEAD",
            "/subscribe": "GET, HEAD, POST",
            "/confirm": "GET, HEAD",
            "/unsubscribe": "GET, HEAD, POST",
            "/healthz": "GET, HEAD",
        }
        if route in allowed:
            return self.page(
                "405 Method Not Allowed",
                pages.method_not_allowed,
                headers=[("Allow", allowed[route])],
            )
        return self.page("404 Not Found", pages.not_found)

    def too_many(self) -> Response:
        return self.page(
            "429 Too Many Requests", pages.too_many_requests, headers=[("Retry-After", "60")]
        )

    # --- the actions ------------------------------------------------------------------

    def cleanup(self) -> int:
        """Delete stale pending sign-ups, at most once per CLEANUP_INTERVAL per process."""
        now = self.clock()
        if now < self._next_cleanup or not self._cleanup_lock.acquire(blocking=False):
            return 0
        try:
            self._next_cleanup = now + CLEANUP_INTERVAL
            with Store(self.config.db_path) as store:
                return store.delete_stale_pending(older_than_days=self.config.pending_days, now=now)
        finally:
            self._cleanup_lock.release()

    def subscribe(self, environ: dict) -> Response:
        try:
            form = read_form(environ)
            if form.get("website", "").strip():  # the honeypot: a bot; answer as always
                return self.page("200 OK", pages.almost_done)
            address = normalise_address(form.get("email", ""))
        except (BadInput, AddressError) as error:
            return self.page("400 Bad Request", pages.bad_input, str(error))
        now = self.clock()
        with Store(self.config.db_path) as store:
            request = store.request_subscription(
                address, now=now, consent_version=self.config.consent_version
            )
        if request.send_confirmation:
            try:
                self.send_confirmation(request.subscriber_id, address, now)
            except DeliveryFailure as failure:
                logger.warning(
                    "Bestätigungs-Mail an Abonnent #%s nicht verschickt: %s",
                    request.subscriber_id,
                    failure.text,
                )
                return self.page(
                    "503 Service Unavailable",
                    pages.mail_failed,
                    headers=[("Retry-After", "300")],
                )
        self.cleanup()
        return self.page("200 OK", pages.almost_done)

    def send_confirmation(self, subscriber_id: int, address: str, now: float) -> None:
        token = tokens.make_token(self.key, tokens.CONFIRM, subscriber_id, now)
        message = confirmation_message(
            site_name=self.config.site_name,
            confirm_url=f"{self.service_url}/confirm?token={token}",
            valid_days=self.site.token_days,
            sender=self.config.sender,
            reply_to=self.config.reply_to,
            to=address,
            message_id=new_message_id(self.config.mail_domain),
            date=datetime.fromtimestamp(now, ZoneInfo(self.config.timezone)),
        )
        with SmtpConnection(self.config.smtp) as connection:
            connection.send(self.config.sender_address, address, message.as_bytes())

    def confirm(self, token: str) -> Response:
        now = self.clock()
        try:
            subscriber_id = tokens.read_token(
                self.key, tokens.CONFIRM, token, now=now, max_age=self.config.token_max_age
            )
        except tokens.TokenError as error:
            if error.reason == "expired":
                return self.page("400 Bad Request", pages.link_expired)
            return self.page("400 Bad Request", pages.link_invalid)
        with Store(self.config.db_path) as store:
            result = store.confirm(subscriber_id, now=now)
        if result == "gone":
            return self.page("410 Gone", pages.signup_gone)
        return self.page("200 OK", pages.confirmed, already=result == "already")

    def _unsubscribe_id(self, token: str) -> int | None:
        try:
            return tokens.read_token(self.key, tokens.UNSUBSCRIBE, token, now=self.clock())
        except tokens.TokenError:
            return None

    def unsubscribe_page(self, token: str) -> Response:
        if self._unsubscribe_id(token) is None:
            return self.page("400 Bad Request", pages.link_invalid)
        return self.page("200 OK", pages.unsubscribe_form, token)

    def unsubscribe(self, environ: dict, token: str) -> Response:
        with contextlib.suppress(BadInput):
            read_body(environ)  # "List-Unsubscribe=One-Click"; the token decides
        subscriber_id = self._unsubscribe_id(token)
        if subscriber_id is None:
            return self.page("400 Bad Request", pages.link_invalid)
        with Store(self.config.db_path) as store:
            store.unsubscribe(subscriber_id, now=self.clock())
        return self.page("200 OK", pages.unsubscribed)


# --- serving with the standard library (make newsletter-server, tests) ----------------


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        """A broken connection: log it without the client's address, serve on."""
        logger.warning("Anmeldedienst: Verbindung abgebrochen", exc_info=True)


class QuietHandler(WSGIRequestHandler):
    """Logs method, path and status only: no client address, no query (tokens)."""

    timeout = 30  # seconds; a client that sends nothing does not hold a thread forever

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0] if isinstance(self.path, str) else "-"
        logger.info("%s %s %s", self.command, path, code)

    def log_message(self, format: str, *args) -> None:
        logger.info("HTTP: " + format, *args)

    def address_string(self) -> str:
        return "-"


def make_wsgi_server(app, host: str, port: int) -> ThreadingWSGIServer:
    return make_server(
        host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
