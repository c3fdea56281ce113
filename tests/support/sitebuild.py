"""Build a site for real with Pelican, in a subprocess, the way `make html` does.

A scenario site is a folder with `content/` and an optional `settings.py` whose names
override the project's pelicanconf.py. The build runs with the site folder as working
directory, so messages name files as an author sees them (`content/articles/x.md`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "tests" / "sites"


@dataclass
class Build:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def path(self, relative: str) -> Path:
        path = self.output / relative
        if path.is_dir():
            path = path / "index.html"
        return path

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(relative).read_text(encoding="utf-8"), "lxml")

    def pages(self) -> list[Path]:
        """Every web page (the digests' email.html files are e-mails, not pages)."""
        return sorted(p for p in self.output.rglob("*.html") if p.name != "email.html")


def write_config(config: Path, overrides: str = "", *, base: str = "pelicanconf") -> Path:
    """A settings file at ``config``: the project's ``base`` settings (pelicanconf or
    publishconf) with this repository's theme and plugins, then ``overrides``. The tests
    and the benchmarks (bench/harness.py) build with it."""
    config.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"from {base} import *  # noqa\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n" + overrides + "\n",
        encoding="utf-8",
    )
    return config


def pelican_command(output: Path, config: Path, *extra_args: str) -> list[str]:
    """The `pelican` command line of a build (`make html` runs the same), for the tests and
    the benchmarks (bench/harness.py)."""
    return [
        sys.executable,
        "-m",
        "pelican",
        "content",
        "-o",
        str(output),
        "-s",
        str(config),
        "--log-handler",
        "plain",
        *extra_args,
    ]


def build(
    site: Path,
    output: Path,
    *,
    base: str = "pelicanconf",
    settings: str = "",
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> Build:
    """Build `site` (a folder with content/) into `output`; never raises on a failed build."""
    extra = site / "settings.py"
    overrides = (extra.read_text(encoding="utf-8") if extra.exists() else "") + "\n" + settings
    config = write_config(
        output.parent / "buildconf.py", "CACHE_PATH = 'cache'\n" + overrides, base=base
    )
    run_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "200", **(env or {})}
    result = subprocess.run(
        pelican_command(output, config, *extra_args),
        cwd=site,
        capture_output=True,
        text=True,
        env=run_env,
        timeout=600,
        check=False,
    )
    return Build(result.returncode, result.stdout, result.stderr, output)


if __name__ == "__main__":  # `python tests/support/sitebuild.py SITE OUTPUT`: a publish command
    finished = build(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.write(finished.log)
    sys.exit(finished.returncode)
