"""Encrypted exports of one submission for delivery by hand: round trip, wrong passphrase, tampering, short passphrases,
and the `staff export` / `staff open-export` commands in a child process without Qt."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citizen_kiosk.cli import main
from kiosk.crypto import PayloadCipher
from kiosk.export import (
    HEADER_BYTES,
    MAGIC,
    SUFFIX,
    ExportError,
    decrypt_document,
    encrypt_document,
    export_submission,
    open_export,
    server_message_context,
)
from kiosk.outbox import claim_due, history, record_outcome
from kiosk.secrets.keys import decode_key
from kiosk.storage import Storage, open_storage
from kiosk.submissions import read_payload
from sync import engine
from tests.helpers import BLOCK_QT, ROOT, child_env, queue_submissions, run_cli

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"e" * 32)
CANARY = "CANARY-ANSWER-123"
PASSPHRASE = "correct horse battery staple"
SERVER_SAYS = f"field nif: {CANARY} is not valid"


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path / "data") as opened:
        yield opened


def quarantined(storage: Storage, *, message: str | None = SERVER_SAYS, cipher: PayloadCipher = CIPHER) -> str:
    """One submission with a canary answer, refused by the server (422) with a sealed message."""
    [uuid] = queue_submissions(storage.db, 1, cipher, now=NOW, answers={"name": CANARY})
    [claim] = claim_due(storage.db, owner="w", now=NOW, lease_seconds=60)
    sealed = cipher.seal(message.encode(), context=server_message_context(uuid)) if message else None
    assert record_outcome(
        storage.db,
        claim.submission_uuid,
        owner="w",
        result="quarantine",
        now=NOW,
        reason="the server rejected the answers (civil-registry)",
        server_message=sealed,
    )
    return uuid


def test_the_export_holds_the_frozen_bytes_and_the_server_message(storage: Storage, tmp_path: Path) -> None:
    uuid = quarantined(storage)
    path = export_submission(storage.db, uuid, CIPHER, PASSPHRASE, tmp_path / "out", now=NOW)
    reference = storage.db.conn.execute("SELECT reference FROM submissions WHERE uuid = ?", [uuid]).fetchone()[0]
    assert path == tmp_path / "out" / f"{reference}{SUFFIX}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and CANARY.encode() not in raw  # encrypted, not merely encoded
    document = open_export(path, PASSPHRASE)
    payload = base64.b64decode(str(document["payload_base64"]))
    assert payload == read_payload(storage.db, uuid, CIPHER)  # exactly the bytes every attempt sent
    assert document["payload_sha256"] == hashlib.sha256(payload).hexdigest()
    assert CANARY in payload.decode()
    assert document["server_message"] == SERVER_SAYS
    assert (document["reference"], document["submission_uuid"]) == (reference, uuid)
    assert (document["service_id"], document["service_version"], document["state"]) == (
        "register-birth",
        "1.0",
        "quarantined",
    )
    assert history(storage.db, uuid)[-1][3] == "exported to an encrypted file for manual delivery"
    assert not list(path.parent.glob(".export-*"))  # no temporary file left behind


def test_the_engine_and_the_export_agree_on_the_server_message_context() -> None:
    assert server_message_context("x-1") == engine.server_message_context("x-1")


def test_a_wrong_passphrase_does_not_open_it(storage: Storage, tmp_path: Path) -> None:
    path = export_submission(storage.db, quarantined(storage), CIPHER, PASSPHRASE, tmp_path)
    with pytest.raises(ExportError) as caught:
        open_export(path, "correct horse battery stapler")
    assert caught.value.reason == "wrong-passphrase"
    assert "passphrase is wrong" in str(caught.value) and PASSPHRASE not in str(caught.value)


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (HEADER_BYTES + 5, "wrong-passphrase"),  # the ciphertext
        (-1, "wrong-passphrase"),  # the tag
        (len(MAGIC) + 3, "wrong-passphrase"),  # the salt: header bytes are associated data
        (HEADER_BYTES - 1, "wrong-passphrase"),  # the nonce
        (len(MAGIC), "newer-version"),  # the version
        (0, "not-an-export"),  # the magic
    ],
)
def test_a_tampered_file_does_not_open(storage: Storage, tmp_path: Path, where: int, reason: str) -> None:
    path = export_submission(storage.db, quarantined(storage), CIPHER, PASSPHRASE, tmp_path)
    data = bytearray(path.read_bytes())
    data[where] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError) as caught:
        open_export(path, PASSPHRASE)
    assert caught.value.reason == reason


def test_a_truncated_or_foreign_file_is_not_an_export(tmp_path: Path) -> None:
    for content in (b"", MAGIC + b"\x01" + b"\x00" * 10, b'{"reference": "R-1"}'):
        path = tmp_path / "x.kiosk-export"
        path.write_bytes(content)
        with pytest.raises(ExportError) as caught:
            open_export(path, PASSPHRASE)
        assert caught.value.reason == "not-an-export"
    with pytest.raises(ExportError) as missing:
        open_export(tmp_path / "none.kiosk-export", PASSPHRASE)
    assert missing.value.reason == "not-found"


def test_a_document_whose_payload_does_not_match_its_digest_is_refused() -> None:
    document = {"format": "citizen-kiosk-export", "payload_base64": "AAAA", "payload_sha256": "0" * 64}
    with pytest.raises(ExportError) as caught:
        decrypt_document(encrypt_document(document, PASSPHRASE), PASSPHRASE)
    assert caught.value.reason == "damaged"


@pytest.mark.parametrize("passphrase", ["", "short", "eleven char"])
def test_a_short_passphrase_is_refused_and_nothing_is_written(
    storage: Storage, tmp_path: Path, passphrase: str
) -> None:
    uuid = quarantined(storage)
    with pytest.raises(ExportError) as caught:
        export_submission(storage.db, uuid, CIPHER, passphrase, tmp_path / "out")
    assert caught.value.reason == "passphrase-too-short"
    assert not (tmp_path / "out").exists()
    assert history(storage.db, uuid)[-1][3] != "exported to an encrypted file for manual delivery"


def test_changed_or_unreadable_answers_and_delivered_items_are_not_exported(storage: Storage, tmp_path: Path) -> None:
    uuid = quarantined(storage)
    with pytest.raises(ExportError) as other_key:
        export_submission(storage.db, uuid, PayloadCipher(b"x" * 32), PASSPHRASE, tmp_path)
    assert other_key.value.reason == "unreadable"
    with storage.db.conn:
        storage.db.conn.execute("UPDATE submissions SET payload_sha256 = ? WHERE uuid = ?", ["0" * 64, uuid])
    with pytest.raises(ExportError) as changed:
        export_submission(storage.db, uuid, CIPHER, PASSPHRASE, tmp_path)
    assert changed.value.reason == "changed"
    with storage.db.conn:
        storage.db.conn.execute("UPDATE outbox SET state = 'delivered' WHERE submission_uuid = ?", [uuid])
    with pytest.raises(ExportError) as delivered:
        export_submission(storage.db, uuid, CIPHER, PASSPHRASE, tmp_path)
    assert delivered.value.reason == "delivered"
    with pytest.raises(ExportError) as unknown:
        export_submission(storage.db, "no-such-uuid", CIPHER, PASSPHRASE, tmp_path)
    assert unknown.value.reason == "not-found"
    assert not list(tmp_path.glob(f"*{SUFFIX}"))


def test_a_server_message_sealed_under_another_key_still_exports_the_answers(storage: Storage, tmp_path: Path) -> None:
    uuid = quarantined(storage, message=None)
    other = PayloadCipher(b"o" * 32).seal(b"x", context=server_message_context(uuid))
    with storage.db.conn:
        storage.db.conn.execute("UPDATE outbox SET server_message = ? WHERE submission_uuid = ?", [other, uuid])
    document = open_export(export_submission(storage.db, uuid, CIPHER, PASSPHRASE, tmp_path), PASSPHRASE)
    assert document["server_message"] is None and document["payload_base64"]


@settings(max_examples=20, deadline=None)  # each example derives two Scrypt keys (~60 ms each)
@given(st.text(min_size=12, max_size=40), st.binary(max_size=200))
def test_any_passphrase_round_trips_in_either_unicode_form(passphrase: str, payload: bytes) -> None:
    document: dict[str, object] = {
        "format": "citizen-kiosk-export",
        "payload_base64": base64.b64encode(payload).decode(),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    sealed = encrypt_document(document, unicodedata.normalize("NFD", passphrase))
    assert decrypt_document(sealed, unicodedata.normalize("NFC", passphrase)) == document


# The commands ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def kiosk(tmp_path: Path) -> tuple[list[str], str]:
    """A configured kiosk (keys in a credentials folder) with one held-back submission; its options and reference."""
    options = ["--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(tmp_path / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
    key = decode_key((tmp_path / "credentials" / "payload-key").read_text().strip())
    with open_storage(tmp_path / "data") as storage:
        uuid = quarantined(storage, cipher=PayloadCipher(key))  # sealed with the kiosk's own key
        reference = storage.db.conn.execute("SELECT reference FROM submissions WHERE uuid = ?", [uuid]).fetchone()
    return options, str(reference[0])


def run_with_stdin(args: list[str], env: dict[str, str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.subprocess
def test_cli_export_then_open_export_without_qt(kiosk: tuple[list[str], str], tmp_path: Path) -> None:
    options, reference = kiosk
    env = child_env(tmp_path, CITIZEN_KIOSK_EXPORT_PASSPHRASE=PASSPHRASE)
    typed = " r" + reference[1:].lower().replace("-", " ")  # references are read tolerantly
    exported = run_cli(["staff", "export", typed, "--to", str(tmp_path / "exports"), *options], env, block_qt=True)
    assert exported.returncode == 0, exported.stderr
    path = Path(exported.stdout.strip())
    assert path == tmp_path / "exports" / f"{reference}{SUFFIX}" and path.is_file()
    assert PASSPHRASE not in exported.stdout + exported.stderr
    plain_env = child_env(tmp_path)
    opened = run_with_stdin(["staff", "open-export", str(path), *options], plain_env, PASSPHRASE + "\n")
    assert opened.returncode == 0, opened.stderr
    document = json.loads(opened.stdout)
    assert document["reference"] == reference and document["server_message"] == SERVER_SAYS
    assert CANARY in base64.b64decode(document["payload_base64"]).decode()
    wrong = run_with_stdin(["staff", "open-export", str(path), *options], plain_env, "not the passphrase\n")
    assert wrong.returncode == 1 and "passphrase is wrong" in wrong.stderr and "Traceback" not in wrong.stderr
    assert CANARY not in wrong.stdout + wrong.stderr


@pytest.mark.subprocess
def test_cli_refuses_a_short_or_missing_passphrase_and_an_unknown_reference(
    kiosk: tuple[list[str], str], tmp_path: Path
) -> None:
    options, reference = kiosk
    out = str(tmp_path / "exports")
    short = run_with_stdin(["staff", "export", reference, "--to", out, *options], child_env(tmp_path), "too short\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    missing = run_with_stdin(["staff", "export", reference, "--to", out, *options], child_env(tmp_path), "")
    assert missing.returncode == 1 and "no passphrase" in missing.stderr
    unknown = run_cli(["staff", "export", "R-3WX5-RZMV-5N7P-6", "--to", out, *options], child_env(tmp_path))
    assert unknown.returncode == 1 and "no submission R-3WX5-RZMV-5N7P-6" in unknown.stderr
    not_a_reference = run_cli(["staff", "export", "hello", "--to", out, *options], child_env(tmp_path))
    assert not_a_reference.returncode == 2
    assert not Path(out).exists()
