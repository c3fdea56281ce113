"""bench/harness.py: the process tree's memory counts a vfork child's borrowed memory once."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from harness import KCMP_SYSCALL, shares_memory, tree_pss_mib

pytestmark = pytest.mark.skipif(KCMP_SYSCALL is None, reason="kcmp: syscall number unknown here")


def test_only_a_process_in_the_same_address_space_shares_memory():
    me = os.getpid()
    assert shares_memory(me, me)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    forked = multiprocessing.get_context("fork").Process(target=time.sleep, args=(5,))
    forked.start()
    try:
        assert not shares_memory(me, process.pid)  # exec'd: its own memory
        assert not shares_memory(me, forked.pid)  # forked: a copy, counted by PSS
        assert tree_pss_mib(me) > 0
    finally:
        process.kill()
        forked.kill()
        process.wait()
        forked.join()
