"""Read a Pelican settings file (pelicanconf.py, publishconf.py) without Pelican.

The settings file is plain Python; its UPPERCASE names are the settings. Its own folder
is put on ``sys.path`` while it runs, so ``from pelicanconf import *`` in publishconf.py
works from any working directory. Used by the reader service and the commands, which
must not import Pelican.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
from pathlib import Path
from typing import Any


def read_settings_file(path: Path) -> dict[str, Any]:
    """The UPPERCASE names the file defines; exceptions of the file propagate."""
    folder = str(path.parent)
    sys.path.insert(0, folder)
    try:
        namespace = runpy.run_path(str(path), run_name="__rundbrief_settings__")
    finally:
        with contextlib.suppress(ValueError):  # the file removed it itself
            sys.path.remove(folder)
    return {name: value for name, value in namespace.items() if name.isupper()}


def path_in(base_dir: Path, setting_value: str) -> Path:
    """A path setting: absolute as given (``~`` expanded), else below ``base_dir`` (the
    settings file's folder)."""
    candidate = Path(setting_value).expanduser()
    return candidate if candidate.is_absolute() else base_dir / candidate
