"""Sealing values at rest: round trips, the envelope layout, context binding, another key, damage, clear errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.crypto import HEADER_BYTES, MAGIC, NONCE_BYTES, OVERHEAD, PayloadCipher, PayloadError
from kiosk.secrets.keys import decode_key, new_key

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
CIPHER = PayloadCipher(KEY)
SECRET = b'{"name":"Maria CANARY-7f3a","nif":"123456789"}'


@settings(max_examples=300, deadline=None)
@given(plaintext=st.binary(max_size=2048), context=st.text(min_size=1, max_size=60))
def test_open_returns_exactly_what_was_sealed(plaintext: bytes, context: str) -> None:
    envelope = CIPHER.seal(plaintext, context=context)
    assert len(envelope) == len(plaintext) + OVERHEAD
    assert CIPHER.open(envelope, context=context) == plaintext


def test_envelope_is_magic_key_id_nonce_then_ciphertext() -> None:
    envelope = CIPHER.seal(SECRET, context="submission:a")
    assert envelope[:3] == MAGIC == b"CK1"
    assert envelope[3:7] == hashlib.sha256(KEY).digest()[:4]
    assert CIPHER.key_id == hashlib.sha256(KEY).digest()[:4].hex()
    assert HEADER_BYTES == 3 + 4 + NONCE_BYTES
    assert b"CANARY" not in envelope and b"123456789" not in envelope


def test_every_seal_uses_a_fresh_nonce() -> None:
    envelopes = [CIPHER.seal(SECRET, context="submission:a") for _ in range(50)]
    nonces = {e[7:HEADER_BYTES] for e in envelopes}
    assert len(nonces) == 50
    assert len(set(envelopes)) == 50


def test_the_context_is_bound_so_a_value_moved_to_another_row_fails() -> None:
    envelope = CIPHER.seal(SECRET, context="submission:a")
    with pytest.raises(PayloadError, match="damaged or tampered") as caught:
        CIPHER.open(envelope, context="submission:b")
    assert caught.value.reason == "damaged"
    with pytest.raises(ValueError, match="context"):
        CIPHER.seal(SECRET, context="")


def test_another_key_is_named_as_such() -> None:
    envelope = CIPHER.seal(SECRET, context="submission:a")
    other = PayloadCipher(OTHER_KEY)
    with pytest.raises(PayloadError, match="sealed with another key") as caught:
        other.open(envelope, context="submission:a")
    assert caught.value.reason == "other-key"
    assert CIPHER.key_id in str(caught.value) and other.key_id in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_is_detected(position: int, bit: int) -> None:
    envelope = bytearray(CIPHER.seal(SECRET, context="submission:a"))
    position %= len(envelope)
    envelope[position] ^= 1 << bit
    with pytest.raises(PayloadError) as caught:
        CIPHER.open(bytes(envelope), context="submission:a")
    expected = "not-sealed" if position < 3 else "other-key" if position < 7 else "damaged"
    assert caught.value.reason == expected


@pytest.mark.parametrize(
    "value",
    [b"", b"CK1", b"plain text that was never sealed, long enough to pass a length check", b"CK2" + bytes(40)],
)
def test_values_that_are_not_envelopes_are_named_as_such(value: bytes) -> None:
    with pytest.raises(PayloadError, match="not a sealed payload") as caught:
        CIPHER.open(value, context="submission:a")
    assert caught.value.reason == "not-sealed"


def test_a_truncated_envelope_is_damaged_or_not_sealed() -> None:
    envelope = CIPHER.seal(SECRET, context="submission:a")
    with pytest.raises(PayloadError, match="damaged or tampered"):
        CIPHER.open(envelope[:-1], context="submission:a")
    with pytest.raises(PayloadError, match="not a sealed payload"):
        CIPHER.open(envelope[: OVERHEAD - 1], context="submission:a")


def test_error_messages_and_repr_never_hold_plaintext_or_key() -> None:
    envelope = CIPHER.seal(SECRET, context="submission:a")
    errors: list[PayloadError] = []
    attempts: list[Callable[[], bytes]] = [
        lambda: PayloadCipher(OTHER_KEY).open(envelope, context="submission:a"),
        lambda: CIPHER.open(envelope, context="submission:b"),
        lambda: CIPHER.open(SECRET, context="submission:a"),
    ]
    for attempt in attempts:
        with pytest.raises(PayloadError) as caught:
            attempt()
        errors.append(caught.value)
    for error in errors:
        text = str(error) + repr(error)
        assert "CANARY" not in text and "123456789" not in text
        assert KEY.hex() not in text
    assert KEY.hex() not in repr(CIPHER) and CIPHER.key_id in repr(CIPHER)


def test_from_secret_text_uses_the_secrets_key_format() -> None:
    text = new_key()
    cipher = PayloadCipher.from_secret_text(text + "\n")  # a credentials file written with echo
    assert cipher.key_id == PayloadCipher(decode_key(text)).key_id
    assert cipher.open(PayloadCipher(decode_key(text)).seal(b"x", context="c"), context="c") == b"x"
    with pytest.raises(ValueError, match="not a 256-bit base64url key") as caught:
        PayloadCipher.from_secret_text("c2hvcnQ")  # base64url, but only 5 bytes
    assert "c2hvcnQ" not in str(caught.value)


@pytest.mark.parametrize("key", [b"", bytes(16), bytes(31), bytes(33)])
def test_only_256_bit_keys_are_accepted(key: bytes) -> None:
    with pytest.raises(ValueError, match="exactly 32 bytes"):
        PayloadCipher(key)
