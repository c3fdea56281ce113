"""Meta lines: words that must not split, comment counts, initials, sticky order."""

from __future__ import annotations

from types import SimpleNamespace

from rundbrief.article.meta import (
    NBSP,
    comment_count_label,
    initials,
    is_sticky,
    keep_together,
    sticky_first,
)


def test_keep_together_glues_units_and_times():
    assert keep_together("19. Juni 2015 um 10:32 Uhr") == f"19. Juni 2015 um{NBSP}10:32{NBSP}Uhr"
    assert keep_together("6 Min.") == f"6{NBSP}Min."
    assert keep_together("6 Kommentare") == f"6{NBSP}Kommentare"
    # Ordinary words keep their spaces.
    assert keep_together("Warum Kundenorientierung keinen Sinn macht") == (
        "Warum Kundenorientierung keinen Sinn macht"
    )


def test_comment_count_label():
    assert comment_count_label(1) == f"1{NBSP}Kommentar"
    assert comment_count_label(6) == f"6{NBSP}Kommentare"


def test_initials():
    assert initials("Hendrik Epe") == "HE"
    assert initials("kevin") == "K"
    assert initials("Sabine  M. Depew") == "SD"
    assert initials("„Lothar“ Jochafe") == "LJ"
    assert initials("Ölçer Ünal") == "ÖÜ"
    assert initials("—") == "?"


def test_sticky_first_is_stable():
    items = [
        SimpleNamespace(name="a"),
        SimpleNamespace(name="b", sticky="true"),
        SimpleNamespace(name="c", sticky="no"),
        SimpleNamespace(name="d", sticky="Ja"),
    ]
    sticky_first(items)
    assert [item.name for item in items] == ["b", "d", "a", "c"]
    assert is_sticky(True) and is_sticky("1") and not is_sticky(None) and not is_sticky("")
