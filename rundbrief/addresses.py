"""E-mail addresses: the one check (forms, imports, settings) and the one pattern that
finds addresses in text (so none is ever published). Pure.

Accepted: ASCII ``local@domain`` (dot-atom local part, at most 64 characters; a domain
of at least two labels), at most 254 characters in all. An internationalised domain is
stored in its ASCII (IDNA) form. The domain is lower-cased; the local part is kept as
typed (the store compares addresses case-insensitively).
"""

from __future__ import annotations

import re

MAX_LENGTH = 254
MAX_LOCAL = 64
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# An address somewhere in a text: deliberately wider than what normalise_address accepts,
# since it guards against publishing addresses, not against typos.
ADDRESS_IN_TEXT = re.compile(r"[^\s@<>()\[\],;:\"'/]+@[^\s@<>()\[\],;:\"'/]+\.[A-Za-z]{2,}")
# An IPv4 address somewhere in a text (four dotted numbers; the caller may check 0-255).
IPV4_IN_TEXT = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")


class AddressError(ValueError):
    """The input is not an address we can write to; ``str()`` is the German message."""


def normalise_address(raw: str) -> str:
    """The address to store, or AddressError with a message for the reader."""
    if "\r" in raw or "\n" in raw:
        raise AddressError(
            "Die E-Mail-Adresse darf keinen Zeilenumbruch enthalten. "
            "Bitte gib nur Deine Adresse ein, z. B. name@example.org."
        )
    value = raw.strip()
    if len(value) > MAX_LENGTH:
        raise AddressError(
            f"Die E-Mail-Adresse ist zu lang (höchstens {MAX_LENGTH} Zeichen). "
            "Bitte prüfe Deine Eingabe."
        )
    if not value:
        raise AddressError("Bitte gib Deine E-Mail-Adresse ein.")
    if _CONTROL.search(value):
        raise AddressError("Die E-Mail-Adresse enthält unzulässige Steuerzeichen.")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise AddressError(
            f"„{value}“ ist keine gültige E-Mail-Adresse. "
            "Eine Adresse sieht so aus: name@example.org."
        )
    if len(local) > MAX_LOCAL or not local.isascii() or not _LOCAL.match(local):
        raise AddressError(
            f"„{value}“ ist keine gültige E-Mail-Adresse: Der Teil vor dem @ enthält "
            "unzulässige Zeichen (erlaubt sind Buchstaben ohne Umlaute, Ziffern und . _ - +)."
        )
    ascii_domain = _ascii_domain(domain.lower().rstrip("."))
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise AddressError(
            f"„{value}“ ist keine gültige E-Mail-Adresse: Der Teil nach dem @ ist kein "
            "Domainname (z. B. example.org)."
        )
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_LENGTH:
        raise AddressError(
            f"Die E-Mail-Adresse ist zu lang (höchstens {MAX_LENGTH} Zeichen). "
            "Bitte prüfe Deine Eingabe."
        )
    return address


def is_address(value: str) -> bool:
    """Whether ``value`` passes ``normalise_address`` (settings checks use this)."""
    try:
        normalise_address(value)
    except AddressError:
        return False
    return value == value.strip()


def _ascii_domain(domain: str) -> str:
    """The domain in ASCII (IDNA 2003 via the standard library), "" if it cannot be."""
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
