"""Checking and normalising addresses from the sign-up form and imports."""

import pytest

from rundbrief.addresses import AddressError, normalise_address


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("leser@example.org", "leser@example.org"),
        ("  Leser.Name+news@Example.ORG  ", "Leser.Name+news@example.org"),
        ("a@sub.example.co.uk", "a@sub.example.co.uk"),
        ("o'brien@example.org", "o'brien@example.org"),
        ("leser@bücher.example", "leser@xn--bcher-kva.example"),
        ("leser@example.org.", "leser@example.org"),
    ],
)
def test_valid_addresses_are_normalised(raw, stored):
    assert normalise_address(raw) == stored


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Bitte gib"),
        ("   ", "Bitte gib"),
        ("leser", "keine gültige"),
        ("@example.org", "keine gültige"),
        ("leser@", "keine gültige"),
        ("le ser@example.org", "unzulässige Zeichen"),
        ("lesär@example.org", "unzulässige Zeichen"),
        (".leser@example.org", "unzulässige Zeichen"),
        ("le..ser@example.org", "unzulässige Zeichen"),
        ("leser@example", "kein Domainname"),
        ("leser@-example.org", "kein Domainname"),
        ("leser@exa_mple.org", "kein Domainname"),
        ("leser@127.0.0.1", "kein Domainname"),
        ("x" * 65 + "@example.org", "unzulässige Zeichen"),
        ("x" * 60 + "@" + "d" * 200 + ".org", "zu lang"),
        ("leser@example.org\r\nBcc: x@example.org", "Zeilenumbruch"),
        ("leser@example.org\n", "Zeilenumbruch"),
        ("leser@example.org\x00", "Steuerzeichen"),
        ("le\tser@example.org", "Steuerzeichen"),
    ],
)
def test_invalid_addresses_get_a_german_message(raw, words):
    with pytest.raises(AddressError, match=words):
        normalise_address(raw)
