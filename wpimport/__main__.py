"""``python -m wpimport export.xml``: import a WordPress export into content/.

Exit status 0 on success (the report goes to stdout), 2 on bad input and 1 when a file
cannot be written; errors are one German line on stderr, naming the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rundbrief.dates import DEFAULT_TIMEZONE
from wpimport.importer import Options, run
from wpimport.wxr import WXRError

BAD_INPUT = 2
WRITE_ERROR = 1


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wpimport",
        description=(
            "Importiert einen WordPress-Export (WXR 1.0/1.1/1.2): Beiträge nach "
            "content/articles/, Seiten nach content/pages/, freigegebene Kommentare nach "
            "content/comments/<slug>/<id>.md. Ein zweiter Lauf ändert nichts; von Hand "
            "geänderte Dateien bleiben, außer mit --force."
        ),
    )
    parser.add_argument("wxr", help="die Exportdatei (Werkzeuge → Daten exportieren)")
    parser.add_argument(
        "--content", default="content", help="der Inhaltsordner (Standard: content)"
    )
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="private, wartende, geplante und passwortgeschützte Beiträge als Entwurf übernehmen",
    )
    parser.add_argument(
        "--force", action="store_true", help="auch von Hand geänderte Dateien überschreiben"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="nur berichten, was geschähe; nichts schreiben"
    )
    parser.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=f"Zeitzone für Daten ohne GMT-Angabe, z. B. Entwürfe (Standard: {DEFAULT_TIMEZONE})",
    )
    return parser


def _progress(stage: str, count: int) -> None:
    sys.stderr.write(f"\r… {count} Einträge {stage}")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    content = Path(args.content)
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        print(
            f"--timezone {args.timezone}: unbekannte Zeitzone (z. B. Europe/Berlin).",
            file=sys.stderr,
        )
        return BAD_INPUT
    if not content.is_dir():
        print(
            f"{content}: den Inhaltsordner gibt es nicht; im Projektordner aufrufen oder "
            "--content angeben.",
            file=sys.stderr,
        )
        return BAD_INPUT
    interactive = sys.stderr.isatty()
    options = Options(
        wxr=Path(args.wxr),
        content=content,
        include_private=args.include_private,
        force=args.force,
        dry_run=args.dry_run,
        timezone=args.timezone,
        progress=_progress if interactive else None,
    )
    try:
        report = run(options)
    except WXRError as error:
        if interactive:
            sys.stderr.write("\r\033[K")
        print(f"{args.wxr}: {error}", file=sys.stderr)
        return BAD_INPUT
    except OSError as error:
        where = error.filename or content
        print(f"{where}: kann nicht geschrieben werden ({error.strerror}).", file=sys.stderr)
        return WRITE_ERROR
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    if interactive:
        sys.stderr.write("\r\033[K")
    sys.stdout.write(report.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
