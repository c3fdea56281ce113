"""How much do comments add to a full build? (issue: comments add at most 10 %)

    python bench/comments_bench.py [--articles 1000] [--runs 3]

Builds one generated site (1,000 articles, about 20,000 comments, threads up to 8 deep)
with and without its comment files, alternating, the median of --runs builds each, and
prints the ratio.
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
        variants = (("ohne Kommentare", "keine-kommentare"), ("mit Kommentaren", "comments"))
        configs = {
            # A settings module must not be called like a plugin ("comments").
            label: write_config(
                Path(tmp) / f"conf_{path.replace('-', '_')}.py", f"COMMENTS_PATH = {path!r}\n"
            )
            for label, path in variants
        }
        runs = {label: [] for label in configs}
        # Alternating, so that a machine getting slower or faster affects both alike.
        for number in range(args.runs):
            for label, config in configs.items():
                progress(f"{label}: Build {number + 1}/{args.runs} …")
                runs[label].append(build_once(site, Path(tmp) / "output", config))
        results = {label: median_run(value) for label, value in runs.items()}
        for label, result in results.items():
            print(
                f"{label:16} median {result.seconds:7.2f} s   "
                f"peak RSS {result.peak_rss_mib:7.1f} MiB   CPU {result.cpu_seconds:6.2f} s"
            )
        ratio = results["mit Kommentaren"].seconds / results["ohne Kommentare"].seconds
        print(f"ratio with/without comments: {ratio:.3f}  (target <= 1.10)")


if __name__ == "__main__":
    main()
