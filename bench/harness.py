"""Running whole Pelican builds for the benchmarks: wall time and peak memory per build."""

from __future__ import annotations

import ctypes
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.sitebuild import (  # noqa: E402  (write_config re-exported for the benches)
    pelican_command,
    write_config,
)

__all__ = [
    "ROOT",
    "Run",
    "build_once",
    "children",
    "median_run",
    "pelican_command",
    "progress",
    "write_config",
]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float
    cpu_seconds: float = 0.0  # user + system, the build and every process it waited for
    tree_mib: float = 0.0  # peak of the summed PSS of the whole process tree (sampled)


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# kcmp(2) with KCMP_VM: do two processes share one address space? (syscall numbers)
KCMP_SYSCALL = {"x86_64": 312, "aarch64": 272}.get(platform.machine())
_KCMP_VM = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # the C library this process runs on


def shares_memory(parent: int, child: int) -> bool:
    """``child`` still runs in ``parent``'s address space: a child of vfork() that has not
    exec'd yet (Python's subprocess starts Pagefind and every command that way). Its
    smaps show the parent's whole memory, which the sum must not count twice."""
    if KCMP_SYSCALL is None:
        return False
    return _LIBC.syscall(KCMP_SYSCALL, parent, child, _KCMP_VM, 0, 0) == 0


def tree_pss_mib(root: int) -> float:
    """Summed proportional set size of ``root`` and all its descendants (shared pages of
    forked children counted once, split between them; a vfork child before its exec is
    the parent's memory and not counted again)."""
    total, pending = 0, [(root, None)]
    while pending:
        pid, parent = pending.pop()
        # Checked before reading: such a child shares from its start until its exec.
        if parent is None or not shares_memory(parent, pid):
            total += _pss_kib(pid)
        pending += [(child, pid) for child in children(pid)]
    return total / 1024


def build_once(site: Path, output: Path, config: Path) -> Run:
    """One `pelican` build in a child process; peak RSS from the child's own rusage."""
    command = pelican_command(output, config, "-q")
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=errors)
        tree = 0.0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree = max(tree, tree_pss_mib(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build failed ({config}):\n{stderr[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, tree)


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_rss_mib for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
        statistics.median(r.tree_mib for r in runs),
    )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
