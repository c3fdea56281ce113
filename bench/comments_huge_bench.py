"""What does a huge or deeply nested comment cost? (issue 13: a 5 MB comment cost 23 s a build)

    python bench/comments_huge_bench.py [--megabytes 5] [--runs 3]

Reads one comment folder holding a ``--megabytes`` comment and a normal one with the
comments plugin's loader (no Pelican), the median of --runs, with the default
COMMENTS_MAX_LENGTH (the huge comment is refused before rendering) and with the limit
raised above its size (what rendering it would cost). Then renders comments with lists
and quotes nested far deeper than markdown-it's limit. With ``--threads N`` (e.g. 10000)
it also builds a site whose one article has N comments, with the default COMMENTS_PER_PAGE
and with all on one page, and prints the size of the article page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from harness import build_once, progress, write_config

from comments.settings import setting
from rundbrief.comments.loader import load_threads
from rundbrief.sanitize import render_comment_body


def timed(function, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


ARTICLE = "Title: Viele Kommentare\nDate: 2024-03-04 10:00\nCategory: Test\nSlug: viel\n\nText.\n"
BODY = ("Ein ganz normaler Kommentar mit etwas Text, so wie Leser ihn schreiben. " * 8).strip()


def page_sizes(threads: int) -> None:
    """The article page of an article with ``threads`` comments, paged and unpaged."""
    with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as tmp:
        site = Path(tmp) / "site"
        (site / "content/articles").mkdir(parents=True)
        (site / "content/articles/viel.md").write_text(ARTICLE, encoding="utf-8")
        folder = site / "content/comments/viel"
        folder.mkdir(parents=True)
        for n in range(1, threads + 1):
            date = f"2024-03-{5 + n * 20 // threads:02d} {(n // 60) % 24:02d}:{n % 60:02d}"
            text = f"author: Leser {n}\ndate: {date}\n\n{BODY}\n"
            (folder / f"{n}.md").write_text(text, encoding="utf-8")
        for label, overrides in (("paged", ""), ("one page", "COMMENTS_PER_PAGE = 0\n")):
            progress(f"{threads} Kommentare, {label} …")
            config = write_config(Path(tmp) / "conf.py", overrides + "SEARCH_INDEX = False\n")
            output = Path(tmp) / "output"
            run = build_once(site, output, config)
            article = (output / "2024/03/viel/index.html").stat().st_size
            pages = len(list((output / "2024/03/viel").glob("comment-page-*")))
            print(
                f"{threads} comments, {label:8}: article page {article / 1e6:7.2f} MB, "
                f"{pages} comment-page folders, build {run.seconds:6.1f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as tmp:
        folder = Path(tmp) / "comments/artikel"
        folder.mkdir(parents=True)
        line = "Ein *langer* Kommentar mit [Link](https://example.org/) und Text.\n"
        body = (line * (size // len(line) + 1))[:size]
        (folder / "1.md").write_text(f"author: Viel\ndate: 2024-03-05 11:00\n\n{body}")
        (folder / "2.md").write_text("author: Kurz\ndate: 2024-03-05 12:00\n\nKurz.\n")
        root = str(folder.parent)
        limit = setting({}, "COMMENTS_MAX_LENGTH")
        loaded = load_threads(root, "Europe/Berlin", 5, limit)
        assert [c.id for c in loaded.threads["artikel"].flat] == ["2"]
        refused = timed(lambda: load_threads(root, "Europe/Berlin", 5, limit), args.runs)
        print(f"{args.megabytes:g} MB comment, refused (limit {limit}): {refused:8.3f} s")
        rendered = timed(lambda: load_threads(root, "Europe/Berlin", 5, size + 1), 1)
        print(f"{args.megabytes:g} MB comment, rendered (limit raised):   {rendered:8.3f} s")
    cases = {
        "list, 12 levels": "\n".join("  " * i + f"- {i}" for i in range(12)),
        "list, 60 levels (as text)": "\n".join("  " * i + f"- {i}" for i in range(60)),
        "quote, 5000 levels (as text)": ">" * 5000 + " x",
    }
    for label, text in cases.items():
        seconds = timed(lambda text=text: render_comment_body(text + "\n\nDanach."), args.runs)
        print(f"{label:30} {seconds * 1000:8.2f} ms")
    if args.threads:
        page_sizes(args.threads)


if __name__ == "__main__":
    main()
