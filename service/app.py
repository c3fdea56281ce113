"""The reader service: one WSGI application on Werkzeug for sign-ups (and comments).

``ReaderService(config)`` holds what the feature modules share: ``config``, ``store``
(SQLite, one connection per thread), ``outbox`` (every mail goes through it; a worker
thread sends), ``signer`` (itsdangerous, key rotation), ``limiter`` (rate limit per key),
``write_lock`` (for file writes) and ``jinja`` (templates in ``service/templates`` that
extend the site's ``theme/templates/base.html``).

Feature modules (``FEATURES``) contribute routes: ``routes() -> list[tuple[Rule, view]]``
with ``view(service, request, **values) -> Response``; a module with
``create_tables(connection)`` gets to create its tables when the service starts, and one
with ``start(service)`` may register mail builders and worker tasks with the outbox.

Routes also answer below the path of NEWSLETTER_SERVICE_URL (``/newsletter/subscribe``),
so a reverse proxy may pass the path on as it is or strip the prefix. A request body is
read before any view runs, with a deadline (NEWSLETTER_BODY_TIMEOUT): a body that stalls
gets 408. No exception reaches the client as a traceback; every page is German.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from service import signup
from service.comments import views as comments
from service.config import ConfigError, DeliveryConfig
from service.forms import BadInput, read_form
from service.limiter import Limiter
from service.outbox import Outbox
from service.signing import Signer
from service.smtp import SmtpConnection
from service.store import Store

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
FEATURES: tuple[ModuleType, ...] = (signup, comments)
MAX_BODY = 128 * 1024  # bytes of any request body; a view may allow less
CLEANUP_INTERVAL = 3600.0  # seconds between deletions of stale sign-ups and outbox entries
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the tokens are in the URL
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
TITLES = {
    400: "Das hat leider nicht geklappt",
    403: "Das ist nicht erlaubt",
    404: "Diese Seite gibt es nicht",
    405: "Diese Anfrage ist hier nicht möglich",
    408: "Die Anfrage kam nicht vollständig an",
    410: "Das gibt es nicht mehr",
    413: "Die Eingabe ist zu lang",
    429: "Zu viele Anfragen",
    500: "Das hat leider nicht geklappt",
}

View = Callable[..., Response]


class BodyTimeout(Exception):
    """The request body did not arrive within NEWSLETTER_BODY_TIMEOUT."""


class BodyTooLarge(Exception):
    pass


class Watchdog:
    """Ends the body of requests past their deadline: one thread for all requests.

    ``shutdown(SHUT_RD)`` on the client socket makes a blocked read return at once (end
    of input); the connection can still carry the 408 answer.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, socket.socket]] = []
        self._active: set[int] = set()
        self._expired: set[int] = set()
        self._counter = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def watch(self, sock: socket.socket, deadline: float) -> int:
        with self._condition:
            ticket = next(self._counter)
            heapq.heappush(self._heap, (deadline, ticket, sock))
            self._active.add(ticket)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)
                self._thread.start()
            self._condition.notify()
            return ticket

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()

    def release(self, ticket: int) -> bool:
        """Stop watching; True if the deadline had passed (the body was cut)."""
        with self._condition:
            self._active.discard(ticket)
            if ticket in self._expired:
                self._expired.discard(ticket)
                return True
            return False

    def _run(self) -> None:
        with self._condition:
            while not self._stopping:
                while self._heap and self._heap[0][1] not in self._active:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                deadline, ticket, sock = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._active.discard(ticket)
                self._expired.add(ticket)
                with contextlib.suppress(OSError):  # the client is gone already
                    sock.shutdown(socket.SHUT_RD)


class ReaderService:
    """The WSGI application (one per process; threads share it)."""

    def __init__(
        self,
        config: DeliveryConfig,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        features: Iterable[ModuleType] = FEATURES,
        connect: Callable[[], SmtpConnection] | None = None,
        start_worker: bool = True,
    ) -> None:
        self.config = config
        self.signer = Signer(config.secret_keys(), clock=clock)
        self.service_url = config.require_service_url()
        self.prefix = urlsplit(self.service_url).path.rstrip("/")
        self.clock = clock
        self.monotonic = monotonic
        self.limiter = Limiter(config.rate_limit, clock=monotonic)
        self.write_lock = threading.Lock()
        self.store = Store(config.db_path)  # creates or migrates the schema
        self.features = tuple(features)
        for feature in self.features:
            create_tables = getattr(feature, "create_tables", None)
            if create_tables is not None:
                self.store.create_tables(create_tables)
        self.outbox = Outbox(self.store, config, clock=clock, connect=connect)
        self.jinja = self._environment()
        self.url_map, self.views = self._routes()
        self.watchdog = Watchdog()
        self.wsgi = self.wsgi_app
        if config.proxy_count:
            self.wsgi = ProxyFix(self.wsgi_app, x_for=config.proxy_count)
        self._cleanup_lock = threading.Lock()
        self._next_cleanup = 0.0
        # Feature modules with ``start(service)`` run once, when the app is complete: they
        # may register mail builders and worker tasks with the outbox, and keep their state
        # (caches, threads) in the object they return, under ``extensions[module name]``
        # (as Flask's extensions).
        self.extensions: dict[str, object] = {}
        for feature in self.features:
            start = getattr(feature, "start", None)
            if start is not None:
                self.extensions[feature.__name__] = start(self)
        self.cleanup()
        if start_worker:
            self.outbox.start()

    def close(self) -> None:
        for extension in self.extensions.values():
            close = getattr(extension, "close", None)
            if close is not None:
                close()
        self.outbox.stop()
        self.watchdog.stop()
        self.store.close()

    # --- setup -------------------------------------------------------------------------

    def _environment(self) -> Environment:
        config = self.config
        if not (config.theme_path / "templates" / "base.html").is_file():
            raise ConfigError(
                f"Die Vorlage base.html des Themes fehlt ({config.theme_path}/templates). "
                "So beheben: THEME in den Einstellungen prüfen (der Leserdienst nutzt das "
                "Theme der Website) und den Dienst aus dem Projektordner starten."
            )
        environment = Environment(
            loader=FileSystemLoader([str(TEMPLATES), str(config.theme_path / "templates")]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        site_url = config.site_context.get("SITEURL", "")
        environment.filters["absolute"] = lambda url: f"{site_url}/{str(url).lstrip('/')}"
        environment.globals.update(
            config.site_context,
            service_url=self.service_url,
            signup_page_url=config.signup_page_url,
            token_days=config.token_max_age // 86400,
            confirm_minutes=config.confirm_interval // 60,
        )
        return environment

    def _routes(self) -> tuple[Map, dict[str, View]]:
        rules, views = [], {}
        for feature in self.features:
            for rule, view in feature.routes():
                endpoint = f"{feature.__name__}:{rule.rule}:{','.join(sorted(rule.methods or ()))}"
                rule.endpoint = endpoint
                rules.append(rule)
                views[endpoint] = view
        return Map(rules, strict_slashes=False, merge_slashes=False), views

    # --- pages -------------------------------------------------------------------------

    def render(self, template_name: str, status: int = 200, **context) -> Response:
        html = self.jinja.get_template(template_name).render(**context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    def error(self, status: int, message: str, *, headers: dict | None = None) -> Response:
        """A German error page: the status's title and ``message``."""
        response = self.render(
            "reader_error.html", status, title=TITLES.get(status, TITLES[400]), message=message
        )
        response.headers.update(headers or {})
        return response

    def client(self, request: Request) -> str:
        """The client's address (behind NEWSLETTER_PROXY_COUNT proxies: X-Forwarded-For)."""
        return request.remote_addr or ""

    # --- WSGI --------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        return self.wsgi(environ, start_response)

    def wsgi_app(self, environ: dict, start_response) -> Iterable[bytes]:
        try:
            response = self.dispatch(environ)
        except Exception:
            logger.exception("Leserdienst: unerwarteter Fehler")
            response = self._server_error()
        response.headers.update(SECURITY_HEADERS)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = self._csp()
        return response(environ, start_response)

    def _server_error(self) -> Response:
        try:
            return self.error(
                500, "Ein Fehler ist aufgetreten. Bitte versuche es später noch einmal."
            )
        except Exception:  # the templates themselves fail: plain text, still no traceback
            logger.exception("Leserdienst: Fehlerseite nicht darstellbar")
            return Response(
                "Ein Fehler ist aufgetreten. Bitte versuche es später noch einmal.\n",
                status=500,
                content_type="text/plain; charset=utf-8",
            )

    def _csp(self) -> str:
        site = urlsplit(self.config.site_url)
        origin = f"{site.scheme}://{site.netloc}" if site.netloc else "'self'"
        return (
            f"default-src 'none'; style-src {origin}; img-src {origin}; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        )

    def route_path(self, path: str) -> str:
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix) :]
        return path.rstrip("/") or "/"

    def dispatch(self, environ: dict) -> Response:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = self.route_path(environ.get("PATH_INFO", "/"))
        adapter = self.url_map.bind("reader-service", "/")
        try:
            endpoint, values = adapter.match(path, method=method)
        except NotFound:
            return self.error(404, "Bitte prüfe die Adresse.")
        except MethodNotAllowed as error:
            allowed = ", ".join(sorted(error.valid_methods or ()))
            return self.error(405, "Bitte nutze das Formular.", headers={"Allow": allowed})
        except HTTPException:
            return self.error(400, "Die Anfrage ist fehlerhaft.")
        if method not in ("GET", "HEAD"):
            try:
                body = self.read_body(environ)
            except BodyTimeout:
                # (no "Connection: close": WSGI leaves hop-by-hop headers to the server;
                # the body was cut, so the server sees the end of the connection anyway)
                return self.error(
                    408,
                    "Deine Eingabe kam nicht rechtzeitig vollständig an. Bitte schicke das "
                    "Formular noch einmal ab.",
                )
            except BodyTooLarge:
                return self.error(413, "Bitte kürze Deine Eingabe.")
            except BadInput as error:
                return self.error(400, str(error))
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input_terminated"] = False
        request = Request(environ)
        request.max_content_length = MAX_BODY
        self.cleanup()
        try:
            return self.views[endpoint](self, request, **values)
        except BadInput as error:
            return self.error(400, str(error))
        except HTTPException as error:
            return self.error(error.code or 400, error.description or "")

    def read_body(self, environ: dict) -> bytes:
        """The whole request body (at most MAX_BODY bytes) within the body timeout."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadInput("Die Anfrage ist fehlerhaft.") from None
        terminated = bool(environ.get("wsgi.input_terminated"))
        if length < 0:
            raise BadInput("Die Anfrage ist fehlerhaft.")
        if length > MAX_BODY:
            raise BodyTooLarge
        if not length and not terminated:
            return b""
        stream = environ["wsgi.input"]
        sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
        ticket = None
        if isinstance(sock, socket.socket):
            ticket = self.watchdog.watch(sock, time.monotonic() + self.config.body_timeout)
        chunks, received, cut = [], 0, False
        try:
            wanted = length if length else MAX_BODY + 1
            while received < wanted:
                chunk = stream.read(min(wanted - received, 16384))
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        except (OSError, ValueError, HTTPException):  # timeout, reset, a short chunked body
            cut = True
        finally:
            if ticket is not None and self.watchdog.release(ticket):
                cut = True
        if cut or (length and received < length):
            raise BodyTimeout
        if received > MAX_BODY:
            raise BodyTooLarge
        return b"".join(chunks)

    # --- housekeeping ------------------------------------------------------------------

    def cleanup(self) -> int:
        """Delete stale pending sign-ups, old failed outbox entries and what the feature
        extensions clean up, at most once per CLEANUP_INTERVAL per process."""
        now = self.clock()
        if now < self._next_cleanup or not self._cleanup_lock.acquire(blocking=False):
            return 0
        try:
            self._next_cleanup = now + CLEANUP_INTERVAL
            deleted = self.store.delete_stale_pending(
                older_than_days=self.config.pending_days, now=now
            )
            for extension in self.extensions.values():  # e.g. unused comment-notice addresses
                extension_cleanup = getattr(extension, "cleanup", None)
                if extension_cleanup is not None:
                    deleted += extension_cleanup()
            return deleted + self.outbox.cleanup()
        finally:
            self._cleanup_lock.release()


__all__ = ["BadInput", "ReaderService", "Rule", "read_form"]
