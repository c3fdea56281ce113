"""Size and type of a featured image, read from the file itself. Pure."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

_SVG_VIEWBOX = re.compile(
    rb'viewBox\s*=\s*["\']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)'
)
_MIME = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    mime: str
    length: int  # bytes
    width: int | None
    height: int | None


def image_info(path: Path) -> ImageInfo | None:
    """None when the file does not exist."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    width = height = None
    if mime == "image/svg+xml":
        match = _SVG_VIEWBOX.search(data)
        if match:
            width, height = round(float(match[1])), round(float(match[2]))
    elif mime == "image/png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        width, height = struct.unpack(">II", data[16:24])
    elif mime == "image/gif" and data[:3] == b"GIF":
        width, height = struct.unpack("<HH", data[6:10])
    elif mime == "image/jpeg":
        width, height = _jpeg_size(data)
    return ImageInfo(mime, len(data), width, height)


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None, None
