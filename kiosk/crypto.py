"""Authenticated encryption of citizen data at rest: AES-256-GCM on one value at a time (a database column).

We encrypt columns rather than the whole file (SQLCipher) so the stdlib sqlite3 and sqlite-utils keep working
unchanged; docs/storage.md ("Encryption at rest") has the reasoning and what this does not hide.

A sealed value (an "envelope") is self-describing, so a wrong key or a damaged row is told apart from garbage:

    b"CK1" | key id (4 bytes) | nonce (12 bytes) | ciphertext + 16-byte GCM tag

The key id is the first 4 bytes of SHA-256 of the key: a kiosk whose key was replaced says so instead of calling
every row damaged. The caller's `context` (e.g. "submission:<uuid>") is bound as associated data together with the
magic and key id, so a ciphertext copied into another row, or under another header, does not open.
Messages never contain plaintext, ciphertext or key material: they end up in logs and on the staff screen.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Final, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.secrets.keys import KEY_BYTES, decode_key

MAGIC: Final = b"CK1"  # format version 1; a new layout gets a new magic, and open() keeps reading the old one
KEY_ID_BYTES: Final = 4
NONCE_BYTES: Final = 12  # the GCM standard size; random nonces are safe far beyond a kiosk's 2**32-message budget
TAG_BYTES: Final = 16
HEADER_BYTES: Final = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
OVERHEAD: Final = HEADER_BYTES + TAG_BYTES  # an envelope is exactly this much longer than its plaintext

PayloadErrorReason = Literal["not-sealed", "other-key", "damaged"]


class PayloadError(Exception):
    """A sealed value that cannot be opened; `reason` lets the UI and sync layer react without parsing the text."""

    def __init__(self, reason: PayloadErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason: PayloadErrorReason = reason


def key_id(key: bytes) -> bytes:
    """The 4-byte fingerprint stored in each envelope. 32 bits of a hash reveal nothing usable about a random key."""
    return hashlib.sha256(key).digest()[:KEY_ID_BYTES]


class PayloadCipher:
    """Seals and opens values with one 256-bit key. Holds the key in memory only; its repr shows the key id alone."""

    __slots__ = ("_aead", "_key_id", "_lookup_key")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise ValueError(f"a payload key must be exactly {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self._key_id = key_id(key)
        # A separate key for lookup tokens, derived so that a token never reveals anything about the sealing key.
        self._lookup_key = hmac.new(key, b"citizen-kiosk lookup tokens v1", hashlib.sha256).digest()

    @classmethod
    def from_secret_text(cls, text: str) -> PayloadCipher:
        """From the base64url text kept by the secrets backend (kiosk.secrets.keys.PAYLOAD_KEY)."""
        try:
            key = decode_key(text)
        except ValueError as error:
            # decode_key's message describes the format only; the text itself is never repeated.
            raise ValueError(f"the payload key is not a 256-bit base64url key ({error})") from None
        return cls(key)

    @property
    def key_id(self) -> str:
        """Hex fingerprint of this cipher's key, for staff diagnostics ("which key sealed this?")."""
        return self._key_id.hex()

    def __repr__(self) -> str:
        return f"PayloadCipher(key_id={self.key_id})"

    def lookup_token(self, value: str, *, purpose: str) -> str:
        """A keyed hash to find a row by a secret (a draft's resume code) without storing the secret itself."""
        message = purpose.encode("utf-8") + b"\0" + value.encode("utf-8")
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()

    def seal(self, plaintext: bytes, *, context: str) -> bytes:
        """Encrypt and authenticate `plaintext` under a fresh random nonce, bound to `context`."""
        header = MAGIC + self._key_id
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self._aead.encrypt(nonce, plaintext, _associated_data(header, context))

    def open(self, envelope: bytes, *, context: str) -> bytes:
        """The plaintext sealed with this key and the same `context`, or PayloadError saying why not."""
        if not isinstance(envelope, bytes) or len(envelope) < OVERHEAD or not envelope.startswith(MAGIC):
            raise PayloadError("not-sealed", "the value is not a sealed payload (no CK1 envelope)")
        header, nonce = envelope[: len(MAGIC) + KEY_ID_BYTES], envelope[len(MAGIC) + KEY_ID_BYTES : HEADER_BYTES]
        found = header[len(MAGIC) :]
        if found != self._key_id:
            raise PayloadError(
                "other-key",
                f"the payload was sealed with another key (key id {found.hex()}, this kiosk's key is {self.key_id}): "
                f"restore the payload-key that sealed it from the key backup; a new key cannot open it",
            )
        try:
            return self._aead.decrypt(nonce, envelope[HEADER_BYTES:], _associated_data(header, context))
        except InvalidTag:
            raise PayloadError(
                "damaged",
                "the sealed payload is damaged or tampered (or belongs to another record): it failed authentication",
            ) from None


def _associated_data(header: bytes, context: str) -> bytes:
    if not context:
        raise ValueError("a sealing context is required (e.g. 'submission:<uuid>'), so rows cannot be swapped")
    # The header has a fixed length, so header + context is unambiguous without a separator.
    return header + context.encode("utf-8")
