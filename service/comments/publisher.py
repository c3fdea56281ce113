"""Runs ``COMMENTS_PUBLISH_COMMAND`` after approvals: one run at a time, coalesced.

``request()`` asks for a run and returns at once. If no run is going, one starts in a
background thread; approvals that come while it runs are served by one more run after it
(their files may be too late for the running build), however many they are. The result
goes to ``on_result(ok, output, reason)``: the service logs it, mails the author on
failure and sends the "published" notifications on success. A failed run changes no
comment: approved stays approved, and the next run publishes it. A lock file (``lock``)
keeps runs of several processes (the service, ``make comment-approve``) apart as well.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)
OUTPUT_TAIL = 3000  # characters of the command's output kept for the log and the mail

Result = Callable[[bool, str, str], None]  # (ok, output tail, reason)


def run_command(command: str, *, cwd: Path, timeout: float) -> tuple[bool, str, str]:
    """Run the shell command; (ok, the tail of its output, a German reason if not ok)."""
    try:
        completed = subprocess.run(
            command,
            shell=True,
            cwd=cwd,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"").decode("utf-8", "replace")
        return False, output[-OUTPUT_TAIL:], f"nach {timeout:g} Sekunden abgebrochen"
    except OSError as error:
        return False, "", f"nicht startbar: {error.strerror}"
    output = completed.stdout.decode("utf-8", "replace")[-OUTPUT_TAIL:]
    if completed.returncode != 0:
        return False, output, f"Exit-Status {completed.returncode}"
    return True, output, ""


@contextlib.contextmanager
def held(lock: Path | None):
    """Wait for the lock file (released by the OS even if a process is killed)."""
    if lock is None:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Publisher:
    def __init__(
        self,
        command: str,
        *,
        cwd: Path,
        timeout: float,
        on_result: Result,
        lock: Path | None = None,
    ) -> None:
        self.command = command
        self.lock = lock
        self.cwd = cwd
        self.timeout = timeout
        self.on_result = on_result
        self.runs = 0  # finished runs (for the log and the tests)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._wanted = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="comments-publisher", daemon=True
                )
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no run is going or wanted; False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: self._thread is None, timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    self._idle.notify_all()
                    return
                self._wanted = False
            with held(self.lock):
                ok, output, reason = run_command(self.command, cwd=self.cwd, timeout=self.timeout)
            if ok:
                logger.info("Kommentare veröffentlicht (%s).", self.command)
            else:
                logger.error(
                    "COMMENTS_PUBLISH_COMMAND fehlgeschlagen (%s): %s\n%s",
                    reason,
                    self.command,
                    output,
                )
            try:
                self.on_result(ok, output, reason)
            except Exception:
                logger.exception("Nach dem Veröffentlichen ging etwas schief.")
            with self._lock:
                self.runs += 1
