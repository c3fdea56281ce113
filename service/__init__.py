"""The reader service: newsletter sign-up (double opt-in), subscriber store, sender.

Its own package next to the site: it imports the core (``rundbrief``) and never Pelican
or the Pelican plugins (import-linter contract in pyproject.toml, run by ``make lint``).

Commands (``python -m service …`` from the project folder, or the Makefile's
``newsletter-*`` targets): ``serve``, ``send``, ``import-csv``, ``cleanup``,
``unsubscribe``; ``python -m service.preview`` writes a preview of the newest digest.
"""
