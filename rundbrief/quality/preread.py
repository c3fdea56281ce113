"""Rendering the Markdown of all articles and pages in a process pool, ahead of Pelican.

Pelican reads one file after another in one process. At the start of a build this job
hands every article and page to the engine's worker processes (see ``engine``); when
Pelican's reader
asks for a file, its HTML is usually ready. A file that changed in between, or that a
worker could not render, is simply read again by the reader itself, so the result is the
same as a serial build. Pure apart from the process pool: no Pelican import.
"""

from __future__ import annotations

import copy
import fnmatch
import logging
import os
from concurrent.futures import Executor, Future
from dataclasses import dataclass

from markdown import Markdown

from rundbrief.cleantext import BUILT_WITHOUT, clean_text, removed_problem
from rundbrief.problems import Problem, display_path, first_bad_utf8_line
from rundbrief.quality.header import check_header

logger = logging.getLogger(__name__)
CHUNK = 16


@dataclass(slots=True)
class Rendered:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file that was rendered
    content: str
    meta: dict[str, list[str]]
    problems: list[Problem]
    repaired: dict[str, str]


def stamp(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_size


def render_file(path: str, markdown_settings: dict) -> Rendered | None:
    """HTML and raw metadata of one Markdown file; None when the reader must handle it."""
    before = stamp(path)
    with open(path, "rb") as handle:
        data = handle.read()
    if first_bad_utf8_line(data) is not None:
        return None
    text, removed = clean_text(data.decode("utf-8").lstrip("\ufeff"))
    checked = check_header(text, display_path(path))
    if checked.skip:
        return None
    if removed:
        checked.problems.append(removed_problem(display_path(path), removed, BUILT_WITHOUT))
    converter = Markdown(**markdown_settings)
    content = converter.convert(text)
    meta = getattr(converter, "Meta", {})
    return Rendered(before, content, meta, checked.problems, checked.repaired)


def reader_markdown_settings(settings: dict) -> dict:
    """A copy of the MARKDOWN setting as Pelican's MarkdownReader completes it (every
    configured extension enabled, plus `meta` for the header)."""
    completed = copy.deepcopy(settings)
    configs = completed.setdefault("extension_configs", {})
    extensions = completed.setdefault("extensions", [])
    for name in [*configs, "markdown.extensions.meta"]:
        if name not in extensions:
            extensions.append(name)
    return completed


def render_chunk(paths: list[str], markdown_settings: dict) -> dict[str, Rendered | None]:
    return {path: render_file(path, markdown_settings) for path in paths}


def source_files(content_path: str, folders: list[str], ignores: list[str]) -> list[str]:
    """The Markdown files below the article and page folders (sorted, absolute)."""
    found = []
    for folder in folders:
        root = os.path.join(content_path, folder) if folder else content_path
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores))
            found += [
                os.path.abspath(os.path.join(dirpath, name))
                for name in sorted(files)
                if name.endswith((".md", ".markdown", ".mkd", ".mdown"))
                and not any(fnmatch.fnmatch(name, i) for i in ignores)
            ]
    return found


class Preread:
    """One build's ahead-of-time Markdown rendering, in the engine's process pool."""

    def __init__(self, futures: dict[str, Future]) -> None:
        self._futures = futures

    @classmethod
    def start(cls, pool: Executor, files: list[str], markdown_settings: dict) -> Preread | None:
        if not files:
            return None
        markdown_settings = reader_markdown_settings(markdown_settings)
        futures = {}
        for start in range(0, len(files), CHUNK):
            chunk = files[start : start + CHUNK]
            future = pool.submit(render_chunk, chunk, markdown_settings)
            futures.update(dict.fromkeys(chunk, future))
        return cls(futures)

    def take(self, path: str) -> Rendered | None:
        """The worker's result for ``path`` if the file has not changed since."""
        future = self._futures.pop(os.path.abspath(path), None)
        if future is None:
            return None
        try:
            rendered = future.result().get(os.path.abspath(path))
        except Exception as error:
            logger.debug("Vorab-Rendern von %s fehlgeschlagen: %s", path, error)
            return None
        if rendered is None or rendered.stamp != stamp(path):
            return None
        return rendered
