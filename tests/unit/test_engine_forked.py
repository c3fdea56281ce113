"""engine.forked: a task in a forked copy of the build, its log records back in the parent."""

from __future__ import annotations

import gc
import logging

import pytest

from engine.forked import BackgroundError, ForkedTask


def test_child_inherits_frozen_objects_and_the_parent_collects_as_before(tmp_path):
    """The child's collector leaves the inherited objects alone (no copy of every page);
    the parent's objects are collectable again at once (a dev server builds many times)."""
    result = tmp_path / "frozen.txt"

    def task():
        result.write_text(str(gc.get_freeze_count()), encoding="ascii")
        logging.getLogger("rundbrief.test").warning("aus dem Kind")

    task_ = ForkedTask(task, "Test")
    assert gc.get_freeze_count() == 0
    task_.wait()
    assert int(result.read_text(encoding="ascii")) > 0


def test_child_log_records_and_failure_reach_the_parent(caplog):
    def task():
        logging.getLogger("rundbrief.test").warning("Warnung aus dem Kind")
        raise ValueError("kaputt")

    with caplog.at_level(logging.INFO):
        task_ = ForkedTask(task, "Test")
        with pytest.raises(BackgroundError, match="kaputt"):
            task_.wait()
    assert "Warnung aus dem Kind" in caplog.text
    assert gc.get_freeze_count() == 0
