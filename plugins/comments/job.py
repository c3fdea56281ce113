"""Reading the comments in a second process while Pelican reads the articles."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from comments.loader import LoadedComments, load_threads
from quality.problems import display_path

logger = logging.getLogger(__name__)


class CommentsJob:
    """One build's comment loading: in a worker process, or inline."""

    def __init__(self, root: str, future: Future | None, executor, arguments) -> None:
        self.root = root
        self._future = future
        self._executor = executor
        self._arguments = arguments

    @classmethod
    def start(cls, settings, *, parallel: bool | None = None) -> CommentsJob:
        root = display_path(str(Path(settings["PATH"]) / settings.get("COMMENTS_PATH", "comments")))
        arguments = (
            root,
            settings.get("TIMEZONE", "Europe/Berlin"),
            settings.get("COMMENTS_MAX_DEPTH", 5),
        )
        if parallel is None:
            parallel = settings.get("COMMENTS_PARALLEL", True)
        if not parallel:
            return cls(root, None, None, arguments)
        try:
            executor = ProcessPoolExecutor(max_workers=1)
            future = executor.submit(load_threads, *arguments)
        except OSError as error:  # no process support (e.g. no /dev/shm): read inline
            logger.info("Kommentare werden ohne zweiten Prozess gelesen: %s", error)
            return cls(root, None, None, arguments)
        return cls(root, future, executor, arguments)

    # Pelican pickles its shared context (which holds the job until the articles are done)
    # into the content cache: a job pickles as its arguments, without the worker.
    def __getstate__(self) -> dict:
        return {"root": self.root, "arguments": self._arguments}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["root"], None, None, state["arguments"])

    def result(self) -> LoadedComments:
        if self._future is None:
            return load_threads(*self._arguments)
        try:
            return self._future.result()
        finally:
            self._executor.shutdown(wait=True)
