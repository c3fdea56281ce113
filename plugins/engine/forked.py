"""Work done in a forked copy of the build process, on the second core.

Pelican writes its pages in one process. Output that depends only on what the build has
read (feeds, digest e-mails) can be written at the same time by a forked child, which
inherits the whole build state without pickling. The child's log records travel back to
the parent and are logged there, so warnings are shown once and still count for strict
builds (QUALITY_STRICT).
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections.abc import Callable


class BackgroundError(RuntimeError):
    """The forked task failed; the message holds the child's traceback."""


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _child(task: Callable[[], None], connection) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    collector = _Collector()
    root.addHandler(collector)
    try:
        task()
    except BaseException:
        connection.send(("error", collector.records, traceback.format_exc()))
    else:
        connection.send(("ok", collector.records, ""))
    finally:
        connection.close()


class ForkedTask:
    """``task()`` running in a forked child from the moment this object is made."""

    def __init__(self, task: Callable[[], None], name: str) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(task, send), name=name)
        self._process.start()
        send.close()
        self.name = name
        self._waited = False

    def wait(self) -> None:
        """Wait for the child, log its records here, raise if it failed (once)."""
        if self._waited:
            return
        self._waited = True
        try:
            status, records, details = self._receive.recv()
        except EOFError:
            status, records, details = "error", [], "der Prozess endete ohne Ergebnis"
        self._process.join()
        self._receive.close()
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if status != "ok":
            raise BackgroundError(f"{self.name} ist gescheitert:\n{details}")
