"""A parallel build writes exactly what a serial one writes (same pages, feeds, digests)."""

from __future__ import annotations

import shutil

import pytest

from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

SERIAL = "BUILD_WORKERS = 0\n"
PARALLEL = "BUILD_WORKERS = 2\n"


def files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["comments", "digest", "bad-input", "feeds-basic"])
def test_parallel_and_serial_builds_are_identical(tmp_path, name):
    shutil.copytree(SITES / name, tmp_path / "site")
    outputs, logs = {}, {}
    for label, settings in (("serial", SERIAL), ("parallel", PARALLEL)):
        out = tmp_path / label
        result = build(tmp_path / "site", out, settings=settings)
        assert result.returncode == 0, result.log
        outputs[label] = files(out)
        logs[label] = sorted(line for line in result.log.splitlines() if "So beheben" in line)
    assert len(outputs["serial"]) > 10
    assert outputs["serial"].keys() == outputs["parallel"].keys()
    different = [n for n in outputs["serial"] if outputs["serial"][n] != outputs["parallel"][n]]
    assert different == []
    assert logs["serial"] == logs["parallel"]  # the same problems, reported the same way
