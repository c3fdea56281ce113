"""article: what an article's page shows besides its text (reading time, P.S. box, share
links, meta lines) and the declared extras the plugins give it. Pure (no Pelican)."""
