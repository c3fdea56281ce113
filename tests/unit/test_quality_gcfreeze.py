"""quality.gcfreeze: a build's objects leave the collector's reach and come back at the end."""

from __future__ import annotations

import gc

from quality.gcfreeze import freeze_read_objects, unfreeze


def test_freeze_then_unfreeze_returns_every_object_to_the_collector():
    read = [{"artikel": n} for n in range(1000)]  # what a build holds after reading
    try:
        freeze_read_objects(object())  # called as a Pelican signal receiver
        assert gc.get_freeze_count() >= len(read)
    finally:
        unfreeze(object())
    assert gc.get_freeze_count() == 0
