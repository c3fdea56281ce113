"""comments: pure core (no Pelican)."""
