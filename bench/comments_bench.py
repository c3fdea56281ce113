"""How much do comments add to a full build? (issue: comments add at most 10 %)

    python bench/comments_bench.py [--articles 1000] [--runs 3]

Builds one generated site (1,000 articles, about 20,000 comments, threads up to 8 deep)
with and without its comment files, the median of --runs builds each, and prints the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from corpus import generate
from harness import build_once, median_run, progress, write_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as tmp:
        site = Path(tmp) / "site"
        counts = generate(site, args.articles)
        progress(f"Korpus: {counts['articles']} Artikel, {counts['comments']} Kommentare")
        results = {}
        variants = (("ohne Kommentare", "keine-kommentare"), ("mit Kommentaren", "comments"))
        for label, path in variants:
            # A settings module must not be called like a plugin ("comments").
            name = f"conf_{path.replace('-', '_')}.py"
            config = write_config(Path(tmp) / name, f"COMMENTS_PATH = {path!r}\n")
            runs = []
            for number in range(args.runs):
                progress(f"{label}: Build {number + 1}/{args.runs} …")
                runs.append(build_once(site, Path(tmp) / "output", config))
            results[label] = median_run(runs)
            print(
                f"{label:16} median {results[label].seconds:7.2f} s   "
                f"peak RSS {results[label].peak_rss_mib:7.1f} MiB"
            )
        ratio = results["mit Kommentaren"].seconds / results["ohne Kommentare"].seconds
        print(f"ratio with/without comments: {ratio:.3f}  (target <= 1.10)")


if __name__ == "__main__":
    main()
