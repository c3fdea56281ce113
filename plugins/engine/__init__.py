"""engine: the build's one parallel engine, switched by one setting (``BUILD_WORKERS``).

- one process pool (one worker per core by default) loads, threads and renders the
  comments and renders the Markdown of every article and page while Pelican reads;
- one forked child writes the feeds while Pelican writes the pages; it is forked only
  after the pool has been shut down, so no thread of ours is alive at the fork.

``BUILD_WORKERS = 0`` does everything in the build process, in Pelican's order; a test
compares both builds byte for byte. List ``engine`` first in ``PLUGINS``.
"""

from __future__ import annotations

from pelican import signals

from engine.run import BuildRun


def register():
    signals.get_generators.connect(BuildRun.begin)
