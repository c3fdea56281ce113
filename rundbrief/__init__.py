"""Rundbrief's core: the domain logic shared by the Pelican plugins, the reader service
and the WordPress importer. Never imports Pelican (checked by import-linter, `make lint`)."""
