"""Signed links (itsdangerous): purposes, expiry, tampering, key rotation."""

import pytest

from service import signing

OLD, NEW = "alter-schluessel-0123456789", "neuer-schluessel-0123456789"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_token_reads_back_only_for_its_purpose():
    signer = signing.Signer([NEW])
    token = signer.sign(signing.CONFIRM, [7, 3])
    assert signer.read(signing.CONFIRM, token) == [7, 3]
    with pytest.raises(signing.TokenError) as caught:
        signer.read(signing.UNSUBSCRIBE, token)
    assert caught.value.reason == "invalid"


@pytest.mark.parametrize("change", ["payload", "signature", "cut", "empty", "long"])
def test_tampered_tokens_are_invalid(change):
    signer = signing.Signer([NEW])
    token = signer.sign(signing.CONFIRM, [7, 3])
    payload, stamp, signature = token.split(".")
    other_payload = signer.sign(signing.CONFIRM, [8, 3]).split(".")[0]
    tampered = {
        "payload": f"{other_payload}.{stamp}.{signature}",
        "signature": f"{payload}.{stamp}.{signature[::-1]}",
        "cut": token[:-3],
        "empty": "",
        "long": token + "A" * signing.MAX_TOKEN_LENGTH,
    }[change]
    with pytest.raises(signing.TokenError) as caught:
        signer.read(signing.CONFIRM, tampered)
    assert caught.value.reason == "invalid"


def test_confirm_tokens_expire_unsubscribe_tokens_do_not():
    clock = Clock()
    signer = signing.Signer([NEW], clock=clock)
    confirm = signer.sign(signing.CONFIRM, [1, 1])
    unsubscribe = signing.unsubscribe_token(signer, 1)
    clock.now += 7 * 86400
    assert signer.read(signing.CONFIRM, confirm, max_age=7 * 86400) == [1, 1]
    clock.now += 1
    with pytest.raises(signing.TokenError) as caught:
        signer.read(signing.CONFIRM, confirm, max_age=7 * 86400)
    assert caught.value.reason == "expired"
    clock.now += 400 * 86400
    assert signer.read(signing.UNSUBSCRIBE, unsubscribe) == 1


def test_key_rotation_first_signs_all_verify():
    before = signing.Signer([OLD])
    during = signing.Signer([NEW, OLD])
    after = signing.Signer([NEW])
    old_token = signing.unsubscribe_token(before, 5)
    new_token = signing.unsubscribe_token(during, 5)
    assert during.read(signing.UNSUBSCRIBE, old_token) == 5  # links already sent
    assert after.read(signing.UNSUBSCRIBE, new_token) == 5  # the new key signs
    with pytest.raises(signing.TokenError):
        before.read(signing.UNSUBSCRIBE, new_token)
    with pytest.raises(signing.TokenError):
        after.read(signing.UNSUBSCRIBE, old_token)  # a key removed: its links are void
