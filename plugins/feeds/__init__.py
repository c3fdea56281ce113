"""feeds: Atom and RSS 2.0 feeds written with feedgen (Pelican's own feeds are off).

Site-wide Atom and RSS, an Atom feed per category and per tag, a site-wide comments
feed and one per article, all under /feeds/ (see ``feeds.paths``); autodiscovery links
for the theme (``feed_links``); redirects of the old WordPress feed URLs. The pure core
(``model``, ``build``, ``ids``, ``absolutize``, ``redirects``, ``select``, ``links``,
``paths``) imports no Pelican; ``generator`` is the glue.
"""

from __future__ import annotations

from pelican import signals

from feeds.generator import PELICAN_FEEDS, FeedsGenerator, feed_links


def switch_off_pelican_feeds(pelican):
    for name in PELICAN_FEEDS:
        pelican.settings[name] = None


def add_feed_links(generator):
    generator.env.globals["feed_links"] = feed_links(generator)


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.initialized.connect(switch_off_pelican_feeds)
    signals.generator_init.connect(add_feed_links)
    signals.get_generators.connect(get_generators)
