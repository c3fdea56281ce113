"""Runs the dev loop's steps in one process, as `make devserver` does, and reports what the
quick pages wrote next to what the full build wrote after them (tests/test_devserver.py).

    python -m tests.support.quickpage_probe <site> <settings file> <output> <report.json>

Each step edits the site, asks ``QuickPage.write`` for the saved files (keeping the bytes
it wrote), then runs the full incremental build and keeps the bytes of the same files.
Run in its own process: Pelican's plugins connect to its signals for the whole process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def steps(content: Path):
    """(name, edit, saved files) of each step."""
    first = content / "articles/erster-beitrag.md"
    second = content / "articles/zweiter-beitrag.md"
    comment = content / "comments/erster-beitrag/1.md"
    yield "body", lambda: append(first, "\nSchnell gespeichert.\n"), {first}
    yield (
        "two",
        lambda: (append(first, "\nNoch einmal.\n"), append(second, "\nAuch hier.\n")),
        {
            first,
            second,
        },
    )
    yield "title", lambda: replace(second, "Title: Zweiter Beitrag", "Title: Neuer Titel"), {second}
    yield "draft", lambda: replace(first, "Title:", "Status: draft\nTitle:"), {first}
    yield "comment", lambda: append(comment, "\nErgänzt.\n"), {comment}


def main(site: str, settings_file: str, output: str, report: str) -> None:
    from pelican import get_instance, parse_arguments, signals  # noqa: PLC0415

    from engine.quickpage import QuickPage  # noqa: PLC0415

    arguments = ["content", "-o", output, "-s", settings_file]
    pelican, _ = get_instance(parse_arguments(arguments))
    quick = QuickPage()
    signals.all_generators_finalized.connect(quick.keep, weak=False)
    pelican.run()
    content, out = Path(site) / "content", Path(output)
    results = []
    for name, edit, saved in steps(content):
        edit()
        written = quick.write({str(path.resolve()) for path in saved})
        quick_bytes = {name: (out / name).read_text(encoding="utf-8") for name in written}
        pelican.run()
        built = {name: (out / name).read_text(encoding="utf-8") for name in written}
        results.append({"step": name, "written": written, "quick": quick_bytes, "built": built})
    Path(report).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
