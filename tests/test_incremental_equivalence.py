"""An incremental build writes exactly what a clean build of the same sources writes.

Seeded random edits (articles, comments, templates, static files, settings, images,
drafts) of tests/sites/incremental; after each step output/ of the incremental build is
compared with a clean build: every file byte-identical, no file more or less. The seed is
in the failure message; repeat one with ``RUNDBRIEF_SEED=<seed>``. The suite runs a few
steps; ``python bench/incremental_equivalence.py --steps 200`` runs the long series.
"""

from __future__ import annotations

import json
import os
import random

import pytest

from tests.support.incremental import (
    differences,
    make_site,
    read_article,
    run_series,
    write_article,
)
from tests.support.sitebuild import build


def rendered(manifest) -> list[str]:
    """What the last build rendered anew (recorded by the engine for people and tests)."""
    return json.loads(manifest.read_text(encoding="utf-8"))["rendered"]


pytestmark = pytest.mark.build

STEPS = int(os.environ.get("RUNDBRIEF_INCREMENTAL_STEPS", "8"))


def test_random_edits_build_the_same_as_a_clean_build(tmp_path):
    seed = int(os.environ.get("RUNDBRIEF_SEED") or random.SystemRandom().randrange(10**6))
    print(f"seed {seed}")
    history = run_series(tmp_path, seed, STEPS)
    assert len(history) == STEPS


def test_an_unchanged_site_renders_nothing_again_and_removes_what_is_gone(tmp_path):
    site = make_site(tmp_path)
    output = tmp_path / "build" / "output"
    output.parent.mkdir()
    settings = f"CACHE_PATH = {str(tmp_path / 'build' / 'cache')!r}\n"
    manifest = tmp_path / "build" / "cache" / "incremental.json"
    first = build(site, output, settings=settings)
    assert first.returncode == 0, first.log
    assert "2024/03/erster-beitrag/index.html" in rendered(manifest)
    shards = {
        name: output / "pagefind" / name / "pagefind-entry.json"
        for name in ("teil-2023", "teil-2024", "seiten")
    }
    stamps = {name: path.stat().st_mtime_ns for name, path in shards.items()}
    again = build(site, output, settings=settings)
    assert again.returncode == 0, again.log
    assert rendered(manifest) == []
    assert {name: path.stat().st_mtime_ns for name, path in shards.items()} == stamps
    # One article edited: its page and the lists that show its text, not the others.
    path = site / "content/articles/zweiter-beitrag.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    edited = build(site, output, settings=settings)
    assert edited.returncode == 0, edited.log
    assert "2024/03/zweiter-beitrag/index.html" in rendered(manifest)
    assert "2024/03/erster-beitrag/index.html" not in rendered(manifest)
    assert "impressum/index.html" not in rendered(manifest)
    # Search: only the shard of 2024 is indexed again.
    assert shards["teil-2024"].stat().st_mtime_ns != stamps["teil-2024"]
    assert shards["teil-2023"].stat().st_mtime_ns == stamps["teil-2023"]
    assert shards["seiten"].stat().st_mtime_ns == stamps["seiten"]
    # A stray file and a deleted article: both gone after the next build, as in a clean one.
    (output / "stray.html").write_text("alt", encoding="utf-8")
    (site / "content/articles/dritter.md").unlink()
    third = build(site, output, settings=settings)
    assert third.returncode == 0, third.log
    assert not (output / "stray.html").exists()
    assert not list(output.glob("2023/11/dritter*"))
    assert not (output / "pagefind" / "teil-2023").exists()
    (tmp_path / "clean").mkdir()
    clean = build(
        site, tmp_path / "clean" / "output", settings=f"CACHE_PATH = {str(tmp_path / 'c')!r}"
    )
    assert differences(output, clean.output) == []


def test_unchanged_digests_are_kept_and_gone_ones_removed(tmp_path):
    site = make_site(tmp_path)
    output = tmp_path / "build" / "output"
    output.parent.mkdir()
    settings = f"CACHE_PATH = {str(tmp_path / 'build' / 'cache')!r}\n"
    first = build(site, output, settings=settings)
    assert first.returncode == 0, first.log
    digests = output / "newsletter"
    files = ("email.html", "email.txt", "digest.json")
    weeks = {"2022-kw19", "2023-kw44", "2024-kw10", "2024-kw11"}
    assert weeks <= {path.parent.name for path in digests.glob("*/digest.json")}

    def stamps():
        return {
            (week, name): (digests / week / name).stat().st_mtime_ns
            for week in sorted(weeks)
            for name in files
            if (digests / week / name).exists()
        }

    before = stamps()
    path = site / "content/articles/zweiter-beitrag.md"
    headers, body = read_article(path)
    headers["Title"] = "Geänderter Titel Nachtrag"
    write_article(path, headers, body)
    edited = build(site, output, settings=settings)
    assert edited.returncode == 0, edited.log
    after = stamps()
    for week in ("2022-kw19", "2023-kw44", "2024-kw10"):
        assert all(after[(week, name)] == before[(week, name)] for name in files), week
    assert all(after[("2024-kw11", name)] != before[("2024-kw11", name)] for name in files)
    manifest = json.loads((digests / "2024-kw11" / "digest.json").read_text(encoding="utf-8"))
    assert "Geänderter Titel Nachtrag" in [item["title"] for item in manifest["articles"]]
    assert "Geänderter Titel Nachtrag" in (digests / "2024-kw11" / "email.txt").read_text(
        encoding="utf-8"
    )
    # A kept folder that was tampered with is written again.
    (digests / "2024-kw10" / "email.txt").write_text("kaputt", encoding="utf-8")
    # The lone article of 2023-kw44 deleted: its digest folder goes.
    (site / "content/articles/dritter.md").unlink()
    third = build(site, output, settings=settings)
    assert third.returncode == 0, third.log
    assert not (digests / "2023-kw44").exists()
    assert (digests / "2024-kw10" / "email.txt").read_text(encoding="utf-8") != "kaputt"
    (tmp_path / "clean").mkdir()
    clean = build(
        site, tmp_path / "clean" / "output", settings=f"CACHE_PATH = {str(tmp_path / 'c')!r}"
    )
    assert differences(output, clean.output) == []
