"""The objects a build has read live until it ends: keep Python's collector off them.

After reading, a build holds every article, page and comment until it ends. Python's
cyclic collector would still walk all of them again and again while the pages are
written, and in a forked child (the feeds) each walk touches every object's header, which
copies the parent's memory page by page. `gc.freeze()` moves the objects alive at that
point out of the collector's reach; `gc.unfreeze()` at the end (and at the start of the
next build, should one have failed halfway) hands them back, so that `make devserver`
frees each build's objects as before. The objects are the same either way; only the
collector's work changes.
"""

from __future__ import annotations

import gc


def freeze_read_objects(*_args, **_kwargs) -> None:
    """At `all_generators_finalized`: everything read so far stays until `finalized`."""
    gc.freeze()


def unfreeze(*_args, **_kwargs) -> None:
    """At `finalized` (and `initialized`): the build's objects may be collected again."""
    gc.unfreeze()
