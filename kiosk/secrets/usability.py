"""Which keyring backends the kiosk accepts, and how to name a backend to staff.

No plaintext fallback: keyring's "fail" and "null" backends, anything from keyrings.alt (secrets in a plain file) and
a chainer with nothing usable to chain all count as "no usable backend".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


def class_path(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_plaintext_class(module: str) -> bool:
    """keyrings.alt backends keep secrets in files anyone with the disk can read (base64 is not encryption)."""
    return module == "keyrings.alt" or module.startswith("keyrings.alt.")


def unusable_reason(backend: KeyringBackend) -> str | None:
    """None when the kiosk may keep secrets in `backend`, else a clause saying why not (for a staff message)."""
    from keyring.backends import chainer, fail, null

    if is_plaintext_class(type(backend).__module__):
        return f"{class_path(backend)} keeps secrets in a plain file, which the kiosk refuses"
    if isinstance(backend, fail.Keyring):
        return "the system keyring is not usable here (no desktop keyring service is running)"
    if isinstance(backend, null.Keyring):
        return "the null keyring stores nothing"
    if isinstance(backend, chainer.ChainerBackend):
        children = list(type(backend).backends)
        for child in children:
            reason = unusable_reason(child)
            if reason is not None:
                return f"the system keyring chains a backend the kiosk cannot use ({reason})"
        if not children:
            return "the system keyring is not usable here (it has no backend to chain)"
    return None


def describe_backend(backend: KeyringBackend) -> str:
    """A human name: where the secrets are, in words staff can act on."""
    from kiosk.secrets.backends import CredentialsDirKeyring, MemoryKeyring

    if isinstance(backend, CredentialsDirKeyring):
        return f"credentials directory {backend.directory}"
    if isinstance(backend, MemoryKeyring):
        return "in-memory keyring (tests only; forgotten when the kiosk stops)"
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        names = ", ".join(class_path(child) for child in type(backend).backends)
        return f"system keyring (chained: {names})"
    return f"system keyring {class_path(backend)}"
