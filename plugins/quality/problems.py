"""Content problems for the plugins: the one definition lives in the core, ``rundbrief.problems``
(the importer and the service use it too); this module only keeps the plugins' import path."""

from rundbrief.problems import Problem, display_path, first_bad_utf8_line, not_utf8

__all__ = ["Problem", "display_path", "first_bad_utf8_line", "not_utf8"]
