"""WordPress import of a large export: wall time and peak memory (not a test).

    .venv/bin/python bench/wpimport_bench.py [--megabytes 100] [--keep DIR]

Writes a synthetic WXR 1.2 file of the given size (posts with classic-editor HTML,
captions, tables, code, and threaded comments incl. spam and pingbacks), then runs
``python -m wpimport`` on it twice in a child process: once with ``--dry-run`` and once
writing into an empty content/ folder. Prints the time and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:base_blog_url>https://bench.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[autor]]></wp:author_login>
<wp:author_display_name><![CDATA[Autorin]]></wp:author_display_name></wp:author>
"""
TAIL = "</channel>\n</rss>\n"

PARAGRAPH = (
    "Soziale Organisationen sollen sich an ihren <strong>Kunden</strong> orientieren – "
    "aber wofür eigentlich? Größer, schneller, weiter ist selten die Antwort.\n"
    "Eine zweite Zeile im selben Absatz mit einem "
    '<a href="https://bench.example/2015/06/anderer-beitrag/">Link</a>.\n\n'
)
BODY_EXTRA = (
    '[caption id="attachment_1" width="600"]<img src="https://bench.example/wp-content/'
    'uploads/2015/06/bild-{n}.jpg" alt="Bild {n}" /> Bildunterschrift {n}[/caption]\n\n'
    "<!--more-->\n<h2>Zahlen</h2>\n<table><thead><tr><th>Jahr</th><th>Wert</th></tr></thead>"
    "<tbody><tr><td>2014</td><td>{n}</td></tr></tbody></table>\n\n"
    "<pre><code>for x in range({n}):\n    print(x)</code></pre>\n\n"
    "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n"
)
COMMENT = """<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[Leserin {cid}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[leserin{cid}@mail.example]]></wp:comment_author_email>
<wp:comment_author_url>https://leserin.example/</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>
<wp:comment_date><![CDATA[2015-06-20 10:00:00]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[2015-06-20 08:{minute:02d}:00]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[Danke für den Beitrag!
Ich sehe das <em>ähnlich</em>, aber nicht ganz.

Zweiter Absatz des Kommentars {cid}.]]></wp:comment_content>
<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
<wp:comment_type><![CDATA[{type}]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>
<wp:commentmeta><wp:meta_key><![CDATA[akismet_result]]></wp:meta_key>
<wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>
</wp:comment>
"""
ITEM = """<item><title><![CDATA[Beitrag Nummer {n} über Führung]]></title>
<link>https://bench.example/2015/06/beitrag-{n}/</link><dc:creator><![CDATA[autor]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date><![CDATA[2015-06-19 08:30:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2015-06-19 06:30:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status>
<wp:post_name><![CDATA[beitrag-{n}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
<category domain="category" nicename="fuehrung"><![CDATA[Führung]]></category>
<category domain="post_tag" nicename="sinn"><![CDATA[Sinn]]></category>
{comments}</item>
"""


def item_text(number: int, paragraphs: int = 6, comments: int = 6) -> str:
    body = PARAGRAPH * paragraphs + BODY_EXTRA.format(n=number)
    parts = []
    for index in range(comments):
        cid = number * 100 + index
        parent = cid - 1 if index % 3 else 0
        approved = {4: "spam", 5: "0"}.get(index, "1")
        kind = "pingback" if index == 3 else "comment"
        parts.append(
            COMMENT.format(cid=cid, parent=parent, approved=approved, type=kind, minute=index % 60)
        )
    status = "draft" if number % 50 == 0 else "publish"
    return ITEM.format(n=number, body=body, comments="".join(parts), status=status)


def write_wxr(path: Path, megabytes: float) -> int:
    """A WXR 1.2 file of about ``megabytes`` MB; returns the number of items."""
    target = int(megabytes * 1024 * 1024)
    written = 0
    number = 0
    with path.open("w", encoding="utf-8") as handle:
        written += handle.write(HEAD)
        while written < target:
            number += 1
            written += handle.write(item_text(number))
        handle.write(TAIL)
    return number


def run_import(wxr: Path, content: Path, *extra: str) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit status) of one import in a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "wpimport", str(wxr), "--content", str(content), *extra]
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    if process.returncode:
        print(error, file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--keep", type=Path, help="write content/ here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wpimport-bench-") as temp:
        base = args.keep or Path(temp)
        wxr = Path(temp) / "export.xml"
        items = write_wxr(wxr, args.megabytes)
        size = wxr.stat().st_size / 1024 / 1024
        print(f"WXR: {size:.1f} MiB, {items} Beiträge, {items * 6} Kommentare")
        content = base / "content"
        content.mkdir(parents=True, exist_ok=True)
        for label, extra in (("--dry-run", ("--dry-run",)), ("schreibend", ())):
            seconds, peak, status = run_import(wxr, content, *extra)
            print(
                f"{label:>10}: {seconds:6.1f} s, Spitze RSS {peak:6.1f} MiB, "
                f"{size / seconds:5.2f} MiB/s, Status {status}"
            )
        files = sum(1 for _ in content.rglob("*.md"))
        print(f"geschrieben: {files} Dateien")


if __name__ == "__main__":
    main()
