"""Loading the comments in the engine's process pool while Pelican reads the articles."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from pathlib import Path

from rundbrief.comments.loader import LoadedComments, load_threads
from rundbrief.problems import display_path


class CommentsJob:
    """One build's comment loading: in a worker of the pool, or inline without one."""

    def __init__(self, root: str, arguments: tuple, future: Future | None) -> None:
        self.root = root
        self._arguments = arguments
        self._future = future

    @classmethod
    def start(cls, settings, pool: Executor | None) -> CommentsJob:
        root = display_path(str(Path(settings["PATH"]) / settings["COMMENTS_PATH"]))
        arguments = (
            root,
            settings["TIMEZONE"],
            settings["COMMENTS_MAX_DEPTH"],
            settings["COMMENTS_MAX_LENGTH"],
        )
        future = pool.submit(load_threads, *arguments) if pool is not None else None
        return cls(root, arguments, future)

    def result(self) -> LoadedComments:
        if self._future is None:
            return load_threads(*self._arguments)
        return self._future.result()
