"""OAuth 2.0 client credentials for the sandbox: who is asking for a token, and which bearer tokens are valid.

Tokens live in memory only (a restarted sandbox forgets them and answers 401, which the kiosk handles by fetching a
new one: a useful thing to exercise). Only their SHA-256 is kept, so a memory dump shows no usable token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Mapping

TOKEN_LIFETIME_SECONDS = 300


def client_credentials(authorization: str | None, form: Mapping[str, list[str]]) -> tuple[str, str] | None:
    """(client_id, client_secret) from HTTP Basic (RFC 6749 §2.3.1) or, failing that, from the form's fields."""
    if authorization and authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, colon, secret = decoded.partition(":")
        # RFC 6749 form-encodes both before Base64; ids and secrets made by write-config ([A-Za-z0-9_-]) are the same
        # either way, so they are compared as sent.
        return (client_id, secret) if colon else None
    ids, secrets_ = form.get("client_id", []), form.get("client_secret", [])
    if len(ids) == 1 and len(secrets_) == 1:
        return ids[0], secrets_[0]
    return None


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


class TokenBook:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._expiry: dict[bytes, float] = {}  # SHA-256 of the token -> when it expires (monotonic)
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        now = self._monotonic()
        with self._lock:
            # Forget expired tokens here: issuing is rare, checking happens on every submission.
            for digest in [d for d, expiry in self._expiry.items() if expiry <= now]:
                del self._expiry[digest]
            self._expiry[_digest(token)] = now + TOKEN_LIFETIME_SECONDS
        return token

    def valid(self, token: str | None) -> bool:
        if token is None:
            return False
        expiry = self._expiry.get(_digest(token))
        return expiry is not None and self._monotonic() < expiry


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
