"""Settings of the articlepage plugin (defaults in one place)."""

from rundbrief.article.share import KINDS
from rundbrief.settings_check import Setting, int_between, is_str, list_of, one_of

SPECS = [
    Setting(
        "SHARE_LINKS",
        list(KINDS),
        list_of(one_of(*KINDS)),
        "eine Liste aus " + ", ".join(repr(kind) for kind in KINDS),
    ),
    Setting(
        "READING_WORDS_PER_MINUTE",
        200,
        int_between(50, 1000),
        "eine Zahl von 50 bis 1000 (Wörter pro Minute für die Lesezeit)",
    ),
    Setting(
        "NEWSLETTER_SIGNUP_URL",
        "/newsletter/subscribe",
        is_str,
        "die URL (absolut oder mit / beginnend), an die das Anmeldeformular sendet",
    ),
]
