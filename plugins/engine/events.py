"""The engine's own signals (blinker, like Pelican's): what it hands to the plugins."""

from __future__ import annotations

from blinker import signal

# Sent once per build after the article generator has finished, with the comments the
# pool loaded while Pelican read the articles: ``comments_loaded.send(generator, loaded=…)``.
comments_loaded = signal("rundbrief-comments-loaded")
