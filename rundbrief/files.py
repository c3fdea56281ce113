"""Writing files so that a reader sees the old content or the new, never half of it. Pure."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file beside it, then renamed.

    The temporary name is unique (two builds or imports writing at once cannot mix) and
    the file gets the usual permissions (0666 less the umask, like ``open``), so a web
    server can read it; it is removed when writing fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
