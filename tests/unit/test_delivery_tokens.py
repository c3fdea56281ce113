"""Signed, purpose-bound tokens; confirm tokens expire, unsubscribe tokens do not."""

import pytest

from service.tokens import CONFIRM, UNSUBSCRIBE, TokenError, make_token, read_token

KEY = b"k" * 32
NOW = 1_800_000_000


def test_round_trip_and_url_safe():
    token = make_token(KEY, CONFIRM, 42, NOW)
    assert token.startswith(f"42.{NOW}.")
    assert all(c.isalnum() or c in "._-" for c in token)
    assert read_token(KEY, CONFIRM, token, now=NOW + 10, max_age=3600) == 42


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: "43" + t[2:],  # another subscriber
        lambda t: t.replace(f".{NOW}.", f".{NOW + 1}."),  # another time
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
        lambda t: t[:-2],
        lambda t: t + "x",
        lambda t: "",
        lambda t: "0." + t.split(".", 1)[1],
        lambda t: t.replace(".", "-"),
    ],
)
def test_tampered_tokens_are_invalid(tamper):
    token = tamper(make_token(KEY, CONFIRM, 42, NOW))
    with pytest.raises(TokenError) as caught:
        read_token(KEY, CONFIRM, token, now=NOW)
    assert caught.value.reason == "invalid"


def test_purpose_and_key_are_bound():
    token = make_token(KEY, UNSUBSCRIBE, 7, NOW)
    with pytest.raises(TokenError):
        read_token(KEY, CONFIRM, token, now=NOW)
    with pytest.raises(TokenError):
        read_token(b"other-key-0123456789", UNSUBSCRIBE, token, now=NOW)
    assert read_token(KEY, UNSUBSCRIBE, token, now=NOW) == 7


def test_confirm_tokens_expire_unsubscribe_tokens_do_not():
    week = 7 * 86400
    confirm = make_token(KEY, CONFIRM, 1, NOW)
    assert read_token(KEY, CONFIRM, confirm, now=NOW + week, max_age=week) == 1
    with pytest.raises(TokenError) as caught:
        read_token(KEY, CONFIRM, confirm, now=NOW + week + 1, max_age=week)
    assert caught.value.reason == "expired"
    unsubscribe = make_token(KEY, UNSUBSCRIBE, 1, NOW)
    assert read_token(KEY, UNSUBSCRIBE, unsubscribe, now=NOW + 5 * 365 * 86400) == 1


def test_tokens_from_the_future_are_invalid():
    token = make_token(KEY, CONFIRM, 1, NOW + 3600)
    with pytest.raises(TokenError):
        read_token(KEY, CONFIRM, token, now=NOW, max_age=86400)
