"""German slugs: ä→ae, ö→oe, ü→ue, ß→ss, then Pelican's usual clean-up. Pure.

Pelican applies unidecode *before* its regex substitutions (ä would become a), so the
german plugin turns Unicode slugs on and lets these substitutions do the transliteration.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _compiled() -> tuple[re.Pattern, dict[str, str], list[tuple[re.Pattern, str]]]:
    """substitutions(): its letters as one alternation, then the rest compiled, in order."""
    subs = substitutions()
    first_pattern = next(i for i, (pattern, _) in enumerate(subs) if len(pattern) > 1)
    letters = dict(subs[:first_pattern])
    alternation = re.compile("|".join(map(re.escape, letters)), re.IGNORECASE)
    rest = [(re.compile(p, re.IGNORECASE), r) for p, r in subs[first_pattern:]]
    return alternation, letters, rest


def _letter(letters: dict[str, str], matched: str) -> str:
    found = letters.get(matched) or letters.get(matched.lower())
    if found is not None:
        return found
    # A case variant only the regex engine pairs up: ask the patterns themselves, in order.
    return next(r for p, r in letters.items() if re.fullmatch(p, matched, re.IGNORECASE))


def slugify(text: str) -> str:
    """The slug Pelican will produce with these settings (for tests and the importer).

    The same as applying ``substitutions()`` one after another (a test compares them),
    in a single pass: the letter replacements are ASCII, so no later pattern sees them.
    """
    alternation, letters, rest = _compiled()
    value = unicodedata.normalize("NFKC", text)
    value = alternation.sub(lambda match: _letter(letters, match[0]), value)
    for pattern, replacement in rest:
        value = pattern.sub(replacement, value)
    return value.lower().strip()


def toc_slug(value: str, separator: str) -> str:
    """Heading ids for Markdown's toc extension: the same transliteration."""
    return slugify(value).replace("-", separator)
