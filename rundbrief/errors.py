"""The one error a command stops with (the sender, the service's commands, the digest
contract): a German message with the fix, exit status 2."""

from __future__ import annotations


class CommandError(SystemExit):
    """A command cannot go on; ``str()`` is the message, the exit status is 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = 2

    def __str__(self) -> str:
        return self.message
