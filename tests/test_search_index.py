"""The Pagefind index: built from the article and page outputs only, the same as over all HTML."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search import pagefind_glob, path_shape
from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build


@pytest.mark.parametrize(
    ("relative", "shape"),
    [
        ("2015/06/wie-affen/index.html", "*/*/*/index.html"),
        ("impressum/index.html", "*/index.html"),
        ("404.html", "404.html"),
        ("a/b/seite[1].html", None),  # would be a glob pattern: index everything instead
        ("feeds/atom.xml", None),
    ],
)
def test_path_shape(relative, shape):
    assert path_shape(relative) == shape


def test_pagefind_glob_falls_back_to_every_page_when_unsure():
    assert pagefind_glob({"*/index.html", "*/*/*/index.html"}) == "{*/*/*/index.html,*/index.html}"
    assert pagefind_glob({"*/index.html", None}) is None
    assert pagefind_glob(set()) is None


def bundle(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_index_is_the_same_as_pagefind_over_every_html_file(tmp_path):
    shutil.copytree(SITES / "search", tmp_path / "site")
    result = build(tmp_path / "site", tmp_path / "out")
    assert result.returncode == 0, result.log
    built = result.output / "pagefind"
    entry = json.loads((built / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["de"]["page_count"] == 3  # two articles and the Impressum
    ours = bundle(built)
    # Our own list of parts for the search page (empty: this folder is the one bundle).
    assert json.loads(ours.pop(Path("teile.json"))) == {"teile": []}
    shutil.rmtree(built)  # now Pagefind reads every HTML file of the site itself
    command = [sys.executable, "-m", "pagefind", "--site", str(result.output), "--silent"]
    subprocess.run(command, check=True)
    assert bundle(built) == ours


def indexed_urls(root):
    """The page URLs in every shard's fragments (gzip, Pagefind's prefix, then JSON)."""
    urls = set()
    for path in root.glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.add(json.loads(data)["url"])
    return urls


def test_index_in_shards_holds_the_articles_and_pages_only(tmp_path):
    shutil.copytree(SITES / "search", tmp_path / "site")
    result = build(tmp_path / "site", tmp_path / "out", settings="SEARCH_SHARDS = True")
    assert result.returncode == 0, result.log
    root = result.output / "pagefind"
    shards = json.loads((root / "teile.json").read_text("utf-8"))["teile"]
    assert shards and all((root / shard / "pagefind.js").is_file() for shard in shards)
    assert "seiten" in shards
    counts = [
        json.loads((root / shard / "pagefind-entry.json").read_text("utf-8"))["languages"]["de"][
            "page_count"
        ]
        for shard in shards
    ]
    assert sum(counts) == 3  # two articles and the Impressum
    urls = indexed_urls(root)
    assert "/impressum/" in urls and len(urls) == 3
    assert all(url.count("/") == 4 for url in urls - {"/impressum/"})  # /YYYY/MM/slug/
    # The search page's UI files come from the first shard.
    assert (root / "pagefind-ui.js").read_bytes() == (
        root / shards[0] / "pagefind-ui.js"
    ).read_bytes()
    # One shard is what Pagefind makes of its own pages alone.
    first = shards[-1]
    ours = {
        p.relative_to(root / first): p.read_bytes()
        for p in (root / first).rglob("*")
        if p.is_file()
    }
    shutil.rmtree(root)
    pages = sorted(
        p.relative_to(result.output).as_posix()
        for p in result.output.glob(first.removeprefix("teil-") + "/*/*/index.html")
    )
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(result.output),
        "--silent",
        "--glob",
        "{" + ",".join(pages) + "}",
        "--output-subdir",
        f"pagefind/{first}",
    ]
    subprocess.run(command, check=True)
    again = {
        p.relative_to(root / first): p.read_bytes()
        for p in (root / first).rglob("*")
        if p.is_file()
    }
    assert again == ours
