"""`make newsletter`: show the newest digest and write a preview .eml to the outbox.

python -m service.preview [--settings pelicanconf.py] [--output DIR] [--outbox DIR]

The digest is found where the build wrote it (``OUTPUT_PATH``/``NEWSLETTER_PATH`` of the
settings file, ``rundbrief.digest.manifest``); ``--output`` overrides ``OUTPUT_PATH``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from rundbrief.digest.manifest import DigestError, digest_root, load_digest
from rundbrief.settings_check import SettingsError
from service.config import ConfigError, load_config
from service.message import digest_message, new_message_id

PREVIEW_ADDRESS = "vorschau@localhost"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py", help="Einstellungsdatei")
    parser.add_argument("--output", type=Path, help="Standard: OUTPUT_PATH der Einstellungen")
    parser.add_argument("--outbox", type=Path, help="Standard: NEWSLETTER_OUTBOX")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.settings)
        root = config.digests
        if args.output is not None:
            root = digest_root(args.output, root.relative_to(config.output_path).as_posix())
        digest = load_digest(root)
    except (ConfigError, DigestError, SettingsError) as error:
        print(str(error), file=sys.stderr)
        return error.code if isinstance(error.code, int) else 1
    host = urlsplit(digest.web_url).hostname or "localhost"
    # The same message the sender builds, for a preview address (not sent anywhere).
    message = digest_message(
        subject=digest.subject,
        text=digest.text,
        html_body=digest.html,
        placeholder=digest.placeholder,
        unsubscribe_url=digest.web_url + "#abmelden-vorschau",
        unsubscribe_mailto=PREVIEW_ADDRESS,
        sender=f"Vorschau <{PREVIEW_ADDRESS}>",
        to=f"Vorschau <{PREVIEW_ADDRESS}>",
        message_id=new_message_id(host),
        list_id=f"Vorschau <newsletter.{host}>",
        date=datetime.now(UTC),
    )
    outbox = args.outbox or config.outbox
    outbox.mkdir(parents=True, exist_ok=True)
    eml = outbox / f"{digest.issue}-vorschau.eml"
    eml.write_bytes(message)
    print(f"Neuester Wochenrückblick: {digest.folder}")
    print(f"Betreff: {digest.subject}")
    print(f"Artikel: {len(digest.articles)}")
    print(f"Vorschau: {eml} (mit einem Mailprogramm öffnen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
