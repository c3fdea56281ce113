"""Running the WordPress importer as a user does, in a subprocess (shared by its tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.sitebuild import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "wxr"


def run_import(site: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "wpimport", *args],
        cwd=site,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
