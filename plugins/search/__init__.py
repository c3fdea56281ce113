"""search: the Pagefind full-text index of articles and pages.

Pagefind (from PyPI, with its own binary) reads the written HTML: only regions marked
`data-pagefind-body` (article and page bodies) are indexed, with German stemming from
`<html lang="de">`. The index lives in output/pagefind/ and is served like any file.
Drafts are not indexed.

When Pelican has written the articles and pages (this plugin's generator comes right
after Pelican's own, so list it early in PLUGINS), the plugin knows what Pagefind would
read. In an incremental build (engine.incremental) where none of those pages was rendered
anew and their paths are the same, the last index is kept. Otherwise Pagefind runs at the
end (`finalized`), on the finished output folder (it hung now and then when it read while
the feeds and digests were being written). It is pointed (`--glob`) at the shapes of the
paths the articles and pages were written to, so it does not parse the thousand list, tag
and digest pages that have nothing to index.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys

from pelican import signals

from engine.incremental import IncrementalWriter

logger = logging.getLogger(__name__)
BUNDLE = "pagefind"  # Pagefind's folder in the output
STATE = "search"  # its entry in the incremental build's manifest
PAGEFIND_TIMEOUT = 600  # seconds; a Pagefind that hangs must not hang the build


def pagefind_command(output_path: str, glob: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", output_path, "--silent"]
    return [*command, "--glob", glob] if glob else command


_GLOB_SPECIAL = frozenset("*?[]{}!,\\")


def path_shape(relative: str) -> str | None:
    """``2015/06/slug/index.html`` -> ``*/*/*/index.html``; None if the name needs quoting."""
    *folders, name = relative.split("/")
    if not name.endswith(".html") or _GLOB_SPECIAL.intersection(name):
        return None
    return "*/" * len(folders) + name


def pagefind_glob(shapes: set[str | None]) -> str | None:
    """One glob for all shapes; None (Pagefind's default, every HTML file) if any is odd."""
    if not shapes or None in shapes:
        return None
    return "{" + ",".join(sorted(shapes)) + "}"


_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*")
PAGES_SHARD = "seiten"
SHARDS_FILE = "teile.json"
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")


def shard_of(relative: str) -> str:
    """Articles by their first folder (the year), pages (one folder deep) together."""
    parts = relative.split("/")
    return f"teil-{parts[0]}" if len(parts) > 2 else PAGES_SHARD


def shard_pages(pages) -> dict[str, list[str]] | None:
    """The indexed pages by shard; None if a path would need quoting in a glob."""
    if not pages or not all(_PLAIN_PATH.fullmatch(page) for page in pages):
        return None
    shards: dict[str, list[str]] = {}
    for page in sorted(pages):
        shards.setdefault(shard_of(page), []).append(page)
    return shards


def whole_site(pages) -> dict[str, list[str]] | None:
    """All indexed pages as one part (the bundle in pagefind/ itself)."""
    if not pages or not all(_PLAIN_PATH.fullmatch(page) for page in pages):
        return None
    return {"": sorted(pages)}


def exact_glob(paths: list[str]) -> str:
    """A glob that matches exactly these (plain) paths."""
    return "{" + ",".join(paths) + "}"


def write_shard_root(root: str, shards: list[str]) -> None:
    """pagefind/: the shard list the search page merges, the UI of the first shard, and
    nothing that belongs to a shard that is gone."""
    os.makedirs(root, exist_ok=True)
    keep = {*shards, SHARDS_FILE, *UI_FILES}
    for entry in os.listdir(root):
        if entry not in keep:
            path = os.path.join(root, entry)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    for name in UI_FILES:
        shutil.copyfile(os.path.join(root, shards[0], name), os.path.join(root, name))
    write_parts_list(root, shards)


def write_parts_list(root: str, parts: list[str]) -> None:
    """teile.json: the bundles the search page merges (empty: pagefind/ is the bundle)."""
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, SHARDS_FILE), "w", encoding="utf-8") as handle:
        json.dump({"teile": parts}, handle)


class SearchGenerator:
    """Starts Pagefind once the articles and pages are written; waits for it at the end.

    Everything it knows lives on the instance, for one build: the shapes of the written
    article and page paths (``content_written``) and the running Pagefind process; its
    bound methods are connected for the length of the build and disconnected at the end.
    """

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings = settings
        self.output_path = output_path
        self.shapes: set[str | None] = set()
        self.pages: set[str] = set()
        self.runs: list[tuple[str | None, str | None]] | None = None
        self.shards: list[str] | None = None
        self.incremental = None
        signals.content_written.connect(self.page_written)
        signals.finalized.connect(self.finish_index)

    def page_written(self, path, context):
        """Note the shape of every article and page output (the pages Pagefind indexes);
        drafts are not published, so they are not searchable either."""
        if not context or ("article" not in context and "page" not in context):
            return
        content = context.get("article") or context.get("page")
        if getattr(content, "status", None) == "draft":
            return
        try:
            relative = os.path.relpath(path, self.output_path)
        except ValueError:
            self.shapes.add(None)
            return
        relative = relative.replace(os.sep, "/")
        shape = None if relative.startswith("..") else path_shape(relative)
        self.shapes.add(shape)
        self.pages.add(relative)

    def generate_output(self, writer):
        """The articles and pages are written: decide which parts must be indexed."""
        signals.content_written.disconnect(self.page_written)
        settings = self.settings
        root = os.path.join(self.output_path, BUNDLE)
        incremental = writer.incremental if isinstance(writer, IncrementalWriter) else None
        if not settings["SEARCH_INDEX"]:
            shutil.rmtree(root, ignore_errors=True)
            return
        if importlib.util.find_spec("pagefind") is None:
            shutil.rmtree(root, ignore_errors=True)
            logger.warning(
                "Der Suchindex wurde nicht gebaut: Pagefind ist nicht installiert. So beheben: "
                "`make venv` ausführen (installiert pagefind[extended] aus requirements.txt)."
            )
            return
        sharded = settings["SEARCH_SHARDS"]
        parts = shard_pages(self.pages) if sharded else whole_site(self.pages)
        layout = "teile" if sharded else "eins"
        previous = (incremental.previous_state(STATE) if incremental else None) or {}
        if parts is None or previous.get("layout") != layout:
            shutil.rmtree(root, ignore_errors=True)  # another layout: start afresh
            previous = {}
        if parts is None:  # odd file names: one bundle over the shapes, as Pagefind globs
            self.runs = [(None, pagefind_glob(self.shapes))]
            state = {"layout": "glob", "keep": [BUNDLE]}
        else:
            old = previous.get("parts") or {}
            self.runs = [
                (name, exact_glob(paths))
                for name, paths in sorted(parts.items())
                if not (
                    incremental
                    and old.get(name) == paths
                    and incremental.unchanged(paths)
                    and os.path.isfile(os.path.join(root, name, "pagefind-entry.json"))
                )
            ]
            self.shards = sorted(parts) if sharded else None
            state = {"layout": layout, "parts": parts, "keep": [BUNDLE]}
        if incremental:
            incremental.keep_state(STATE, state)
        self.incremental = incremental
        kept = len(parts or ()) - len(self.runs)
        if kept:
            logger.info("Suchindex: %d Teile unverändert, %d neu", kept, len(self.runs))

    def finish_index(self, pelican):
        """finalized: everything is written; Pagefind indexes the shards that changed, one
        after the other (memory: one shard at a time), on the finished output folder."""
        signals.content_written.disconnect(self.page_written)
        signals.finalized.disconnect(self.finish_index)
        runs, self.runs = self.runs, None
        if runs is None:  # no index in this build
            return
        root = os.path.join(self.output_path, BUNDLE)
        if self.incremental:  # Pagefind must not find last build's pages that are gone now
            self.incremental.remove_unwritten(lambda name: name.endswith(".html"))
        for name, glob in runs:
            shutil.rmtree(os.path.join(root, name) if name else root, ignore_errors=True)
            command = pagefind_command(str(self.output_path), glob)
            if name:
                command += ["--output-subdir", f"{BUNDLE}/{name}"]
            if not self._run(command):
                shutil.rmtree(root, ignore_errors=True)  # no half index: the next build redoes it
                return
        if self.shards is not None:
            write_shard_root(root, self.shards)
        else:  # one bundle: the search page reads an empty list of parts
            write_parts_list(root, [])

    def _run(self, command) -> bool:
        try:
            result = subprocess.run(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                timeout=PAGEFIND_TIMEOUT,
                check=False,
            )
            status, output = result.returncode, result.stdout
        except subprocess.TimeoutExpired as error:
            status, output = "Zeitüberschreitung", str(error.output or "")
        if status != 0:
            logger.warning(
                "Pagefind ist gescheitert (%s); die Suche funktioniert nicht. "
                "So beheben: die Meldung lesen und neu bauen: %s",
                status,
                (output or "").strip()[-2000:],
            )
        return status == 0


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
