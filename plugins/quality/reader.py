"""A Markdown reader that reports broken files (with path, line and fix) instead of crashing.

Pelican glue: it subclasses Pelican's MarkdownReader. Problems travel in the metadata
(so Pelican's reader cache keeps them too) and are reported by the context signal.
"""

from __future__ import annotations

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from rundbrief.cleantext import BUILT_WITHOUT, clean_text, removed_problem
from rundbrief.problems import Problem, display_path, first_bad_utf8_line, not_utf8
from rundbrief.quality.header import check_header
from rundbrief.quality.preread import Preread

PROBLEMS_KEY = "quality_problems"
MISSING_DATE_KEY = "quality_missing_date"


class CheckedMarkdownReader(MarkdownReader):
    """Reads each file once; a file that cannot be built becomes `status: skip`.

    ``preread`` is the build's ahead-of-time rendering (``quality.preread``); the engine
    installs a subclass that carries it for the length of one build.
    """

    preread: Preread | None = None

    def read(self, source_path):
        rendered = self.preread.take(source_path) if self.preread is not None else None
        if rendered is not None:
            return self._finish(
                source_path, rendered.content, rendered.meta, rendered.problems, rendered.repaired
            )
        with open(source_path, "rb") as handle:
            data = handle.read()
        shown = display_path(source_path)
        bad_line = first_bad_utf8_line(data)
        if bad_line is not None:
            return "", {PROBLEMS_KEY: [not_utf8(shown, bad_line)], "status": "skip"}
        text, removed = clean_text(data.decode("utf-8").lstrip("\ufeff"))
        checked = check_header(text, shown)
        if removed:
            checked.problems.append(removed_problem(shown, removed, BUILT_WITHOUT))
        if checked.skip:
            return "", {PROBLEMS_KEY: checked.problems, "status": "skip"}
        markdown = Markdown(**self.settings["MARKDOWN"])
        content = markdown.convert(text)
        meta = getattr(markdown, "Meta", {})
        return self._finish(source_path, content, meta, checked.problems, checked.repaired)

    def _finish(self, source_path, content, meta, problems, repaired):
        shown = display_path(source_path)
        metadata = self._metadata(meta)
        metadata.update(repaired)
        if problems:
            metadata[PROBLEMS_KEY] = problems
        if "date" not in metadata:
            # Only articles need a date; the article context signal decides.
            metadata[MISSING_DATE_KEY] = Problem(
                shown,
                1,
                "Das Datum fehlt; der Beitrag wird übersprungen.",
                "Eine Zeile „Date: 2015-06-19 08:30“ in den Kopf schreiben.",
            )
        return content, metadata

    def _metadata(self, meta: dict[str, list[str]]) -> dict:
        """Pelican's metadata from the Markdown meta extension's lists, through the reader's
        public ``process_metadata`` (what ``MarkdownReader._parse_metadata`` does in Pelican
        4.12, without its private ``_md``/``_source_path``): formatted fields (the summary)
        are rendered as Markdown, single-valued keys keep their first value (our header
        check has already reported repeats), the rest are lists as Pelican has them."""
        formatted_fields = self.settings["FORMATTED_FIELDS"]
        formatter = None
        output = {}
        for name, value in meta.items():  # the meta extension lower-cases the keys
            if name in formatted_fields:
                if formatter is None:
                    formatter = Markdown(**self.settings["MARKDOWN"])
                    formatter.preprocessors.deregister("meta")  # the value is all text
                formatter.reset()
                output[name] = self.process_metadata(name, formatter.convert("\n".join(value)))
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True) or len(value) == 1:
                output[name] = self.process_metadata(name, value[0])
            else:
                output[name] = self.process_metadata(name, value)
        return output
