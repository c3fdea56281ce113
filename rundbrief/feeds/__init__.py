"""feeds: pure core (no Pelican)."""
