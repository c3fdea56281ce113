"""Reading form posts strictly, for every feature of the reader service."""

from __future__ import annotations

from urllib.parse import parse_qs

from werkzeug.wrappers import Request


class BadInput(ValueError):
    """Malformed input: ``str()`` is a German message for a 400 page."""


def read_form(request: Request, *, max_fields: int = 20) -> dict[str, str]:
    """The fields of a urlencoded form post (the first value of each), strictly decoded:
    BadInput if the body is not ASCII, holds bad UTF-8 escapes or too many fields."""
    try:
        fields = parse_qs(
            request.get_data(cache=True).decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except ValueError:  # not ASCII, bad UTF-8 escapes, too many fields
        raise BadInput(
            "Die Eingabe enthält ungültige Zeichen. Bitte prüfe sie und versuche es noch einmal."
        ) from None
    return {name: values[0] for name, values in fields.items()}
