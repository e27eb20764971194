"""Crash durability: a writer killed with SIGKILL at random moments never loses a transaction it reported committed.

Reproduces SQLite's own crash test in small: the child prints a batch id only after COMMIT returns; after each kill
the parent reopens the database, finds every printed batch whole, no batch half-written, and integrity_check ok.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from kiosk.storage import check_integrity, open_storage

ROUNDS = 5
ROWS_PER_BATCH = 3
ROOT = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.storage import connect

    conn = connect(Path(sys.argv[1]))
    conn.execute(
        "CREATE TABLE IF NOT EXISTS crash_probe (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, payload TEXT)"
    )
    conn.commit()
    batch = conn.execute("SELECT coalesce(max(batch), 0) FROM crash_probe").fetchone()[0]
    for _ in range(100_000):
        batch += 1
        with conn:  # one transaction per batch: all of its rows or none
            for part in range(ROWS_PER_BATCH):
                conn.execute("INSERT INTO crash_probe (batch, payload) VALUES (?, ?)", (batch, "x" * (200 * part)))
        print(batch, flush=True)
    """
).replace("ROWS_PER_BATCH", str(ROWS_PER_BATCH))


def run_writer_and_kill(path: Path, kill_after: int) -> list[int]:
    """Start the writer, SIGKILL it once it has reported `kill_after` commits; return every batch it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    reported: list[int] = []
    for line in child.stdout:
        reported.append(int(line))
        if len(reported) == kill_after:
            child.send_signal(signal.SIGKILL)
            break
    reported.extend(int(line) for line in child.stdout)  # commits reported before the kill landed
    _, stderr = child.communicate()
    assert child.returncode == -signal.SIGKILL, f"writer ended on its own: {stderr}"
    return reported


def test_killed_writer_loses_no_reported_commit(tmp_path: Path) -> None:
    open_storage(tmp_path).close()
    path = tmp_path / "kiosk.db"
    rng = random.Random(20250301)
    reported: list[int] = []
    for _ in range(ROUNDS):
        reported += run_writer_and_kill(path, kill_after=rng.randint(5, 150))
        with open_storage(tmp_path) as storage:
            sizes = dict(storage.db.execute("SELECT batch, count(*) FROM crash_probe GROUP BY batch").fetchall())
        assert set(reported) <= set(sizes), "a batch reported as committed is missing"
        assert set(sizes.values()) == {ROWS_PER_BATCH}, "a batch was half-written"
        assert sorted(sizes) == list(range(1, len(sizes) + 1)), "batches must be contiguous"
        report = check_integrity(path)
        assert report.ok, report.problems
