"""`make devserver`: rebuilds on save and the browser reloads itself; the reload script
is added only by the dev server, never written to output/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.support.incremental import make_site
from tests.support.sitebuild import ROOT, build, write_config

pytestmark = pytest.mark.build


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait(condition, limit: float = 240.0):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("Zeitüberschreitung")


def dev_site(tmp_path):
    """The incremental scenario site, its settings file (own cache, no search index) and
    the environment that runs the engine's modules."""
    site = make_site(tmp_path)
    config = write_config(
        tmp_path / "devconf.py",
        (site / "settings.py").read_text(encoding="utf-8")
        + f"\nCACHE_PATH = {str(tmp_path / 'cache')!r}\nSEARCH_INDEX = False\n",
    )
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}{os.pathsep}{ROOT}"}
    return site, config, env


def test_devserver_reloads_after_a_save_and_keeps_output_clean(tmp_path):
    site, config, env = dev_site(tmp_path)
    output = tmp_path / "output"
    command = [sys.executable, "-m", "engine.devserver", "content", "-o", str(output)]
    process = subprocess.Popen(
        [*command, "-s", str(config), "-p", "0"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://[\d.]+:\d+", line).group(0)
        page = "/2024/03/erster-beitrag/"
        wait((output / page.strip("/") / "index.html").is_file)
        served = wait(lambda: fetch(url + page))
        assert '<script src="/__rundbrief/livereload.js"></script></body>' in served
        assert "__rundbrief" not in (output / page.strip("/") / "index.html").read_text("utf-8")
        assert "location.reload" in fetch(url + "/__rundbrief/livereload.js")
        stamp = wait(
            lambda: fetch(url + "/__rundbrief/build") != "0" and fetch(url + "/__rundbrief/build")
        )
        time.sleep(1.5)
        stamp = fetch(url + "/__rundbrief/build")
        article = site / "content/articles/erster-beitrag.md"
        article.write_text(article.read_text("utf-8") + "\nGespeichert im Editor.\n", "utf-8")
        wait(lambda: fetch(url + "/__rundbrief/build") != stamp)
        assert "Gespeichert im Editor." in fetch(url + page)
    finally:
        process.terminate()
        process.wait(timeout=60)
    # A normal build of the same site has no reload script anywhere.
    (tmp_path / "plain").mkdir()
    plain = build(site, tmp_path / "plain" / "output", settings="SEARCH_INDEX = False")
    assert plain.returncode == 0, plain.log
    assert not [
        p for p in plain.output.rglob("*") if p.is_file() and b"__rundbrief" in p.read_bytes()
    ]
    assert not [p for p in output.rglob("*") if p.is_file() and b"__rundbrief" in p.read_bytes()]


def test_quick_pages_are_what_the_build_writes_next(tmp_path):
    """The dev loop writes a saved article's page before the build (engine.quickpage): the
    build that follows writes the same bytes; where it could differ (metadata, status,
    a comment) no quick page is written."""
    site, config, env = dev_site(tmp_path)
    report = tmp_path / "report.json"
    probe = [sys.executable, "-m", "tests.support.quickpage_probe", str(site), str(config)]
    result = subprocess.run(
        [*probe, str(tmp_path / "output"), str(report)],
        check=False,
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    steps = {step["step"]: step for step in json.loads(report.read_text(encoding="utf-8"))}
    first, second = "2024/03/erster-beitrag/index.html", "2024/03/zweiter-beitrag/index.html"
    assert steps["body"]["written"] == [first]
    assert "Schnell gespeichert." in steps["body"]["quick"][first]
    assert sorted(steps["two"]["written"]) == [first, second]
    assert "Auch hier." in steps["two"]["quick"][second]
    for name in ("body", "two"):
        assert steps[name]["quick"] == steps[name]["built"], name
        # The page still shows its comments and its neighbours (taken over).
        page = BeautifulSoup(steps[name]["quick"][first], "html.parser")
        assert page.select(".comment"), name
        assert page.select_one('a[rel="prev"], a[rel="next"]'), name
    for name in ("title", "draft", "comment"):
        assert steps[name]["written"] == [], name
