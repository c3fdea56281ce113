"""Loading the comment threads with the incremental build's cache: a folder whose files are
the same is taken from the cache, any change to it is read anew, and what comes out is
what a load without the cache gives."""

from __future__ import annotations

import os
from dataclasses import asdict

from rundbrief.comments import loader
from rundbrief.comments.loader import load_threads


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def comment(body="Hallo.", extra=""):
    return f"author: Kevin\ndate: 2015-06-19 21:14\n{extra}\n{body}\n"


def shape(loaded):
    """Everything a build uses of the loaded comments, as plain data."""
    threads = {
        slug: ([asdict(c) for c in t.flat], [c.id for c in t.roots], t.pending, t.spam)
        for slug, t in loaded.threads.items()
    }
    return threads, [str(problem) for problem in loaded.problems]


def load(root, cache=None, key="k1"):
    options = {"cache": str(cache), "key": key} if cache else {}
    return load_threads(str(root), "Europe/Berlin", 8, 20_000, **options)


def counting(monkeypatch):
    """The folders read (not taken from the cache) by the next loads."""
    read = []
    original = loader._thread

    def thread(folder, *args):
        read.append(folder.name)
        return original(folder, *args)

    monkeypatch.setattr(loader, "_thread", thread)
    return read


def test_unchanged_folders_come_from_the_cache_and_match_a_fresh_load(tmp_path, monkeypatch):
    root, cache = tmp_path / "comments", tmp_path / "cache" / "threads.pickle"
    write(root / "a" / "1.md", comment())
    write(root / "a" / "2.md", comment("Antwort.", "replyto: 1"))
    write(root / "b" / "1.md", comment(extra="status: pending"))
    write(root / "c" / "1.md", "kaputt: ohne Datum\n\nText\n")
    first = load(root, cache)
    assert cache.is_file()
    assert shape(first) == shape(load(root))
    read = counting(monkeypatch)
    assert shape(load(root, cache)) == shape(first)
    assert read == []
    # One changed file, one new folder, one folder gone: only those are read.
    write(root / "a" / "2.md", comment("Geänderte Antwort.", "replyto: 1"))
    write(root / "d" / "1.md", comment("Neu."))
    for name in os.listdir(root / "b"):
        os.remove(root / "b" / name)
    os.rmdir(root / "b")
    after = load(root, cache)
    assert sorted(read) == ["a", "d"]
    assert shape(after) == shape(load(root))
    assert "Geänderte Antwort." in after.threads["a"].flat[1].html


def test_another_key_or_a_broken_cache_reads_everything(tmp_path, monkeypatch):
    root, cache = tmp_path / "comments", tmp_path / "threads.pickle"
    write(root / "a" / "1.md", comment())
    load(root, cache)
    read = counting(monkeypatch)
    load(root, cache, key="k2")
    assert read == ["a"]
    cache.write_bytes(b"kein pickle")
    assert shape(load(root, cache, key="k2")) == shape(load(root))
    assert read == ["a", "a", "a"]


def test_a_symlink_in_a_folder_is_seen_as_a_change(tmp_path, monkeypatch):
    root, cache = tmp_path / "comments", tmp_path / "threads.pickle"
    write(root / "a" / "1.md", comment())
    write(tmp_path / "draussen.md", comment("Geheim."))
    load(root, cache)
    read = counting(monkeypatch)
    (root / "a" / "2.md").symlink_to(tmp_path / "draussen.md")
    loaded = load(root, cache)
    assert read == ["a"]
    assert "Geheim." not in str(shape(loaded))
    assert any("2.md" in problem for problem in shape(loaded)[1])
