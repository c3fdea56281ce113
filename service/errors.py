"""The one error a delivery command stops with: a German message with the fix, exit 2."""

from __future__ import annotations


class CommandError(SystemExit):
    """A command cannot go on; ``str()`` is the message, the exit status is 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = 2

    def __str__(self) -> str:
        return self.message
