"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records messages and injects faults.

For the delivery tests, ``bench/send_bench.py`` and trying a send by hand::

    PYTHONPATH=plugins .venv/bin/python -m tests.support.smtpserver --port 2525

Faults (set on ``FaultyHandler`` while it runs): drop the connection after N messages
on it, answer the next DATA commands with given replies (``451 …``), refuse given
recipients (``550 …``), refuse the sender, delay the answer to MAIL (for client
timeouts). Binds loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)


@dataclass
class FaultyHandler:
    keep_messages: bool = True
    drop_after: int | None = None  # per connection: drop at the next MAIL after N messages
    data_replies: list[str] = field(default_factory=list)  # next DATA answers, e.g. "451 …"
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address → e.g. "550 …"
    mail_delays: list[float] = field(default_factory=list)  # seconds, for the next MAILs
    mail_reply: str = ""  # answer every MAIL with this, e.g. "553 …" (sender refused)
    messages: list[Received] = field(default_factory=list)
    copies: Counter = field(default_factory=Counter)  # recipient → accepted copies
    accepted: int = 0
    connections: int = 0
    drops: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not hasattr(session, "accepted_here"):
            session.accepted_here = 0
            with self.lock:
                self.connections += 1
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            delay = self.mail_delays.pop(0) if self.mail_delays else 0.0
            drop = (
                self.drop_after is not None
                and getattr(session, "accepted_here", 0) >= self.drop_after
            )
            if drop:
                self.drops += 1
        if drop:
            server.transport.abort()  # no reply: the connection is simply gone
            return "421 4.4.2 connection dropped"
        if delay:
            await asyncio.sleep(delay)
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.data_replies:
                return self.data_replies.pop(0)
            if self.keep_messages:
                self.messages.append(
                    Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content)
                )
            for recipient in envelope.rcpt_tos:
                self.copies[recipient.lower()] += 1
            self.accepted += 1
        session.accepted_here = getattr(session, "accepted_here", 0) + 1
        return "250 2.0.0 OK: queued"

    def received_by(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address.lower() in map(str.lower, m.rcpt_tos)]


class _Controller(Controller):
    """aiosmtpd's threaded controller on an ephemeral port (port=0 asks the OS)."""

    def _create_server(self):
        async def create():
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


class LoopbackSMTP:
    """``with LoopbackSMTP() as smtp:`` a running server at ``smtp.port``."""

    def __init__(self, handler: FaultyHandler | None = None, port: int = 0) -> None:
        self.handler = handler or FaultyHandler()
        self.controller = _Controller(
            self.handler,
            hostname=LOOPBACK,
            port=port,
            data_size_limit=10 * 1024 * 1024,
            timeout=30,
        )

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> LoopbackSMTP:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> LoopbackSMTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Run until SIGTERM/SIGINT; print the port, and at the end the accepted count."""
    arguments = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    arguments.add_argument("--port", type=int, default=0)
    arguments.add_argument("--keep", action="store_true", help="keep messages in memory")
    args = arguments.parse_args(argv)
    server = LoopbackSMTP(FaultyHandler(keep_messages=args.keep), port=args.port).start()
    print(server.port, flush=True)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    stop.wait()
    server.stop()
    print(f"accepted {server.handler.accepted}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
