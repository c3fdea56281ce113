"""Settings of the engine (defaults in one place)."""

from __future__ import annotations

from rundbrief.settings_check import Setting, int_between, is_bool

SPECS = [
    Setting(
        "BUILD_WORKERS",
        None,
        lambda value: value is None or int_between(0, 64)(value),
        "None (ein Prozess je Prozessorkern), 0 (alles nacheinander in einem Prozess) "
        "oder eine Zahl von 1 bis 64",
    ),
    Setting(
        "BUILD_INCREMENTAL",
        True,
        is_bool,
        "True (nur Seiten neu rendern, deren Eingaben sich geändert haben; der Ausgabeordner "
        "wird wie mit DELETE_OUTPUT_DIRECTORY von allem Übrigen geleert) oder False",
    ),
]
