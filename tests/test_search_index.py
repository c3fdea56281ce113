"""The Pagefind index: built from the article and page outputs only, the same as over all HTML."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

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
    shutil.rmtree(built)  # now Pagefind reads every HTML file of the site itself
    command = [sys.executable, "-m", "pagefind", "--site", str(result.output), "--silent"]
    subprocess.run(command, check=True)
    assert bundle(built) == ours
