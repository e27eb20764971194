"""Crash durability of the queue: an enqueuing process SIGKILLed at random points, 200 times, loses no submission whose
enqueue returned, and leaves a database whose integrity check passes.

Starting a Python process that imports storage and cryptography takes ~0.2 s, so 200 fresh interpreters would take
a minute. Instead one helper process imports everything once and then forks a writer per round (a fork costs a few
milliseconds); the writer finalises submissions and acknowledges each uuid only after `finalise` returned (one
`write` to an append-only file), and the helper SIGKILLs it after a random delay. Bounded in count and in time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from kiosk.storage import check_integrity, open_storage

ROUNDS = 200
TIME_LIMIT_SECONDS = 90.0
ROOT = Path(__file__).resolve().parents[1]

HARNESS = textwrap.dedent(
    """
    import os, random, signal, sys, time, uuid
    from datetime import UTC, datetime
    from pathlib import Path
    from kiosk.codes import CodeKind, new_code
    from kiosk.crypto import PayloadCipher
    from kiosk.storage import open_storage
    from kiosk.submissions import Submission, finalise

    data, acks, rounds, limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    cipher = PayloadCipher(b"c" * 32)
    with open_storage(data):  # created and migrated once, before the first kill
        pass
    rng = random.Random(20261128)
    started, done = time.monotonic(), 0
    for _ in range(rounds):
        if time.monotonic() - started > limit:
            break
        delay = rng.uniform(0.0, 0.04)
        pid = os.fork()
        if pid == 0:  # the writer: enqueue until killed; it must never return into the loop above
          try:
            fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with open_storage(data) as storage:
                while True:
                    submission = Submission(
                        uuid=str(uuid.uuid4()), reference=new_code(CodeKind.SUBMISSION), service_id="crash-test",
                        service_version="1", site_id="site", kiosk_id="kiosk", created_at=datetime.now(UTC),
                        locale="en", assisted=False, consents={}, answers={"note": "x" * rng.randrange(2000)},
                    )
                    finalise(storage.db, submission, cipher, target="t", retention_days=1)
                    os.write(fd, (submission.uuid + "\\n").encode())  # acknowledged only after COMMIT returned
          finally:
            os._exit(3)  # reached only if the writer failed: the parent sees a status other than SIGKILL
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not os.WIFSIGNALED(status):
            sys.exit(f"a writer ended on its own (status {status}): see its traceback above")
        done += 1
    print(done, flush=True)
    """
)


def test_kill_nine_at_random_points_loses_no_acknowledged_submission(tmp_path: Path) -> None:
    data, acks = tmp_path / "data", tmp_path / "acknowledged.txt"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, str(data), str(acks), str(ROUNDS), str(TIME_LIMIT_SECONDS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_SECONDS + 60,
        check=True,
    )
    rounds = int(result.stdout.strip())
    assert rounds >= ROUNDS or time.monotonic() - started > TIME_LIMIT_SECONDS, result.stderr
    acknowledged = [line for line in acks.read_text().splitlines() if line]
    assert len(acknowledged) >= rounds // 4, "the writers rarely got a submission committed: the test proves little"
    with open_storage(data) as storage:
        assert check_integrity(storage.path).ok
        stored = {row[0] for row in storage.db.conn.execute("SELECT uuid FROM submissions")}
        queued = {row[0] for row in storage.db.conn.execute("SELECT submission_uuid FROM outbox")}
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged submissions lost after {rounds} kills"
    assert stored == queued  # never a submission without its outbox row, nor the reverse
