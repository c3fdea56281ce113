"""Moderation from the shell: ``python -m service comments`` and friends (``make comments``,
``make comment-approve ID=…``, ``comment-spam``, ``comment-delete``, ``comments-purge``).

Each command works on the service's database and files like the links in the author's
mail do; an approval runs ``COMMENTS_PUBLISH_COMMAND`` (and waits for it), and the mails
it causes go out through the outbox at once (what fails stays in the outbox for the
running service to retry).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from service.comments import views


def _service(config):
    from service.app import ReaderService  # noqa: PLC0415 - the commands need the app

    return ReaderService(config, start_worker=False)


def _flush(service) -> None:
    try:
        service.outbox.send_all_due()
    except Exception as error:  # the SMTP server may be down: the outbox keeps the mails
        print(f"E-Mails bleiben im Postausgang ({type(error).__name__}).", file=sys.stderr)


def cmd_list(config, args: argparse.Namespace) -> int:
    service = _service(config)
    try:
        comments = views.feature(service)
        pending = comments.pending()
        zone = ZoneInfo(comments.config.timezone)
        if not pending:
            print("Keine Kommentare warten auf Freigabe.")
        for comment in pending:
            when = datetime.fromtimestamp(comment.created_at, UTC).astimezone(zone)
            reply = f", Antwort auf #{comment.parent}" if comment.parent else ""
            text = " ".join(comment.body.split())
            print(
                f"#{comment.id}  {when:%Y-%m-%d %H:%M}  {comment.slug}{reply}\n"
                f"    {comment.author}{' · ' + comment.url if comment.url else ''}\n"
                f"    {text[:200]}{'…' if len(text) > 200 else ''}"
            )
    finally:
        service.close()
    return 0


def _decide(action: str):
    def run(config, args: argparse.Namespace) -> int:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        service = _service(config)
        try:
            comments = views.feature(service)
            decision = comments.decide(args.id, action)
            if decision.state == "missing":
                print(f"Einen Kommentar #{args.id} gibt es nicht.", file=sys.stderr)
                return 1
            if decision.state == "already":
                print(f"Über Kommentar #{args.id} ist schon entschieden; nichts geändert.")
                return 0
            if action == "approve":
                print(f"Kommentar #{args.id} freigegeben: {decision.path}")
                if comments.publisher is not None:
                    print(f"Veröffentliche: {comments.config.publish_command}", file=sys.stderr)
                    comments.publisher.wait()
            else:
                word = "als Spam markiert" if action == "spam" else "gelöscht"
                print(f"Kommentar #{args.id} {word}.")
            _flush(service)
        finally:
            service.close()
        return 0

    return run


def cmd_purge(config, args: argparse.Namespace) -> int:
    service = _service(config)
    try:
        deleted = views.feature(service).purge()
    finally:
        service.close()
    print(f"{deleted} E-Mail-Adresse(n) für Benachrichtigungen gelöscht (30 Tage ungenutzt).")
    return 0


def add_commands(commands) -> None:
    """Register the comment commands on ``python -m service``'s subparsers."""
    listing = commands.add_parser("comments", help="wartende Kommentare zeigen")
    listing.set_defaults(run=cmd_list)
    for name, action, text in (
        ("comment-approve", "approve", "einen Kommentar freigeben (und veröffentlichen)"),
        ("comment-spam", "spam", "einen Kommentar als Spam markieren"),
        ("comment-delete", "delete", "einen Kommentar löschen"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("id", type=int, help="die Nummer aus `make comments`")
        command.set_defaults(run=_decide(action))
    purge = commands.add_parser(
        "comments-purge", help="Adressen für Benachrichtigungen löschen, die 30 Tage ungenutzt sind"
    )
    purge.set_defaults(run=cmd_purge)
