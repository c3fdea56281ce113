"""Settings of the search plugin (defaults in one place)."""

from rundbrief.settings_check import Setting, is_bool, is_nonempty_str

SPECS = [
    Setting("SEARCH_INDEX", True, is_bool, "True (Pagefind-Suchindex bauen) oder False"),
    Setting(
        "SEARCH_URL",
        "suche/",
        is_nonempty_str,
        "die URL der Suchseite relativ zur Website (Standard: 'suche/')",
    ),
    Setting(
        "SEARCH_SHARDS",
        False,
        is_bool,
        "False (ein Pagefind-Index für alles) oder True (ein Index je Jahr und einer für die "
        "Seiten, von der Suchseite zusammengeführt: ein warmer Build indiziert nur das Jahr "
        "neu, in dem sich etwas geändert hat)",
    ),
]
