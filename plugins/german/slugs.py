"""German slugs: ä→ae, ö→oe, ü→ue, ß→ss, then Pelican's usual clean-up. Pure.

Pelican applies unidecode *before* its regex substitutions (ä would become a), so the
german plugin turns Unicode slugs on and lets these substitutions do the transliteration.
"""

from __future__ import annotations

import re
import unicodedata

GERMAN = [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss")]
# Other Latin letters an author may use, reduced to ASCII so URLs stay plain.
_OTHER = "àáâãåāăąèéêëēėęěìíîïīįòóôõøōőùúûůūűųýÿçćčďđğłñńňřśšşťţźżž"
_OTHER_ASCII = "aaaaaaaaeeeeeeeeiiiiiioooooooouuuuuuuyyccddglnnnrsssttzzz"

# Pelican's defaults, after the transliteration.
PELICAN_DEFAULTS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


def substitutions() -> list[tuple[str, str]]:
    """Regex substitutions for Pelican's SLUG/TAG/CATEGORY/AUTHOR_REGEX_SUBSTITUTIONS."""
    subs = list(GERMAN)
    subs += list(zip(_OTHER, _OTHER_ASCII, strict=True))
    subs.append((r"[^\x00-\x7f]", ""))  # whatever is left that is not ASCII
    return subs + PELICAN_DEFAULTS


def slugify(text: str) -> str:
    """The slug Pelican will produce with these settings (for tests and the importer)."""
    value = unicodedata.normalize("NFKC", text)
    for pattern, replacement in substitutions():
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()


def toc_slug(value: str, separator: str) -> str:
    """Heading ids for Markdown's toc extension: the same transliteration."""
    return slugify(value).replace("-", separator)
