"""Slugs for any script: ä→ae, ö→oe, ü→ue, ß→ss, then Unidecode, then Pelican's clean-up. Pure.

Pelican applies unidecode *before* its regex substitutions (ä would become a), so the
german plugin sets every slug itself with ``slugify`` (titles, tags, categories, authors)
and gives Pelican ``substitutions()`` only for the rare name it slugs on its own.
``slugify`` may return "" (a title of emoji only); ``slug_or_fallback`` never does.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from unidecode import unidecode

GERMAN = [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss")]
# Other Latin letters an author may use, reduced to ASCII so URLs stay plain.
_OTHER = "àáâãåāăąèéêëēėęěìíîïīįòóôõøōőùúûůūűųýÿçćčďđğłñńňřśšşťţźżž"
_OTHER_ASCII = "".join(unidecode(letter) for letter in _OTHER)  # one letter each

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
    return subs + PELICAN_DEFAULTS + [(r"\A-+|-+\Z", "")]  # no leading or trailing "-"


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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _transliterate(match: re.Match) -> str:
    """Letters, marks and digits of any script in ASCII; symbols (§ © € 🎉) are dropped,
    as Pelican's clean-up always did, so Latin slugs and heading ids stay as they were."""
    return "".join(
        unidecode(char) if unicodedata.category(char)[0] in "LMN" else "" for char in match[0]
    )


def slugify(text: str) -> str:
    """The ASCII slug of ``text``; "" when nothing in it can be transliterated.

    German letters first (ä→ae …, as ``substitutions()``), then Unidecode for every other
    script (Привет→privet, İstanbul→istanbul, Ελληνικά→ellenika, 远征→yuan-zheng), then
    Pelican's clean-up. For Latin text the same as applying ``substitutions()`` one after
    another (a test compares them), in a single pass.
    """
    alternation, letters, rest = _compiled()
    value = unicodedata.normalize("NFKC", text)
    value = alternation.sub(lambda match: _letter(letters, match[0]), value)
    value = _NON_ASCII.sub(_transliterate, value)
    for pattern, replacement in rest:
        value = pattern.sub(replacement, value)
    return value.lower().strip()


def fallback_slug(text: str) -> str:
    """A stable, non-empty ASCII slug for text ``slugify`` can do nothing with.

    The code points of the first visible characters (🎉 → u1f389), plus a short hash of
    the whole text when there are more; "ohne-titel" for empty text.
    """
    visible = [char for char in unicodedata.normalize("NFC", text) if not char.isspace()]
    if not visible:
        return "ohne-titel"
    slug = "-".join(f"u{ord(char):x}" for char in visible[:4])
    if len(visible) > 4:
        slug += "-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return slug


def slug_or_fallback(text: str) -> tuple[str, bool]:
    """(slug, True if it is the fallback): every title, tag and category gets one."""
    slug = slugify(text)
    return (slug, False) if slug else (fallback_slug(text), True)


def toc_slug(value: str, separator: str) -> str:
    """Heading ids for Markdown's toc extension: the same transliteration."""
    return slugify(value).replace("-", separator)
