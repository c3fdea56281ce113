"""`make newsletter`: show the newest digest and write a preview .eml to var/outbox/.

python -m service.preview [--output output] [--outbox var/outbox] [--settings pelicanconf.py]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from service.errors import CommandError
from service.message import digest_message, new_message_id


class NoDigest(CommandError):
    """No digest has been built: a German message with the fix, exit status 2."""


def newest_digest(folder: Path) -> Path:
    found = [
        (json.loads(path.read_text(encoding="utf-8")), path.parent)
        for path in folder.glob("*/digest.json")
    ]
    if not found:
        raise NoDigest(
            f"{folder}: kein Wochenrückblick gefunden. Erst `make html` ausführen; gibt es "
            "veröffentlichte Artikel?"
        )
    found.sort(key=lambda pair: (pair[0]["year"], pair[0]["week"]))
    return found[-1][1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--outbox", type=Path, default=Path("var/outbox"))
    parser.add_argument("--path", default="newsletter", help="NEWSLETTER_PATH")
    parser.add_argument("--sender", default="Vorschau <vorschau@localhost>")
    args = parser.parse_args(argv)

    folder = newest_digest(args.output / args.path)
    meta = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
    html = (folder / meta["html"]).read_text(encoding="utf-8")
    text = (folder / meta["text"]).read_text(encoding="utf-8")
    host = urlsplit(meta["web_url"]).hostname or "localhost"
    # The same message the sender builds, for a preview address (not sent anywhere).
    message = digest_message(
        subject=meta["subject"],
        text=text,
        html_body=html,
        placeholder=meta["unsubscribe_placeholder"],
        unsubscribe_url=meta["web_url"] + "#abmelden-vorschau",
        unsubscribe_mailto="vorschau@localhost",
        sender=args.sender,
        to="Vorschau <vorschau@localhost>",
        message_id=new_message_id(host),
        list_id=f"Vorschau <newsletter.{host}>",
        date=datetime.now(UTC),
    )
    args.outbox.mkdir(parents=True, exist_ok=True)
    eml = args.outbox / f"{meta['issue']}-vorschau.eml"
    eml.write_bytes(message)
    print(f"Neuester Wochenrückblick: {folder}")
    print(f"Betreff: {meta['subject']}")
    print(f"Artikel: {len(meta['articles'])}")
    print(f"Vorschau: {eml} (mit einem Mailprogramm öffnen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
