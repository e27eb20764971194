"""An encrypted file of one submission, for delivery by hand when the receiving service keeps refusing it.

A quarantined submission (the server refused it: docs/sync.md) may have to reach the service another way: staff
write it to a file, carry it over and give the passphrase separately. The file holds exactly the frozen payload bytes
(the bytes every delivery attempt sent), their SHA-256, the reference, the service id and version, and the server's
message (unsealed: the receiving office needs it), as JSON, encrypted with a key derived from the passphrase:

    b"CKEXPORT" | version (1 byte) | salt (16 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext + 16-byte tag

The key is Scrypt(passphrase in NFC, UTF-8; salt; n=2**15, r=8, p=1) -> 32 bytes. The parameters belong to the version,
so a file cannot ask its reader for a huge amount of memory. The whole header is associated data: a file whose version,
salt or nonce was changed does not open. Messages never contain the passphrase, the payload or the server's message.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Final, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlite_utils import Database

from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.outbox import add_history, write_transaction
from kiosk.storage.clock import iso_utc, utc_now
from kiosk.submissions import read_payload

MAGIC: Final = b"CKEXPORT"
VERSION: Final = 1
SALT_BYTES: Final = 16
NONCE_BYTES: Final = 12
HEADER_BYTES: Final = len(MAGIC) + 1 + SALT_BYTES + NONCE_BYTES
SCRYPT_N: Final = 2**15
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
MIN_PASSPHRASE_CHARS: Final = 12
SUFFIX: Final = ".kiosk-export"
FORMAT_NAME: Final = "citizen-kiosk-export"
MAX_FILE_BYTES: Final = 64 * 1024 * 1024  # far above any submission; a wrong file is refused before it is read whole
_REFERENCE: Final = re.compile(r"[A-Z0-9-]{1,40}")  # a file name made of a reference can never leave the folder

ExportErrorReason = Literal[
    "passphrase-too-short",
    "not-found",
    "delivered",
    "unreadable",
    "changed",
    "not-an-export",
    "newer-version",
    "wrong-passphrase",
    "damaged",
]


class ExportError(Exception):
    """An export that cannot be written or opened; `reason` lets the screen and the CLI choose their words."""

    def __init__(self, reason: ExportErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason: ExportErrorReason = reason


def server_message_context(submission_uuid: str) -> str:
    """The context the sync engine seals the server's message under (sync.engine.server_message_context; a test keeps
    the two equal: the core cannot import the sync layer)."""
    return f"server-message:{submission_uuid}"


def check_passphrase(passphrase: str) -> None:
    if len(_normalised(passphrase)) < MIN_PASSPHRASE_CHARS:
        raise ExportError(
            "passphrase-too-short", f"the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters"
        )


def export_submission(
    db: Database,
    uuid: str,
    cipher: PayloadCipher,
    passphrase: str,
    directory: Path,
    *,
    now: dt.datetime | None = None,
    message_context: Callable[[str], str] = server_message_context,
) -> Path:
    """Write `<reference>.kiosk-export` (mode 0600) in `directory` (created 0700 if needed) and return its path.

    Only the bytes frozen at finalise leave: a payload that cannot be opened, or whose SHA-256 differs from the one
    recorded then, is refused. The export is noted in the item's history (without the folder: it may name a person).
    """
    check_passphrase(passphrase)
    row = db.conn.execute(
        "SELECT s.reference, s.service_id, s.service_version, s.created_at, s.payload_sha256, o.state, "
        "o.server_message FROM submissions s LEFT JOIN outbox o ON o.submission_uuid = s.uuid WHERE s.uuid = ?",
        [uuid],
    ).fetchone()
    if row is None:
        raise ExportError("not-found", "there is no such submission on this kiosk")
    reference, service_id, service_version, created_at, digest, state, sealed_message = row
    if state == "delivered":
        raise ExportError("delivered", f"{reference} was delivered: there is nothing to deliver by hand")
    if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
        raise ExportError("unreadable", "the stored reference is not a submission reference")
    try:
        payload = read_payload(db, uuid, cipher)
    except PayloadError as error:
        raise ExportError("unreadable", f"the stored answers of {reference} cannot be opened: {error}") from None
    if digest is not None and hashlib.sha256(payload).hexdigest() != digest:
        raise ExportError("changed", f"the stored answers of {reference} changed since they were saved")
    stamp = now or utc_now()
    document: dict[str, object] = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "reference": reference,
        "submission_uuid": uuid,
        "service_id": service_id,
        "service_version": service_version,
        "created_at": created_at,
        "state": state,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "payload_base64": base64.b64encode(payload).decode("ascii"),
        "server_message": _server_message(cipher, sealed_message, message_context(uuid)),
        "exported_at": iso_utc(stamp),
    }
    target = _write_private(directory, f"{reference}{SUFFIX}", encrypt_document(document, passphrase))
    if state is not None:
        with write_transaction(db):
            add_history(db, uuid, iso_utc(stamp), state, state, "exported to an encrypted file for manual delivery")
    return target


def open_export(path: Path, passphrase: str) -> dict[str, object]:
    """The JSON document of an export file; ExportError when it is not one, the passphrase is wrong or it changed."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExportError("not-an-export", f"{path} is too large to be a Citizen Kiosk export")
        data = path.read_bytes()
    except OSError as error:
        raise ExportError("not-found", f"cannot read {path}: {error.strerror or error}") from None
    return decrypt_document(data, passphrase)


def encrypt_document(document: dict[str, object], passphrase: str) -> bytes:
    check_passphrase(passphrase)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = MAGIC + bytes([VERSION]) + salt + nonce
    plaintext = json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return header + AESGCM(_derive(passphrase, salt)).encrypt(nonce, plaintext, header)


def decrypt_document(data: bytes, passphrase: str) -> dict[str, object]:
    if not data.startswith(MAGIC) or len(data) < HEADER_BYTES + 16:
        raise ExportError("not-an-export", "this is not a Citizen Kiosk export file")
    version = data[len(MAGIC)]
    if version != VERSION:
        raise ExportError("newer-version", f"this export has format version {version}: use a newer Citizen Kiosk")
    header = data[:HEADER_BYTES]
    salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_BYTES]
    nonce = header[len(MAGIC) + 1 + SALT_BYTES :]
    try:
        plaintext = AESGCM(_derive(passphrase, salt)).decrypt(nonce, data[HEADER_BYTES:], header)
    except InvalidTag:
        raise ExportError(
            "wrong-passphrase", "the passphrase is wrong, or the file was changed after it was written"
        ) from None
    try:
        document = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportError("damaged", "the export opened but its content is not a Citizen Kiosk export") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ExportError("damaged", "the export opened but its content is not a Citizen Kiosk export")
    _check_payload(document)
    return document


def _check_payload(document: dict[str, object]) -> None:
    """The payload inside must still be the one its recorded SHA-256 names (what the receiving office relies on)."""
    encoded, digest = document.get("payload_base64"), document.get("payload_sha256")
    try:
        payload = base64.b64decode(str(encoded), validate=True)
    except ValueError:
        raise ExportError("damaged", "the payload inside the export is not valid base64") from None
    if hashlib.sha256(payload).hexdigest() != digest:
        raise ExportError("damaged", "the payload inside the export does not match its SHA-256")


def _server_message(cipher: PayloadCipher, sealed: object, context: str) -> str | None:
    if not isinstance(sealed, bytes) or not sealed:
        return None
    try:
        return cipher.open(sealed, context=context).decode("utf-8", errors="replace")
    except PayloadError:
        return None  # the answers still go; the message was sealed with another key or damaged


def _derive(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(_normalised(passphrase).encode("utf-8"))


def _normalised(passphrase: str) -> str:
    # The same passphrase typed on another keyboard (composed or decomposed accents) must give the same key.
    return unicodedata.normalize("NFC", passphrase)


def _write_private(directory: Path, name: str, data: bytes) -> Path:
    """Write `data` to `directory/name` (the folder made private if new), see `write_private`."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = directory / name
    write_private(target, data)
    return target


def write_private(path: Path, data: bytes) -> None:
    """Write `path` readable by the kiosk user only, all or nothing (a temporary file in the same folder, fsync,
    rename); the folder must exist. Every export of personal data goes through here (also tutorials.trainer_export)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
