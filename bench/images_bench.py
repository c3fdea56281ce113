"""What do the featured-image renditions cost, cold (empty cache) and warm?

    python bench/images_bench.py [--runs 3]

1. The renditions alone (rundbrief.images), per featured image of the reference site and
   for a 4000×3000 camera photo made here: cold (empty cache) and warm (everything cached).
2. Whole builds of the reference site (content/): without the images plugin, with it
   and an empty cache (cold), and with it and the cache of the previous build (warm); the
   median of --runs builds each, alternating.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, build_once, median_run, progress, write_config

sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw

from rundbrief.images.model import Options
from rundbrief.images.render import RenditionCache


def camera_photo(path: Path) -> Path:
    """A 4000×3000 JPEG with some detail (a gradient and many shapes)."""
    image = Image.new("RGB", (4000, 3000))
    draw = ImageDraw.Draw(image)
    for y in range(0, 3000, 4):
        draw.rectangle((0, y, 4000, y + 4), fill=(y % 255, (y // 3) % 255, 180))
    for n in range(400):
        x, y = (n * 997) % 3900, (n * 613) % 2900
        draw.ellipse((x, y, x + 90, y + 90), fill=((n * 37) % 255, (n * 91) % 255, n % 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def time_renditions(files: list[tuple[Path, str]], tmp: Path, runs: int) -> None:
    print("Renditionen allein (Median von", runs, "Läufen):")
    print(f"  {'Bild':<40} {'kalt':>9} {'warm':>9} {'Dateien':>8} {'KB':>8}")
    for file, path in files:
        cold, warm = [], []
        for number in range(runs):
            cache = RenditionCache(tmp / f"cache-{file.stem}-{number}", Options())
            started = time.perf_counter()
            info = cache.prepare(file, path)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            cache.prepare(file, path)
            warm.append(time.perf_counter() - started)
        size = sum(cache.file(r).stat().st_size for r in info.renditions) / 1024
        print(
            f"  {path:<40} {statistics.median(cold) * 1000:>7.0f}ms"
            f" {statistics.median(warm) * 1000:>7.1f}ms {len(info.renditions):>8} {size:>8.0f}"
        )


def time_builds(tmp: Path, runs: int) -> None:
    site = tmp / "site"
    shutil.copytree(ROOT / "content", site / "content")
    configs = {
        "ohne images-Plugin": write_config(
            tmp / "conf_off.py", "PLUGINS = [p for p in PLUGINS if p != 'images']"
        ),
        "kalt (leerer Cache)": write_config(tmp / "conf_cold.py", "CACHE_PATH = 'cache-cold'"),
        "warm (Cache da)": write_config(tmp / "conf_warm.py", "CACHE_PATH = 'cache-warm'"),
    }
    warm_cache = tmp / "cache-warm"
    build_once(site, tmp / "out-warm", configs["warm (Cache da)"])  # fills the warm cache
    results = {label: [] for label in configs}
    for number in range(runs):
        for label, config in configs.items():
            shutil.rmtree(tmp / "cache-cold", ignore_errors=True)
            results[label].append(build_once(site, tmp / f"out-{number}", config))
            progress(f"  {label}: {results[label][-1].seconds:.2f} s")
    assert any(warm_cache.rglob("*.webp"))
    print(f"Build der Referenz-Site (content/), Median von {runs} Builds:")
    base = median_run(results["ohne images-Plugin"]).seconds
    for label, items in results.items():
        run = median_run(items)
        print(
            f"  {label:<22} {run.seconds:6.2f} s  ({run.seconds - base:+.2f} s)"
            f"  CPU {run.cpu_seconds:6.2f} s  RSS {run.peak_rss_mib:5.0f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rundbrief-images-") as name:
        tmp = Path(name)
        files = [
            (file, f"images/{file.name}") for file in sorted((ROOT / "content/images").iterdir())
        ]
        files.append((camera_photo(tmp / "kamera.jpg"), "images/kamera.jpg"))
        time_renditions(files, tmp, args.runs)
        time_builds(tmp, args.runs)


if __name__ == "__main__":
    main()
