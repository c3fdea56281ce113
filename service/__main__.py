"""``python -m service [--settings FILE] COMMAND`` (from the project folder).

Commands: ``serve``, ``outbox``, ``send [--issue 2026-kw48] [--dry-run]``,
``import-csv FILE``, ``cleanup``, ``unsubscribe ADDRESS``. The Makefile's ``newsletter-*``
targets call these.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from rundbrief.addresses import AddressError, normalise_address
from rundbrief.digest.manifest import DigestError, load_digest
from rundbrief.settings_check import SettingsError
from service.comments.commands import add_commands as add_comment_commands
from service.config import ConfigError, DeliveryConfig, load_config
from service.importer import CsvError, import_csv
from service.sender import EXIT_RETRY_LATER, DigestSender, send_lock, write_outbox
from service.store import Store


def _cleanup(config: DeliveryConfig, store: Store) -> int:
    return store.delete_stale_pending(older_than_days=config.pending_days, now=time.time())


def cmd_serve(config: DeliveryConfig, args: argparse.Namespace) -> int:
    from service.server import ReaderServer  # noqa: PLC0415

    config.secret_keys()
    config.require_service_url()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    host = args.host or config.server_host
    port = config.server_port if args.port is None else args.port
    print(
        f"Leserdienst startet: http://{host}:{port}/subscribe (Strg+C beendet)",
        file=sys.stderr,
    )
    ReaderServer(config, host, port).run()
    return 0


def cmd_outbox(config: DeliveryConfig, args: argparse.Namespace) -> int:
    """Send what is due in the outbox now (the service's worker does this on its own)."""
    from service.app import ReaderService  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    service = ReaderService(config, start_worker=False)  # its builders and tasks
    try:
        service.outbox.run_tasks()
        run = service.outbox.send_all_due()
        counts = service.outbox.counts()
    finally:
        service.close()
    print(f"{run.line()}; wartend: {counts['queued']}, aufgegeben (insgesamt): {counts['failed']}")
    return EXIT_RETRY_LATER if counts["queued"] else 0


def cmd_send(config: DeliveryConfig, args: argparse.Namespace) -> int:
    config.secret_keys()
    config.require_service_url()
    digest = load_digest(config.digests, args.issue)
    with Store(config.db_path) as store:
        if args.dry_run:
            folder, written, final = write_outbox(config, digest, store)
            print(
                f"Probelauf {digest.issue}: {written} Nachricht(en) in {folder} geschrieben, "
                f"nichts verschickt (schon erledigt: {final})."
            )
            return 0
        with send_lock(config.db_path):
            _cleanup(config, store)
            print(
                f"Wochenrückblick {digest.issue} „{digest.subject}“ an "
                f"{store.count()} bestätigte Abonnenten über "
                f"{config.smtp.host}:{config.smtp.port} …",
                file=sys.stderr,
            )
            try:
                summary = DigestSender(config, digest, store).run()
            except KeyboardInterrupt:
                print(
                    "\nAbgebrochen. Mit demselben Befehl fortsetzen: was schon angenommen "
                    "wurde, geht nicht noch einmal hinaus.",
                    file=sys.stderr,
                )
                return 130
    print(summary.line())
    if summary.aborted:
        print(summary.aborted, file=sys.stderr)
    elif summary.retry:
        print(
            f"{summary.retry} Nachricht(en) später erneut: denselben Befehl in einigen Minuten "
            "noch einmal ausführen.",
            file=sys.stderr,
        )
    return summary.exit_code


def cmd_import(config: DeliveryConfig, args: argparse.Namespace) -> int:
    with Store(config.db_path) as store:
        report = import_csv(
            store,
            Path(args.csv),
            timezone=config.timezone,
            consent_version=args.consent_version,
        )
    for line in report.rejected:
        print(line, file=sys.stderr)
    print(report.line())
    return 1 if report.rejected else 0


def cmd_cleanup(config: DeliveryConfig, args: argparse.Namespace) -> int:
    with Store(config.db_path) as store:
        deleted = _cleanup(config, store)
    print(f"{deleted} unbestätigte Anmeldung(en) gelöscht (älter als {config.pending_days} Tage).")
    return 0


def cmd_unsubscribe(config: DeliveryConfig, args: argparse.Namespace) -> int:
    try:
        address = normalise_address(args.address)
    except AddressError as error:
        print(str(error), file=sys.stderr)
        return 2
    with Store(config.db_path) as store:
        subscriber = store.subscriber_by_email(address)
        if subscriber is None:
            print("Diese Adresse steht nicht in der Liste.")
            return 0
        changed = store.unsubscribe(subscriber.id, now=time.time())
    print(f"Abonnent #{subscriber.id} " + ("abgemeldet." if changed else "war schon abgemeldet."))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m service",
        description="Newsletter: Anmeldedienst, Versand und Import.",
    )
    main.add_argument(
        "--settings",
        default="pelicanconf.py",
        help="Einstellungsdatei (Standard: pelicanconf.py)",
    )
    commands = main.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="den Leserdienst starten (gunicorn)")
    serve.add_argument("--host", help="Standard: NEWSLETTER_SERVER_HOST")
    serve.add_argument("--port", type=int, help="Standard: NEWSLETTER_SERVER_PORT")
    serve.set_defaults(run=cmd_serve)
    outbox = commands.add_parser("outbox", help="fällige Mails des Postausgangs jetzt senden")
    outbox.set_defaults(run=cmd_outbox)
    send = commands.add_parser("send", help="einen Wochenrückblick verschicken")
    send.add_argument("--issue", help="z. B. 2026-kw48 (Standard: der neueste)")
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="nichts verschicken, eine .eml je Empfänger nach NEWSLETTER_OUTBOX schreiben",
    )
    send.set_defaults(run=cmd_send)
    importer = commands.add_parser("import-csv", help="bestätigte Abonnenten übernehmen")
    importer.add_argument("csv", help="CSV-Datei mit E-Mail-Adresse und Einwilligungsdatum")
    importer.add_argument(
        "--consent-version",
        default="import",
        help="Version des damaligen Einwilligungstexts (Standard: 'import')",
    )
    importer.set_defaults(run=cmd_import)
    cleanup = commands.add_parser("cleanup", help="alte unbestätigte Anmeldungen löschen")
    cleanup.set_defaults(run=cmd_cleanup)
    unsubscribe = commands.add_parser("unsubscribe", help="eine Adresse abmelden")
    unsubscribe.add_argument("address")
    unsubscribe.set_defaults(run=cmd_unsubscribe)
    add_comment_commands(commands)  # comments, comment-approve, … (service.comments)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = load_config(args.settings)
        return args.run(config, args)
    except (ConfigError, DigestError, CsvError, SettingsError) as error:
        print(str(error), file=sys.stderr)
        return error.code if isinstance(error.code, int) else 1


if __name__ == "__main__":
    sys.exit(main())
