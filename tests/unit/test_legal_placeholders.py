"""Which IMPRESSUM_* settings are still missing or examples."""

from __future__ import annotations

from rundbrief.legal import placeholder_settings

REAL = {
    "IMPRESSUM_NAME": "Erika Probe",
    "IMPRESSUM_ADDRESS": ["Lindenallee 7", "54321 Probstadt"],
    "IMPRESSUM_EMAIL": "erika@probe-blog.test",
    "IMPRESSUM_PHONE": "",
}


def test_real_details_pass():
    assert placeholder_settings(REAL) == []


def test_missing_and_example_values_are_named():
    assert placeholder_settings({}) == ["IMPRESSUM_NAME", "IMPRESSUM_ADDRESS", "IMPRESSUM_EMAIL"]
    examples = {
        **REAL,
        "IMPRESSUM_ADDRESS": ["Musterstraße 1", "12345 Musterstadt"],
        "IMPRESSUM_EMAIL": "kontakt@example.org",
        "IMPRESSUM_PHONE": "0123 456789",
    }
    assert placeholder_settings(examples) == [
        "IMPRESSUM_ADDRESS",
        "IMPRESSUM_EMAIL",
        "IMPRESSUM_PHONE",
    ]
    assert placeholder_settings({**REAL, "IMPRESSUM_NAME": "Vorname Nachname"}) == [
        "IMPRESSUM_NAME"
    ]
