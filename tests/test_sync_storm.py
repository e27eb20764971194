"""Storm: a reference server (a real `citizen-kiosk sandbox` process with OAuth) that keeps each submission and then
answers 503 to its first K attempts, drops connections and answers late. After the kiosk's delivery passes, the server
holds exactly one record per submission, saw at least K+1 attempts for each, all with the bytes frozen at finalise,
and the kiosk shows every item delivered with the server's own receipt.

The wall clock the outbox schedules with is a fake one moved on between passes (retries are minutes apart in real
time); everything else is real: processes, HTTP, tokens, SQLite files.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from citizen_kiosk.wiring import load_context, open_secrets
from kiosk.crypto import PayloadCipher
from kiosk.outbox import counts
from kiosk.outbox_staff import queue_items
from kiosk.storage import open_storage
from sync.engine import SyncEngine
from sync.transport import RestTransport
from tests.helpers import ROOT, child_env, queue_submissions

FAIL_FIRST = 2
SUBMISSIONS = 30
MAX_PASSES = 400  # bounded: each pass makes at least one real attempt; the storm needs about 3 per submission


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    args = ["--data-dir", str(tmp_path / "sandbox"), "sandbox", "--port", "0", "--seed", "4"]
    args += ["--fail-first", str(FAIL_FIRST), "--drop-rate", "0.2", "--latency-ms", "1", "--latency-jitter-ms", "20"]
    child = subprocess.Popen(
        [sys.executable, "-m", "citizen_kiosk", *args],
        cwd=ROOT,
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), child.stderr.read() if child.stderr else url
        yield child, int(url.rstrip("/").rsplit(":", 1)[1])
    finally:
        child.terminate()
        child.wait(timeout=10)


def test_a_storm_ends_with_exactly_one_record_per_submission_and_every_receipt(
    tmp_path: Path, sandbox: tuple[subprocess.Popen[str], int]
) -> None:
    _, port = sandbox
    config = tmp_path / "kiosk" / "config.toml"
    written = subprocess.run(
        [sys.executable, "-m", "citizen_kiosk", "--data-dir", str(tmp_path / "sandbox"), "sandbox", "write-config",
         str(config), "--port", str(port)],
        cwd=ROOT, env=child_env(tmp_path), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    context = load_context(config_option=str(config), data_dir_option=str(tmp_path / "data"), env={})
    secrets = open_secrets(context)
    key = secrets.payload_key()
    assert key is not None and context.config.endpoints["sandbox"].token_url  # OAuth on: tokens in the storm too
    cipher = PayloadCipher(key)
    now = [dt.datetime.now(UTC)]
    with open_storage(context.data_dir.path) as storage:
        uuids = queue_submissions(storage.db, SUBMISSIONS, cipher, now=now[0])
        engine = SyncEngine(
            storage.db,
            endpoints=context.config.endpoints,
            routing=context.config.routing,
            cipher=lambda: cipher,
            transport=RestTransport(secrets.get),
            owner="storm",
            clock=lambda: now[0],
        )
        try:
            for _ in range(MAX_PASSES):
                engine.run_once()
                if counts(storage.db).per_state == {"delivered": SUBMISSIONS}:
                    break
                now[0] += dt.timedelta(hours=2)  # past any backoff, Retry-After and breaker probe time
        finally:
            engine.close()
        assert counts(storage.db).per_state == {"delivered": SUBMISSIONS}
        frozen = dict(storage.db.conn.execute("SELECT uuid, payload_sha256 FROM submissions").fetchall())
        receipts = {item.submission_uuid: item.receipt for item in queue_items(storage.db, include_delivered=True)}

    server = sqlite3.connect(f"file:{tmp_path / 'sandbox' / 'sandbox.sqlite3'}?mode=ro", uri=True)
    kept = server.execute("SELECT submission_uuid, receipt, body_sha256 FROM submissions").fetchall()
    attempts = server.execute("SELECT submission_uuid, body_sha256, fault FROM attempts").fetchall()
    server.close()
    assert sorted(uuid for uuid, _, _ in kept) == sorted(uuids)  # exactly one record per submission
    assert {uuid: receipt for uuid, receipt, _ in kept} == receipts  # the kiosk shows the server's own receipt
    per_submission = Counter(uuid for uuid, _, _ in attempts)
    assert all(per_submission[uuid] >= FAIL_FIRST + 1 for uuid in uuids)
    assert all(digest == frozen[uuid] for uuid, digest, _ in attempts)  # every attempt: the bytes frozen at finalise
    faults = Counter(fault for _, _, fault in attempts)
    assert faults["fail-first"] == FAIL_FIRST * SUBMISSIONS and faults["drop"] > 0  # the storm did happen
