"""Settings of the comments plugin: the specs live in ``rundbrief.comments.settings``, which
the reader service reads too (one default per setting)."""

from rundbrief.comments.settings import SPECS, setting

__all__ = ["SPECS", "setting"]
