"""quality: pure core (no Pelican)."""
