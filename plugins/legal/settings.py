"""Settings of the legal plugin: who runs the site (Impressum, Datenschutz). Defaults in one place.

None means "not entered yet": the pages then show what is missing, and a strict build
(`make publish`) fails until the owner has entered the real details in pelicanconf.py.
"""

from rundbrief.settings_check import Setting, is_nonempty_str, list_of


def _optional(check):
    return lambda value: value is None or check(value)


def _email(value) -> bool:
    return isinstance(value, str) and value.count("@") == 1 and "." in value.split("@")[1]


SPECS = [
    Setting(
        "IMPRESSUM_NAME",
        None,
        _optional(is_nonempty_str),
        "der Name der oder des Verantwortlichen als Text, z. B. 'Hendrik Epe'",
    ),
    Setting(
        "IMPRESSUM_ADDRESS",
        None,
        _optional(lambda value: bool(value) and list_of(is_nonempty_str)(value)),
        "die ladungsfähige Anschrift als Liste von Zeilen, z. B. ['Straße 1', '12345 Ort']",
    ),
    Setting(
        "IMPRESSUM_EMAIL",
        None,
        _optional(_email),
        "eine E-Mail-Adresse, z. B. 'kontakt@example.org' (§ 5 DDG verlangt eine)",
    ),
    Setting(
        "IMPRESSUM_PHONE",
        "",
        lambda value: isinstance(value, str),
        "eine Telefonnummer als Text oder '' (dann steht keine im Impressum)",
    ),
]
