"""Staff secrets (a PIN or a passphrase): the strength rules, and the slow salted hash that is all the kiosk stores.

The hash is scrypt with its parameters written next to it (`scrypt$n$r$p$salt$key`, base64 without padding), so a
later release can raise the cost and still check the hashes stored before: `needs_rehash` says when to re-hash after
a successful sign-in. Comparison is constant-time. Never log a secret or its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import secrets
from typing import NamedTuple

MIN_PIN_DIGITS = 6
MIN_PASSPHRASE_CHARS = 12
MAX_SECRET_CHARS = 256  # a bound on the work one attempt can cause


class ScryptParams(NamedTuple):
    n: int = 2**14
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    key_bytes: int = 32


CURRENT = ScryptParams()
_SCHEME = "scrypt"


class WeakSecretError(ValueError):
    """The PIN or passphrase is refused; `code` names the rule (for a translated message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def weakness(secret: str) -> WeakSecretError | None:
    """Why this secret is refused, or None when it is acceptable.

    All digits: a PIN of at least 6 digits, not one digit repeated, not a run like 123456 or 987654, not a short block
    repeated (121212, 123123). Anything else: a passphrase of at least 12 characters that is not one character repeated.
    """
    if len(secret) > MAX_SECRET_CHARS:
        return WeakSecretError("too-long", f"at most {MAX_SECRET_CHARS} characters")
    if secret.isascii() and secret.isdigit():
        return _pin_weakness(secret)
    if len(secret) < MIN_PASSPHRASE_CHARS:
        return WeakSecretError(
            "passphrase-too-short", f"a passphrase needs at least {MIN_PASSPHRASE_CHARS} characters (or use a PIN)"
        )
    if len(set(secret.strip())) <= 2:
        return WeakSecretError("passphrase-too-simple", "this passphrase is too easy to guess")
    return None


def _pin_weakness(pin: str) -> WeakSecretError | None:
    if len(pin) < MIN_PIN_DIGITS:
        return WeakSecretError("pin-too-short", f"a PIN needs at least {MIN_PIN_DIGITS} digits")
    if _too_simple_pin(pin):
        return WeakSecretError("pin-too-simple", "this PIN is too easy to guess (a repeated digit, run or pattern)")
    return None


def _too_simple_pin(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {-1}):
        return True
    # A block of up to three digits repeated (121212, 123123, 1212121).
    return any(pin == (pin[:size] * len(pin))[: len(pin)] for size in (1, 2, 3))


def hash_secret(secret: str, params: ScryptParams = CURRENT) -> str:
    """A new salted hash of `secret`, with its parameters, as one string for the database."""
    salt = secrets.token_bytes(params.salt_bytes)
    key = _derive(secret, salt, params.n, params.r, params.p, params.key_bytes)
    return "$".join((_SCHEME, str(params.n), str(params.r), str(params.p), _b64(salt), _b64(key)))


def check_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches the stored hash (constant-time compare); False for a malformed hash."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, key = parsed
    return hmac.compare_digest(_derive(secret, salt, n, r, p, len(key)), key)


def dummy_check(secret: str) -> None:
    """Spend the time of one check, for an unknown name: how long a refusal takes must not tell names apart."""
    _derive(secret, b"\0" * CURRENT.salt_bytes, CURRENT.n, CURRENT.r, CURRENT.p, CURRENT.key_bytes)


def stored_params(stored: str) -> ScryptParams | None:
    parsed = _parse(stored)
    if parsed is None:
        return None
    n, r, p, salt, key = parsed
    return ScryptParams(n, r, p, len(salt), len(key))


def needs_rehash(stored: str, params: ScryptParams = CURRENT) -> bool:
    """True when the stored hash is cheaper than the current parameters (re-hash it at the next sign-in)."""
    found = stored_params(stored)
    return found is None or any(have < want for have, want in zip(found, params, strict=True))


def _derive(secret: str, salt: bytes, n: int, r: int, p: int, key_bytes: int) -> bytes:  # noqa: PLR0917
    data = secret[:MAX_SECRET_CHARS].encode("utf-8")
    # maxmem above 128·n·r so raised parameters still run (OpenSSL's default limit is 32 MiB).
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, dklen=key_bytes, maxmem=256 * n * r + 1024 * 1024)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, key = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or not salt or not key:
        return None
    return n, r, p, salt, key


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
