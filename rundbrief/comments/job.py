"""Loading the comments in the engine's process pool while Pelican reads the articles."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from pathlib import Path

from rundbrief.comments.loader import LoadedComments, load_threads
from rundbrief.problems import display_path

CACHE_FILE = "comments-threads.pickle"  # in CACHE_PATH (rundbrief.comments.loader)


class CommentsJob:
    """One build's comment loading: in a worker of the pool, or inline without one."""

    def __init__(self, root: str, arguments: tuple, options: dict, future: Future | None) -> None:
        self.root = root
        self._arguments = arguments
        self._options = options
        self._future = future

    @classmethod
    def start(cls, settings, pool: Executor | None, key: str | None = None) -> CommentsJob:
        """``key``: the incremental build's global key (None: no incremental build); with
        it the threads of unchanged folders come from the last build's cache."""
        root = display_path(str(Path(settings["PATH"]) / settings["COMMENTS_PATH"]))
        cache = str(Path(settings["CACHE_PATH"]) / CACHE_FILE) if key is not None else None
        arguments = (
            root,
            settings["TIMEZONE"],
            settings["COMMENTS_MAX_DEPTH"],
            settings["COMMENTS_MAX_LENGTH"],
        )
        options = {"cache": cache, "key": key}
        future = pool.submit(load_threads, *arguments, **options) if pool else None
        return cls(root, arguments, options, future)

    def result(self) -> LoadedComments:
        if self._future is None:
            return load_threads(*self._arguments, **self._options)
        return self._future.result()
