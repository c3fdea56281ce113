import shutil
from pathlib import Path

import pytest

from tests.support.sitebuild import ROOT, SITES, Build, build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Build:
    """The project's own content/, built once with pelicanconf.py."""
    out = tmp_path_factory.mktemp("real") / "output"
    result = build(ROOT, out)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture
def scenario(tmp_path):
    """Build tests/sites/<name>/ (copied to a temp folder) and return the Build."""

    def run(name: str, **kwargs) -> Build:
        site = tmp_path / name
        shutil.copytree(SITES / name, site)
        return build(site, tmp_path / "output", **kwargs)

    return run


def article_path(build_result: Build, slug_start: str) -> Path:
    matches = [
        p
        for p in build_result.output.glob("*/*/*/index.html")
        if p.parent.name.startswith(slug_start)
    ]
    assert len(matches) == 1, matches
    return matches[0]


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for the delivery tests."""
    from tests.support.smtpserver import LoopbackSMTP  # noqa: PLC0415

    with LoopbackSMTP() as server:
        yield server


@pytest.fixture
def service(tmp_path, smtp):
    """The subscription service on 127.0.0.1, sending through ``smtp``."""
    from tests.support.delivery import RunningService  # noqa: PLC0415

    with RunningService(tmp_path, smtp_port=smtp.port) as running:
        yield running
