"""seo: pure core (no Pelican)."""
