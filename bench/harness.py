"""Running whole Pelican builds for the benchmarks: wall time and peak memory per build."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.sitebuild import write_config  # noqa: E402  (re-exported for the benches)

__all__ = ["ROOT", "Run", "build_once", "median_run", "progress", "write_config"]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float
    cpu_seconds: float = 0.0  # user + system, the build and every process it waited for


def build_once(site: Path, output: Path, config: Path) -> Run:
    """One `pelican` build in a child process; peak RSS from the child's own rusage."""
    command = [
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
        "-q",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build failed ({config}):\n{stderr[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_rss_mib for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
