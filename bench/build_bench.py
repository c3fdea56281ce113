"""Build performance (issue 17): plain Pelican vs. Rundbrief, cold, warm, the dev loop.

    python bench/build_bench.py [--sizes 1000 5000] [--runs 3] [--shards]

For each size N a deterministic corpus (bench/corpus.py) is built; in each round, one
build of each variant, alternating (so a machine getting slower affects all alike):
  plain           plain Pelican 4.12 with our theme and no plugins, every feature off
  cold            full Rundbrief, clean (empty output/ and cache: as after `make clean`)
  cold-nocomments the same without the comment files (the share the comments add)
  warm-article    incremental, after editing one article
  warm-comment    incremental, after adding one comment (checked: the page shows it)
  warm-template   incremental, after changing a template every article page uses
Then the dev loop: `make devserver` (python -m engine.devserver) on the warm site; an
article is saved and the time until the server sends its page with the edit is taken.
Wall time and peak memory are medians over --runs; memory is the peak of the summed PSS of
the whole process tree (Pagefind, workers and forked writers included), sampled every
50 ms. --shards builds with SEARCH_SHARDS = True (one Pagefind bundle per year).
Last, per size, what the first search costs in Chromium (bench/search_cost.py).
The last line is machine-readable:
  bench: cold/plain 1.21 warm-article/cold 0.09 warm-comment/cold 0.08 warm-template/cold
  0.60 devloop 0.7 s mem-1000 250 MiB mem-5000 410 MiB
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from corpus import generate
from harness import (
    ROOT,
    Run,
    build_once,
    children,
    median_run,
    progress,
    write_config,
)

PLAIN = f"""
import sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
from articlepage import FILTERS as PAGE_FILTERS
from german import FILTERS as GERMAN_FILTERS
PLUGINS = []
# Our theme needs its filters; without plugins they come from JINJA_FILTERS (the plugins'
# own tables), every feature (comments, feeds, digest, search, JSON-LD, share links) is off.
JINJA_FILTERS = {{
    **GERMAN_FILTERS, **PAGE_FILTERS,
    "absolute": lambda url: SITEURL_ABSOLUTE + "/" + str(url).lstrip("/"),
    "jsonld": lambda article: "{{}}",
}}
# Without the plugins an article has no ``extras``: the theme reads them as empty.
from jinja2 import ChainableUndefined
JINJA_ENVIRONMENT = {{**JINJA_ENVIRONMENT, "undefined": ChainableUndefined}}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True
"""
TEMPLATE = "partials/share.html"  # included by every article page


def edit_article(site: Path, marker: str) -> None:
    path = site / "content/articles/a00000.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")


def add_comment(site: Path, number: int) -> str:
    folder = site / "content/comments/a00001"
    folder.mkdir(parents=True, exist_ok=True)
    marker = f"Neuer Benchmark-Kommentar {number}"
    (folder / f"bench{number}.md").write_text(
        f"author: Bench\ndate: 2024-01-01 10:{number:02d}\n\n{marker}\n", encoding="utf-8"
    )
    return marker


def change_template(theme: Path, number: int) -> None:
    path = theme / "templates" / TEMPLATE
    path.write_text(path.read_text(encoding="utf-8") + f"\n<!-- {number} -->\n", "utf-8")


def page_of(output: Path, slug: str) -> Path:
    return next(output.glob(f"*/*/{slug}/index.html"))


def clean(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def cpu_ticks(root: int) -> int:
    """CPU time (clock ticks) used so far by ``root`` and its living descendants."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
        pending += children(pid)
    return total


def wait_until_idle(process: subprocess.Popen) -> None:
    """The rebuild (Pagefind included) is over and Pelican watches for changes again: no
    CPU used for 1.5 s. (An edit made while it builds is not seen by its watcher.)"""
    started, last, quiet = time.perf_counter(), -1, 0.0
    while time.perf_counter() - started < 900 and quiet < 1.5:
        ticks = cpu_ticks(process.pid)
        quiet = quiet + 0.25 if ticks == last else 0.0
        last = ticks
        time.sleep(0.25)


def devloop(site: Path, output: Path, config: Path, runs: int) -> list[float]:
    """Seconds from saving an article to its updated page served by `make devserver`
    (python -m engine.devserver: quick page, then the incremental build)."""
    command = [sys.executable, "-m", "engine.devserver", "content", "-o", str(output)]
    process = subprocess.Popen(
        [*command, "-s", str(config), "-p", "0", "-q"],
        cwd=site,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}{os.pathsep}{ROOT}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seconds = []
    try:
        url = re.search(r"http://[\d.]+:\d+", process.stdout.readline()).group(0)
        page = url + "/" + page_of(output, "a00000").relative_to(output).parent.as_posix() + "/"
        wait_until_idle(process)  # the first build
        for number in range(runs):
            marker = f"Devloop-Nachtrag {number}"
            started = time.perf_counter()
            edit_article(site, marker)
            wait_for(page, marker, 300)
            seconds.append(time.perf_counter() - started)
            wait_until_idle(process)
            progress(f"  devloop {number + 1}/{runs}: {seconds[-1]:.2f} s")
    finally:
        process.terminate()
        process.wait(timeout=60)
    return seconds


def served(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, marker: str, limit: float) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if marker in served(url):
            return
        time.sleep(0.02)
    raise RuntimeError(f"{url}: „{marker}“ kam nicht an")


def measure(n: int, runs: int, tmp: Path, shards: bool) -> tuple[dict[str, Run], list[float]]:
    site = tmp / f"site-{n}"
    counts = generate(site, n)
    progress(f"N={n}: {counts['articles']} Artikel, {counts['comments']} Kommentare")
    theme = tmp / f"theme-{n}"
    shutil.copytree(ROOT / "theme", theme)
    extra = f"SEARCH_SHARDS = {shards}\n"
    configs = {
        "plain": write_config(tmp / f"conf_plain_{n}.py", PLAIN),
        "cold": write_config(
            tmp / f"conf_cold_{n}.py", extra + f"CACHE_PATH = {str(tmp / 'cold-cache')!r}\n"
        ),
        "cold-nocomments": write_config(
            tmp / f"conf_nocomments_{n}.py",
            extra + f"CACHE_PATH = {str(tmp / 'cold-cache')!r}\nCOMMENTS_PATH = 'keine'\n",
        ),
        "warm": write_config(
            tmp / f"conf_warm_{n}.py",
            extra + f"CACHE_PATH = {str(tmp / f'warm{n}')!r}\nTHEME = {str(theme)!r}\n",
        ),
    }
    cold_out, warm_out = tmp / f"cold-{n}", tmp / f"warm-{n}"
    results: dict[str, list[Run]] = {}
    progress(f"N={n}: warmen Stand aufbauen …")
    build_once(site, warm_out, configs["warm"])
    for number in range(runs):
        for key in ("plain", "cold", "cold-nocomments"):
            progress(f"N={n} {key} {number + 1}/{runs} …")
            clean(cold_out, tmp / "cold-cache")
            results.setdefault(key, []).append(build_once(site, cold_out, configs[key]))
        edit_article(site, f"Nachtrag {number}")
        progress(f"N={n} warm-article {number + 1}/{runs} …")
        results.setdefault("warm-article", []).append(build_once(site, warm_out, configs["warm"]))
        marker = add_comment(site, number)
        progress(f"N={n} warm-comment {number + 1}/{runs} …")
        results.setdefault("warm-comment", []).append(build_once(site, warm_out, configs["warm"]))
        if marker not in page_of(warm_out, "a00001").read_text(encoding="utf-8"):
            raise RuntimeError(f"warm-comment: der neue Kommentar fehlt ({marker})")
        change_template(theme, number)
        progress(f"N={n} warm-template {number + 1}/{runs} …")
        results.setdefault("warm-template", []).append(build_once(site, warm_out, configs["warm"]))
    progress(f"N={n}: Dev-Schleife …")
    loop = devloop(site, warm_out, configs["warm"], runs)
    return {key: median_run(value) for key, value in results.items()}, loop


def measure_devloop(n: int, runs: int, tmp: Path, shards: bool) -> list[float]:
    site = tmp / f"site-{n}"
    generate(site, n)
    config = write_config(
        tmp / f"conf_warm_{n}.py",
        f"SEARCH_SHARDS = {shards}\nCACHE_PATH = {str(tmp / f'warm{n}')!r}\n",
    )
    build_once(site, tmp / f"warm-{n}", config)
    return devloop(site, tmp / f"warm-{n}", config, runs)


def search_costs(output: Path) -> list[str]:
    """The first search on the warm site (bench/search_cost.py), if a browser is here."""
    from search_cost import corpus_words, first_search  # noqa: PLC0415  (needs Playwright)

    try:
        return [str(cost) for cost in first_search(output, corpus_words())]
    except Exception as error:  # no Chromium or Playwright here: the build figures stand
        return [f"Suche: nicht gemessen ({type(error).__name__}: {error})"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", action="store_true", help="SEARCH_SHARDS = True")
    parser.add_argument("--devloop-only", action="store_true", help="only the dev loop")
    args = parser.parse_args()
    if args.devloop_only:
        with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as name:
            for n in args.sizes:
                loop = measure_devloop(n, args.runs, Path(name), args.shards)
                print(f"N={n} devloop {statistics.median(loop):.2f} s ({loop})", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="rundbrief-bench-") as name:
        tmp = Path(name)
        medians, loops = {}, {}
        for n in args.sizes:
            result, loop = measure(n, args.runs, tmp, args.shards)
            medians[n], loops[n] = result, loop
            print(f"N={n}" + (" (SEARCH_SHARDS)" if args.shards else ""))
            for key, run in result.items():
                print(
                    f"  {key:16} {run.seconds:8.2f} s  tree {run.tree_mib:7.1f} MiB  "
                    f"max process {run.peak_rss_mib:7.1f} MiB  CPU {run.cpu_seconds:6.2f} s"
                )
            print(f"  devloop          {statistics.median(loop):8.2f} s  ({loop})")
            share = result["cold"].seconds / result["cold-nocomments"].seconds
            print(f"  comments: with/without {share:.2f} (cold)", flush=True)
            for line in search_costs(tmp / f"warm-{n}"):
                print(f"  {line}", flush=True)
        if len(medians) > 1:
            small, large = min(medians), max(medians)
            scale = medians[large]["cold"].seconds / medians[small]["cold"].seconds
            print(f"scale N={small}→{large}: {scale:.2f}× time for {large / small:.0f}× articles")
        first = medians[min(medians)]
        cold = first["cold"].seconds
        line = (
            f"bench: cold/plain {cold / first['plain'].seconds:.2f}"
            f" warm-article/cold {first['warm-article'].seconds / cold:.2f}"
            f" warm-comment/cold {first['warm-comment'].seconds / cold:.2f}"
            f" warm-template/cold {first['warm-template'].seconds / cold:.2f}"
            f" devloop {statistics.median(loops[min(medians)]):.1f} s"
        )
        for n in sorted(medians):
            line += f" mem-{n} {medians[n]['cold'].tree_mib:.0f} MiB"
        print(line, flush=True)


if __name__ == "__main__":
    main()
