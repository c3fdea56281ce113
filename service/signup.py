"""Newsletter sign-up (double opt-in), confirmation and unsubscribing: the routes.

- ``GET /subscribe`` (and ``/``): a sign-up form (the blog's own forms post here);
- ``POST /subscribe`` (``email``, honeypot ``website``): checks the input and puts the
  address into a queue: the same work and the same answer whatever the address's state
  and whether the SMTP server is up. The outbox worker takes the queue
  (``process_signups``): a confirmation mail at most once per NEWSLETTER_CONFIRM_INTERVAL
  and NEWSLETTER_CONFIRM_PER_DAY times a day per address, whatever the number of requests
  or clients;
- ``GET /confirm?token=…``: a page with the button "Anmeldung bestätigen", nothing
  changes; ``POST /confirm`` (the button) confirms, if the link belongs to the newest
  sign-up of the address (a newer sign-up or an unsubscribe makes older links void);
- ``GET /unsubscribe?token=…``: a page with a button; ``POST /unsubscribe?token=…``
  unsubscribes at once (RFC 8058 one-click, as mail providers send it);
- ``GET /healthz``: ``ok`` for a monitor.

HEAD and GET never change anything.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from rundbrief.addresses import AddressError, normalise_address
from service import signing
from service.forms import BadInput, read_form
from service.message import confirmation_message, new_message_id

if TYPE_CHECKING:
    from service.app import ReaderService

logger = logging.getLogger(__name__)

MAX_SIGNUP_BODY = 4096  # bytes: an address, the honeypot and a few hidden fields


def routes() -> list[tuple[Rule, object]]:
    return [
        (Rule("/", methods=["GET"]), signup_form),
        (Rule("/subscribe", methods=["GET"]), signup_form),
        (Rule("/subscribe", methods=["POST"]), subscribe),
        (Rule("/confirm", methods=["GET"]), confirm_page),
        (Rule("/confirm", methods=["POST"]), confirm),
        (Rule("/unsubscribe", methods=["GET"]), unsubscribe_page),
        (Rule("/unsubscribe", methods=["POST"]), unsubscribe),
        (Rule("/healthz", methods=["GET"]), healthz),
    ]


def too_many(service: ReaderService) -> Response:
    return service.error(
        429,
        "Von Deiner Adresse kamen zu viele Anfragen. Bitte warte eine Minute.",
        headers={"Retry-After": "60"},
    )


def healthz(service: ReaderService, request: Request) -> Response:
    return Response("ok\n", content_type="text/plain; charset=utf-8")


def signup_form(service: ReaderService, request: Request) -> Response:
    return service.render("signup_form.html")


def subscribe(service: ReaderService, request: Request) -> Response:
    if not service.limiter.hit(f"subscribe:{service.client(request)}"):
        return too_many(service)
    if len(request.get_data(cache=True)) > MAX_SIGNUP_BODY:
        raise BadInput(
            "Die Eingabe ist zu lang. Bitte gib nur Deine E-Mail-Adresse ein "
            "(höchstens 254 Zeichen)."
        )
    form = read_form(request)
    if form.get("website", "").strip():  # the honeypot: a bot; answer as always
        return service.render("signup_done.html")
    try:
        address = normalise_address(form.get("email", ""))
    except AddressError as error:
        raise BadInput(str(error)) from None
    request_signup(service, address)
    return service.render("signup_done.html")


def start(service: ReaderService) -> None:
    """At service start: the worker processes the sign-up queue and builds the mails."""
    service.outbox.register("confirm", partial(confirmation, service))
    service.outbox.add_task(partial(process_signups, service))


def request_signup(service: ReaderService, address: str) -> None:
    """Queue the sign-up; the outbox worker decides (``process_signups``). The request
    does the same work whatever the address's state: one row into a queue."""
    service.store.queue_signup(address, now=service.clock())
    service.outbox.wake()


def process_signups(service: ReaderService) -> int:
    """The queued sign-ups: a new sign-up (generation) and a confirmation mail in the
    outbox, or nothing (confirmed already, or throttled). One transaction per batch, so
    each address has one row and at most one mail per interval, whatever came in."""
    config, store = service.config, service.store
    if store.db.execute("SELECT 1 FROM signup_requests LIMIT 1").fetchone() is None:
        return 0  # (a read: the worker looks often, the write lock is for real work)
    with store.transaction():
        taken = store.take_signups()
        for address, requested_at in taken:
            signup = store.request_subscription(
                address,
                now=requested_at,
                consent_version=config.consent_version,
                interval=config.confirm_interval,
                per_day=config.confirm_per_day,
            )
            if signup.send_confirmation:
                params = {
                    "subscriber": signup.subscriber_id,
                    "generation": signup.generation,
                    "to": address,
                    "at": requested_at,
                }
                service.outbox.enqueue_params("confirm", address, params)
    return len(taken)


def confirmation(service: ReaderService, params: dict) -> EmailMessage:
    """The confirmation mail of one sign-up (built when the outbox sends it)."""
    config = service.config
    token = service.signer.sign(signing.CONFIRM, [params["subscriber"], params["generation"]])
    return confirmation_message(
        site_name=config.site_name,
        confirm_url=f"{service.service_url}/confirm?token={token}",
        valid_days=config.token_max_age // 86400,
        sender=config.sender,
        reply_to=config.reply_to,
        to=params["to"],
        message_id=new_message_id(config.mail_domain),
        date=datetime.fromtimestamp(params["at"], ZoneInfo(config.timezone)),
    )


def _confirm_token(service: ReaderService, token: str) -> tuple[int, int] | str:
    """(subscriber id, generation), or the template of the page that says why not."""
    try:
        payload = service.signer.read(signing.CONFIRM, token, max_age=service.config.token_max_age)
    except signing.TokenError as error:
        return "link_expired.html" if error.reason == "expired" else "link_invalid.html"
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(isinstance(value, int) and not isinstance(value, bool) for value in payload)
    ):
        return "link_invalid.html"
    return payload[0], payload[1]


_CONFIRM_PAGES = {
    "confirmed": (200, "confirm_done.html"),
    "already": (200, "confirm_already.html"),
    "replaced": (400, "confirm_replaced.html"),
    "gone": (410, "signup_gone.html"),
}


def confirm_page(service: ReaderService, request: Request) -> Response:
    """GET: only a page with a button (mail scanners open links; they must not confirm)."""
    if not service.limiter.hit(f"confirm:{service.client(request)}"):
        return too_many(service)
    token = request.args.get("token", "")
    checked = _confirm_token(service, token)
    if isinstance(checked, str):
        return service.render(checked, 400)
    subscriber_id, generation = checked
    subscriber = service.store.subscriber(subscriber_id)
    if subscriber is None or subscriber.status == "unsubscribed":
        state = "gone"
    elif subscriber.status == "confirmed":
        state = "already"
    elif subscriber.generation != generation:
        state = "replaced"
    else:
        return service.render("confirm_form.html", token=token)
    status, template = _CONFIRM_PAGES[state]
    return service.render(template, status)


def confirm(service: ReaderService, request: Request) -> Response:
    if not service.limiter.hit(f"confirm:{service.client(request)}"):
        return too_many(service)
    form = read_form(request)
    token = form.get("token") or request.args.get("token", "")
    checked = _confirm_token(service, token)
    if isinstance(checked, str):
        return service.render(checked, 400)
    subscriber_id, generation = checked
    result = service.store.confirm(subscriber_id, now=service.clock(), generation=generation)
    status, template = _CONFIRM_PAGES[result]
    return service.render(template, status)


def _unsubscribe_id(service: ReaderService, token: str) -> int | None:
    try:
        payload = service.signer.read(signing.UNSUBSCRIBE, token)
    except signing.TokenError:
        return None
    return payload if isinstance(payload, int) and not isinstance(payload, bool) else None


# No rate limit on unsubscribing: mail providers send one-click POSTs from shared
# addresses, and an unsubscribe must never be refused. The signed token protects it.


def unsubscribe_page(service: ReaderService, request: Request) -> Response:
    token = request.args.get("token", "")
    if _unsubscribe_id(service, token) is None:
        return service.render("link_invalid.html", 400)
    return service.render("unsubscribe_form.html", token=token)


def unsubscribe(service: ReaderService, request: Request) -> Response:
    token = request.args.get("token", "")
    subscriber_id = _unsubscribe_id(service, token)
    if subscriber_id is None:
        return service.render("link_invalid.html", 400)
    service.store.unsubscribe(subscriber_id, now=service.clock())
    return service.render("unsubscribed.html")
