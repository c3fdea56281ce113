"""Build performance: plain Pelican vs. full Rundbrief, cold and warm (issue: build perf).

    python bench/build_bench.py [--sizes 1000 5000] [--runs 3] [--keep DIR]

For each size N a deterministic corpus (bench/corpus.py) is built, in one run:
  (a) plain Pelican 4.12 with our theme and no plugins, every feature off
  (b) full Rundbrief, cold (no cache)
  (c) full Rundbrief, warm: cache on, one article touched
  (d) full Rundbrief, warm, after adding one comment (checked: the comment is shown)
and, for information, (b) without the Pagefind search index (SEARCH_INDEX = False).
Median wall time and peak RSS over --runs builds each, then per N the line
`ratio full/plain: X.XX  warm/cold: Y.YY  memory full/plain: Z.ZZ`.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from corpus import generate
from harness import ROOT, Run, build_once, median_run, progress, write_config

PLAIN = f"""
import sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
from functools import partial
from rundbrief import german_dates as dates
PLUGINS = []
# Our theme needs its filters; without plugins they come from JINJA_FILTERS, every
# feature (comments, feeds, digest, search, JSON-LD, share links) is off.
JINJA_FILTERS = {{
    "datum": dates.datum, "datum_kurz": dates.datum_kurz, "datum_uhrzeit": dates.datum_uhrzeit,
    "monat": dates.monat, "monat_jahr": dates.monat_jahr,
    "absolute": lambda url: SITEURL_ABSOLUTE + "/" + str(url).lstrip("/"),
    "jsonld": lambda article: "{{}}",
}}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
FULL_COLD = "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
FULL_WARM = "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nCHECK_MODIFIED_METHOD = 'mtime'\n"


def touch_article(site: Path, number: int) -> None:
    path = site / "content/articles/a00000.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nNachtrag {number}.\n", encoding="utf-8")


def add_comment(site: Path, number: int) -> str:
    folder = site / "content/comments/a00001"
    folder.mkdir(parents=True, exist_ok=True)
    marker = f"Neuer Benchmark-Kommentar {number}"
    (folder / f"bench{number}.md").write_text(
        f"author: Bench\ndate: 2024-01-01 10:{number:02d}\n\n{marker}\n", encoding="utf-8"
    )
    return marker


def measure(n: int, runs: int, tmp: Path) -> dict[str, Run]:
    site = tmp / f"site-{n}"
    counts = generate(site, n)
    progress(f"N={n}: {counts['articles']} Artikel, {counts['comments']} Kommentare")
    output = tmp / f"output-{n}"
    configs = {
        "a": write_config(tmp / f"conf_plain_{n}.py", PLAIN),
        "b": write_config(
            tmp / f"conf_cold_{n}.py", FULL_COLD + f"CACHE_PATH = {str(tmp / 'cold')!r}\n"
        ),
        "c": write_config(
            tmp / f"conf_warm_{n}.py", FULL_WARM + f"CACHE_PATH = {str(tmp / f'warm{n}')!r}\n"
        ),
        "s": write_config(
            tmp / f"conf_nosearch_{n}.py",
            FULL_COLD + f"CACHE_PATH = {str(tmp / 'cold')!r}\nSEARCH_INDEX = False\n",
        ),
    }
    results: dict[str, list[Run]] = {key: [] for key in "abcds"}
    for number in range(runs):
        for key in ("a", "b", "s"):
            progress(f"N={n} ({key}) Build {number + 1}/{runs} …")
            results[key].append(build_once(site, output, configs[key]))
    progress(f"N={n}: Cache füllen …")
    shutil.rmtree(tmp / f"warm{n}", ignore_errors=True)
    build_once(site, output, configs["c"])
    for number in range(runs):
        touch_article(site, number)
        progress(f"N={n} (c) Build {number + 1}/{runs} …")
        results["c"].append(build_once(site, output, configs["c"]))
    for number in range(runs):
        marker = add_comment(site, number)
        progress(f"N={n} (d) Build {number + 1}/{runs} …")
        results["d"].append(build_once(site, output, configs["c"]))
        page = next(output.glob("*/*/a00001/index.html")).read_text(encoding="utf-8")
        if marker not in page:
            raise RuntimeError(f"(d): der neue Kommentar fehlt auf der Seite ({marker})")
    return {key: median_run(value) for key, value in results.items()}


LABELS = {
    "a": "(a) plain Pelican",
    "b": "(b) Rundbrief kalt",
    "c": "(c) Rundbrief warm, 1 Artikel",
    "d": "(d) Rundbrief warm, 1 Kommentar",
    "s": "(b) ohne Suchindex (nur zur Info)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as name:
        tmp = Path(name)
        medians = {}
        for n in args.sizes:
            result = measure(n, args.runs, tmp)
            medians[n] = result
            print(f"N={n}")
            for key, label in LABELS.items():
                print(
                    f"  {label:34} {result[key].seconds:8.2f} s  "
                    f"{result[key].peak_rss_mib:8.1f} MiB  CPU {result[key].cpu_seconds:6.2f} s"
                )
            print(
                f"  without the Pagefind index: full/plain "
                f"{result['s'].seconds / result['a'].seconds:.2f}  memory full/plain "
                f"{result['s'].peak_rss_mib / result['a'].peak_rss_mib:.2f}",
                flush=True,
            )
            print(
                f"ratio full/plain: {result['b'].seconds / result['a'].seconds:.2f}  "
                f"warm/cold: {result['c'].seconds / result['b'].seconds:.2f}  "
                f"memory full/plain: {result['b'].peak_rss_mib / result['a'].peak_rss_mib:.2f}",
                flush=True,
            )
        if len(medians) > 1:
            small, large = min(medians), max(medians)
            scale = medians[large]["b"].seconds / medians[small]["b"].seconds
            print(f"scale N={small}→{large}: {scale:.2f}× time for {large / small:.0f}× articles")


if __name__ == "__main__":
    main()
