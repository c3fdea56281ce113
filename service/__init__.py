"""The reader service: newsletter sign-up (double opt-in), subscriber store, outbox, sender.

Its own package next to the site: it imports the core (``rundbrief``), Werkzeug, Jinja and
itsdangerous, never Pelican or the Pelican plugins (import-linter contract in
pyproject.toml, run by ``make lint``). ``service.app.ReaderService`` is the WSGI
application; feature modules (``service.signup``, …) contribute its routes.

Commands (``python -m service …`` from the project folder, or the Makefile's
``newsletter-*`` targets): ``serve``, ``outbox``, ``send``, ``import-csv``, ``cleanup``,
``unsubscribe``; ``python -m service.preview`` writes a preview of the newest digest.
"""
