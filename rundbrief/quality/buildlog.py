"""Counts the warnings of one build, so a strict build can fail at its end."""

from __future__ import annotations

import logging


class StrictBuildError(SystemExit):
    """A strict build (``make publish``) saw warnings: exit status 1, no traceback."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        lines = [
            f"Build fehlgeschlagen: {len(messages)} Warnung(en) im strengen Modus "
            "(QUALITY_STRICT = True, z. B. make publish). Bitte beheben:"
        ]
        lines += [f"  - {message}" for message in messages]
        super().__init__("\n".join(lines))


class BuildLog(logging.Handler):
    """A logging handler that keeps every warning and error of one build run."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        # With `pelican --log-handler plain` this is the only handler, which would silence
        # Python's last-resort output: print the record the way it would have.
        if logging.getLogger().handlers == [self] and logging.lastResort is not None:
            logging.lastResort.handle(record)

    @classmethod
    def attach(cls) -> BuildLog:
        root = logging.getLogger()
        cls.detach()
        handler = cls()
        root.addHandler(handler)
        return handler

    @classmethod
    def detach(cls) -> BuildLog | None:
        """Remove this build's handler from the root logger and return it."""
        root = logging.getLogger()
        found = None
        for handler in list(root.handlers):
            if isinstance(handler, cls):
                root.removeHandler(handler)
                found = handler
        return found
