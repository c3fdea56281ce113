"""Every feed of a built site through the W3C Feed Validation Service, offline.

    python bench/feedvalidate.py OUTPUT_DIR [--validator DIR] [--level AA]

The validator is not on PyPI: check out its public source once
(``git clone https://github.com/w3c/feedvalidator /tmp/feedvalidator``) and pass that
folder (or set ``FEEDVALIDATOR``). It runs under Python 3 as it is; it needs html5lib
(pinned in requirements.txt). No patch is needed, but two things are set here:

- the network is switched off for the run (the validator resolves external entities and
  could fetch; a feed of ours must validate without that);
- each feed is validated with its own ``rel="self"`` URL as base, as if the online service
  had fetched it from there (otherwise every feed gets ``SelfDoesntMatchLocation``).

Every ``*.xml`` in OUTPUT_DIR whose root is ``<feed>`` or ``<rss>`` is checked. Prints one
line per feed (errors, warnings) and each message; exit status 1 if any feed has an error
or a warning (level ``AA``, as the online service shows), else 0.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_ROOTS = {f"{ATOM}feed", "rss"}


def find_feeds(output: Path) -> list[Path]:
    feeds = []
    for path in sorted(output.rglob("*.xml")):
        try:
            root = etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError:
            feeds.append(path)  # not even XML: the validator says why
            continue
        if root.tag in FEED_ROOTS:
            feeds.append(path)
    return feeds


def self_url(path: Path) -> str:
    """The feed's own URL (Atom link rel=self, or RSS atom:link rel=self)."""
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError:
        return ""
    for link in root.iter(f"{ATOM}link"):
        if link.get("rel") == "self":
            return link.get("href", "")
    return ""


def offline() -> None:
    def refuse(*args, **kwargs):
        raise OSError("bench/feedvalidate.py: kein Netz (offline)")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


def load_validator(folder: Path):
    source = folder / "src"
    if not (source / "feedvalidator" / "__init__.py").is_file():
        sys.exit(
            f"{folder}: kein Quelltext des W3C-Feed-Validators. So beheben: "
            "`git clone https://github.com/w3c/feedvalidator /tmp/feedvalidator` und "
            "--validator /tmp/feedvalidator angeben."
        )
    sys.path.insert(0, str(source))
    import feedvalidator  # noqa: PLC0415
    from feedvalidator import compatibility  # noqa: PLC0415
    from feedvalidator.formatter.text_plain import Formatter  # noqa: PLC0415

    return feedvalidator, compatibility, Formatter


def validate(path: Path, validator, level) -> list:
    feedvalidator = validator[0]
    with open(path, "rb") as handle:
        try:
            events = feedvalidator.validateStream(
                handle, firstOccurrenceOnly=1, base=self_url(path)
            )["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
    return level(events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="der gebaute Ordner, z. B. output")
    parser.add_argument(
        "--validator",
        type=Path,
        default=Path(os.environ.get("FEEDVALIDATOR", "/tmp/feedvalidator")),
        help="Checkout von github.com/w3c/feedvalidator (Standard: $FEEDVALIDATOR)",
    )
    parser.add_argument("--level", default="AA", choices=["A", "AA", "AAA"])
    args = parser.parse_args(argv)
    validator = load_validator(args.validator)
    offline()
    feedvalidator, compatibility, formatter = validator
    level = getattr(compatibility, args.level)
    totals = Counter()
    feeds = find_feeds(args.output)
    for path in feeds:
        events = validate(path, validator, level)
        errors = sum(isinstance(e, feedvalidator.logging.Error) for e in events)
        warnings = len(events) - errors
        totals.update(errors=errors, warnings=warnings)
        print(f"{path.relative_to(args.output)}: {errors} Fehler, {warnings} Warnungen")
        for line in formatter(events):
            print(f"    {line}")
    print(
        f"{len(feeds)} Feeds: {totals['errors']} Fehler, {totals['warnings']} Warnungen "
        f"(W3C Feed Validation Service, Stufe {args.level})"
    )
    return 1 if totals["errors"] or totals["warnings"] else 0


if __name__ == "__main__":
    sys.exit(main())
