"""engine.forked: a task in a forked copy of the build, its log records back in the parent."""

from __future__ import annotations

import logging

import pytest

from engine.forked import BackgroundError, ForkedTask


def test_child_output_log_records_and_failure_reach_the_parent(tmp_path, caplog):
    def writes():
        (tmp_path / "kind.txt").write_text("geschrieben", encoding="utf-8")
        logging.getLogger("rundbrief.test").info("fertig")

    with caplog.at_level(logging.INFO):
        ForkedTask(writes, "Test").wait()
    assert (tmp_path / "kind.txt").read_text(encoding="utf-8") == "geschrieben"
    assert "fertig" in caplog.text

    def task():
        logging.getLogger("rundbrief.test").warning("Warnung aus dem Kind")
        raise ValueError("kaputt")

    with caplog.at_level(logging.INFO):
        task_ = ForkedTask(task, "Test")
        with pytest.raises(BackgroundError, match="kaputt"):
            task_.wait()
    assert "Warnung aus dem Kind" in caplog.text
