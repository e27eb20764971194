"""Names and formats of the kiosk's secrets; standard library only, so it is cheap to import anywhere."""

from __future__ import annotations

import base64
import binascii
import re
import secrets

# The keyring "service" under which the kiosk stores its secrets (the secret's name is the keyring "username").
SERVICE = "citizen-kiosk"
# 256-bit key, base64url: later issues encrypt citizen data at rest with it (AES-GCM).
PAYLOAD_KEY = "payload-key"
REQUIRED_SECRETS: tuple[str, ...] = (PAYLOAD_KEY,)
# 256-bit key for the staff audit log's HMAC chain (kiosk.audit). Not required for accepting submissions: `secrets
# init` creates it, and the kiosk creates it on first use while the audit log is still empty (older set-ups lack it).
AUDIT_KEY = "audit-key"
OPTIONAL_SECRETS: tuple[str, ...] = (AUDIT_KEY,)
KEY_BYTES = 32

# A secret's name is also a file name in a credentials directory: keep it to a safe alphabet, no dots or slashes.
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


class InvalidSecretNameError(ValueError):
    """A secret name outside [a-z0-9-] (which also rules out '..', '/' and hidden files)."""


def check_secret_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidSecretNameError(
            f"invalid secret name {name!r}: use 1-64 lower-case letters, digits and inner hyphens ([a-z0-9-])"
        )
    return name


def new_key() -> str:
    """A fresh random 256-bit key, base64url-encoded without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).rstrip(b"=").decode("ascii")


def decode_key(text: str) -> bytes:
    """The raw 32 bytes of a base64url key (padding optional); ValueError if it is not one."""
    stripped = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", stripped):
        raise ValueError("not base64url text")
    try:
        raw = base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url text") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"decodes to {len(raw)} bytes, not {KEY_BYTES}")
    return raw


def is_key(text: str) -> bool:
    try:
        decode_key(text)
    except ValueError:
        return False
    return True
