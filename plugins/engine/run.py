"""One build's parallel work, on one object that lives exactly as long as the build.

``BuildRun.begin`` runs when Pelican asks for its generators (at the start of every run,
also each rebuild of ``make devserver``). It starts the pool and connects the run's own
bound methods to Pelican's signals; ``end`` (at ``finalized``) shuts everything down and
disconnects them. A run that failed halfway is ended when the next one begins. Nothing
is kept in Pelican's settings or context, and nothing at module level.

Checked against Pelican 4.12: ``get_writer`` is sent after the generators' contexts are
complete and their intersite links refreshed, and before anything is written, so that
is where the background writers are forked.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Protocol, runtime_checkable

from pelican import signals

from engine.events import comments_loaded, configured_now, now_asked
from engine.forked import ForkedTask
from engine.incremental import IncrementalBuild, IncrementalWriter
from quality.reader import CheckedMarkdownReader
from rundbrief.quality.preread import Preread, source_files

logger = logging.getLogger(__name__)


@runtime_checkable
class BackgroundWriter(Protocol):
    """A generator whose whole output can be written by a forked copy of the build."""

    def write_outputs(self) -> None:
        """Write every file of this generator (runs in the forked child)."""

    def written_by(self, task: ForkedTask) -> None:
        """The engine forked ``task`` to run ``write_outputs``; wait for it when writing."""


def content_cache_exists(settings) -> bool:
    """Pelican's reader cache of the articles is on disk (a warm build)."""
    return os.path.exists(os.path.join(settings["CACHE_PATH"], "ArticlesGenerator-Readers"))


def worker_count(setting: int | None) -> int:
    """BUILD_WORKERS: None means one worker per core; 0 means serial."""
    return (os.cpu_count() or 1) if setting is None else setting


class BuildRun:
    """The pool, the comments job, the Markdown preread and the forked writers of a run."""

    def __init__(self, settings) -> None:
        self.settings = settings
        # The build's one "now" (feeds, digests): FEEDS_NOW, else when the build began.
        self.now = configured_now(settings)
        self.workers = worker_count(settings["BUILD_WORKERS"])
        self.pool = self._start_pool(self.workers)
        # Before Pelican reads: other settings or code make its content cache go.
        self.incremental = IncrementalBuild(settings) if settings["BUILD_INCREMENTAL"] else None
        # The comments first: they take one worker while the rest render Markdown.
        # (Imported here: Pelican loads the plugins one by one, and comments needs the
        # engine's signals, so the engine loads first.)
        from rundbrief.comments.job import CommentsJob  # noqa: PLC0415

        key = self.incremental.key if self.incremental is not None else None
        self.comments = CommentsJob.start(settings, self.pool, key)
        self.preread = self._start_preread(settings) if self.pool else None
        self.generators: list = []
        self.background: ForkedTask | None = None
        self._handlers = (
            (now_asked, self.tell_now),
            (signals.readers_init, self.install_reader),
            (signals.article_generator_finalized, self.hand_over_comments),
            (signals.all_generators_finalized, self.keep_generators),
            (signals.get_writer, self.fork_writers),
            (signals.finalized, self.end),
        )

    # -- lifecycle -----------------------------------------------------------------
    @classmethod
    def begin(cls, pelican) -> None:
        """get_generators: end a run that failed halfway, then start this one."""
        for receiver in list(signals.finalized.receivers_for(pelican)):
            if isinstance(getattr(receiver, "__self__", None), cls):
                receiver.__self__.end(pelican, completed=False)
        cls(pelican.settings).connect()

    def connect(self) -> None:
        for signal, handler in self._handlers:
            signal.connect(handler, weak=False)

    def end(self, pelican=None, *, completed: bool = True) -> None:
        """finalized: shut the pool down, finish the incremental build (a completed one
        only) and disconnect this run's handlers."""
        self._shutdown_pool(wait=False)
        incremental, self.incremental = self.incremental, None
        if incremental is not None and completed:
            incremental.finish()
        for signal, handler in self._handlers:
            signal.disconnect(handler)

    @staticmethod
    def _start_pool(workers: int) -> ProcessPoolExecutor | None:
        if workers < 1:
            return None
        try:
            return ProcessPoolExecutor(max_workers=workers)
        except OSError as error:  # no process support here (e.g. no /dev/shm): serial
            logger.info("Der Build läuft ohne Prozess-Pool: %s", error)
            return None

    def _start_preread(self, settings) -> Preread | None:
        # With a content cache to load, Pelican reads only changed files: nothing to do.
        if settings["LOAD_CONTENT_CACHE"] and content_cache_exists(settings):
            return None
        files = source_files(
            settings["PATH"],
            [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]],
            settings["IGNORE_FILES"],
        )
        return Preread.start(self.pool, files, settings["MARKDOWN"])

    def _shutdown_pool(self, *, wait: bool) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None
        self.preread = None

    # -- the run's signal handlers ---------------------------------------------------
    def tell_now(self, sender) -> datetime:
        """engine.events.now_asked: the moment this build counts as "now"."""
        return self.now

    def install_reader(self, readers) -> None:
        """readers_init: Pelican's Markdown reader takes what the pool rendered ahead."""
        if self.preread is None:
            return
        bound = type(
            CheckedMarkdownReader.__name__, (CheckedMarkdownReader,), {"preread": self.preread}
        )
        for extension, reader_class in list(readers.reader_classes.items()):
            if reader_class is CheckedMarkdownReader:
                readers.reader_classes[extension] = bound

    def hand_over_comments(self, generator) -> None:
        """article_generator_finalized: the comments loaded meanwhile, to the comments plugin."""
        comments_loaded.send(generator, loaded=self.comments.result(), root=self.comments.root)

    def keep_generators(self, generators) -> None:
        self.generators = list(generators)

    def fork_writers(self, pelican) -> type[IncrementalWriter] | None:
        """get_writer: no more reading; the pool goes, the output folder is made ready for
        an incremental build, then the background writers fork. Returns the writer."""
        self._shutdown_pool(wait=True)
        writer = None
        if self.incremental is not None:
            if self.incremental.start_writing(pelican.output_path, pelican.path):
                writer = type(
                    IncrementalWriter.__name__,
                    (IncrementalWriter,),
                    {"incremental": self.incremental},
                )
            else:
                self.incremental = None
        self._fork_background()
        return writer

    def _fork_background(self) -> None:
        writers = [g for g in self.generators if isinstance(g, BackgroundWriter)]
        if not writers or self.workers < 1:
            return

        def task() -> None:
            for writer in writers:
                writer.write_outputs()

        self.background = ForkedTask(task, "Hintergrund-Schreiber")
        for writer in writers:
            writer.written_by(self.background)
