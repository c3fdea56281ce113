"""Settings of the images plugin (defaults in one place)."""

from rundbrief.images.model import MODERN_FORMATS
from rundbrief.settings_check import Setting, int_between, list_of, one_of


def _widths(value) -> bool:
    return bool(value) and list_of(int_between(64, 4096))(value)


SPECS = [
    Setting(
        "IMAGES_WIDTHS",
        [480, 800, 1200],
        _widths,
        "eine nicht leere Liste von Breiten in Pixeln (64 bis 4096), z. B. [480, 800, 1200]",
    ),
    Setting(
        "IMAGES_FORMAT",
        "webp",
        one_of(*MODERN_FORMATS),
        " oder ".join(repr(name) for name in MODERN_FORMATS)
        + " (das Format der verkleinerten Fassungen; JPEG/PNG kommt immer dazu)",
    ),
    Setting(
        "IMAGES_QUALITY",
        80,
        int_between(30, 100),
        "eine Zahl von 30 bis 100 (Qualität der WebP/AVIF- und JPEG-Fassungen)",
    ),
]
