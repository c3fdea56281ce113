"""Everything about the comments that does not need the articles: read, thread, render.

Pure (no Pelican) and picklable in and out, so the build can run it in a second process
while Pelican reads the articles.

With a cache file (incremental builds), each article folder's thread is kept with the
names and SHA-256 of the folder's entries; a folder whose entries are all the same is
not read again. The cache also holds a ``key`` (the incremental engine's global key:
settings and code); another key empties it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from rundbrief.comments.files import comment_folders, read_folder
from rundbrief.comments.render import RenderedComment, render_thread
from rundbrief.comments.tree import build_tree, count_by_status
from rundbrief.files import write_atomic
from rundbrief.problems import Problem


@dataclass(slots=True)
class Thread:
    roots: list[RenderedComment]
    flat: list[RenderedComment]  # date order
    pending: int = 0
    spam: int = 0


@dataclass(slots=True)
class LoadedComments:
    threads: dict[str, Thread] = field(default_factory=dict)  # by article slug
    problems: list[Problem] = field(default_factory=list)


def moderation_problem(folder: str, thread: Thread) -> Problem:
    return Problem(
        folder,
        None,
        f"{thread.pending} Kommentar(e) warten auf Freigabe (status: pending), "
        f"{thread.spam} sind als Spam markiert (status: spam); sie werden weder angezeigt "
        "noch gezählt.",
        "Freigeben mit „status: approved“ oder die Dateien löschen.",
    )


def folder_stamp(folder: Path) -> tuple:
    """What a folder holds: each entry's name and kind, a file's SHA-256, a link's target."""
    entries = []
    with os.scandir(folder) as found:
        for entry in sorted(found, key=lambda entry: entry.name):
            if entry.is_symlink():
                entries.append((entry.name, "link", os.readlink(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                entries.append((entry.name, "dir"))
            else:
                with open(entry.path, "rb") as handle:
                    entries.append((entry.name, hashlib.sha256(handle.read()).digest()))
    return tuple(entries)


def _thread(
    folder: Path, root: str, tz: ZoneInfo, max_depth: int, max_length: int | None
) -> tuple[Thread | None, list[Problem]]:
    """One article folder read, threaded and rendered (None: no comment in it)."""
    comments, problems = read_folder(folder, tz=tz, max_length=max_length)
    if not comments:
        return None, problems
    counts = count_by_status(comments)
    tree, found = build_tree(comments, max_depth=max_depth)
    problems += found
    roots, flat = render_thread(tree)
    thread = Thread(roots, flat, counts["pending"], counts["spam"])
    if thread.pending or thread.spam:
        problems.append(moderation_problem(f"{root}/{folder.name}/", thread))
    return thread, problems


def _read_cache(path: str | None, key: str | None) -> dict:
    if path is None or key is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    if not isinstance(data, dict) or data.get("key") != key:
        return {}
    return data.get("folders", {})


def load_threads(
    root: str,
    timezone: str,
    max_depth: int,
    max_length: int | None = None,
    *,
    cache: str | None = None,
    key: str | None = None,
) -> LoadedComments:
    """All comment folders under ``root``, threaded and rendered (no reply links yet).
    ``cache``/``key``: the cache file of the last build and what it must have been made
    with (both or neither)."""
    tz = ZoneInfo(timezone)
    folders, problems = comment_folders(Path(root))
    loaded = LoadedComments(problems=problems)
    kept = _read_cache(cache, key)
    fresh = {}
    changed = set(kept) != {folder.name for folder in folders}
    for folder in folders:
        stamp = folder_stamp(folder) if cache is not None else None
        old = kept.get(folder.name)
        if old is not None and old[0] == stamp:
            thread, found = old[1], old[2]
        else:
            thread, found = _thread(folder, root, tz, max_depth, max_length)
            changed = True
        fresh[folder.name] = (stamp, thread, found)
        loaded.problems += found
        if thread is not None:
            loaded.threads[folder.name] = thread
    if cache is not None and key is not None and changed:
        data = pickle.dumps({"key": key, "folders": fresh}, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(Path(cache), data)
    return loaded
