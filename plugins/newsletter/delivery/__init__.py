"""Newsletter delivery: subscription service (double opt-in), subscriber store, sender.

Commands (``PYTHONPATH=plugins python -m newsletter.delivery …``, or the Makefile's
``newsletter-*`` targets): ``serve``, ``send``, ``import-csv``, ``cleanup``,
``unsubscribe``. The pure core (addresses, tokens, MIME building, the store) imports no
Pelican; only ``config`` reads the project's settings with Pelican.
"""
