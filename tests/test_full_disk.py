"""A real full disk (a tiny tmpfs in a private mount namespace): one clear message, nothing already saved lost.

The storage tests reach SQLITE_FULL through max_page_count and ENOSPC through /dev/full; these run the kiosk's own
code on a file system that is actually full, as happens on a kiosk whose disk fills with logs or spool files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root to mount a tmpfs"),
]

# Runs inside `unshare --mount`: the tmpfs vanishes with the process, whatever happens.
IN_NAMESPACE = """
set -e
mount -t tmpfs -o size=512k tmpfs "$DISK"
exec "$PYTHON" -c "$SCRIPT"
"""

FRESH_INSTALL = """
import json, os
from citizen_kiosk.wiring import load_context, storage_startup_task
from kiosk.notices import NoticeBoard
from kiosk.readiness import Readiness
disk = os.environ["DISK"]
with open(f"{disk}/filler", "wb", buffering=0) as f:  # leave a few KiB: less than a new database needs
    try:
        while True:
            f.write(b"x" * 4096)
    except OSError:
        pass
    f.truncate(f.tell() - 8192)
notices, readiness = NoticeBoard(), Readiness()
context = load_context(config_option=None, data_dir_option=f"{disk}/data", env={})
storage_startup_task(context, notices, readiness)()
print(json.dumps({"kinds": [n.kind for n in notices.current()], "refusal": readiness.refusal()}))
"""

EXISTING_DATA = """
import json, os
from pathlib import Path
from kiosk.storage import StorageFullError, check_integrity, open_alerts, open_storage, raise_alert
disk = os.environ["DISK"]
with open_storage(Path(disk) / "data") as storage:
    with storage.write() as db:
        for i in range(50):
            raise_alert(db, "test", f"saved before the disk filled {i}", {})
    filler = open(f"{disk}/filler", "wb", buffering=0)
    try:
        while True:
            filler.write(b"x" * 4096)
    except OSError:
        pass
    message = None
    try:
        with storage.write() as db:
            for i in range(2000):
                raise_alert(db, "test", "y" * 500, {})
    except StorageFullError as error:
        message = str(error)
    filler.close()
    os.remove(f"{disk}/filler")  # staff free some space
    summaries = [a.summary for a in open_alerts(storage.db)]
print(json.dumps({"message": message, "kept": len([s for s in summaries if s.startswith("saved before")]),
                  "partial": len([s for s in summaries if s.startswith("y")]),
                  "integrity": check_integrity(storage.path).ok}))
"""


def _run_on_tiny_disk(tmp_path: Path, script: str) -> dict[str, object]:
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**os.environ, "DISK": str(disk), "PYTHON": sys.executable, "SCRIPT": textwrap.dedent(script)}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", IN_NAMESPACE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # A sandbox that forbids namespaces or mounts says so before the script runs: skip there, fail anywhere else.
    stderr = result.stderr.lower()
    refused = any(word in stderr for word in ("operation not permitted", "permission denied"))
    if result.returncode != 0 and stderr.startswith(("unshare", "mount")) and refused:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    outcome: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome


def test_full_disk_at_first_start_is_one_clear_notice_and_blocks_submissions(tmp_path: Path) -> None:
    outcome = _run_on_tiny_disk(tmp_path, FRESH_INSTALL)
    assert outcome["kinds"] == ["storage-full"], outcome["refusal"]
    refusal = str(outcome["refusal"])
    assert "disk is full" in refusal and "Tell staff" in refusal


def test_full_disk_during_a_write_loses_nothing_already_saved(tmp_path: Path) -> None:
    outcome = _run_on_tiny_disk(tmp_path, EXISTING_DATA)
    assert outcome["message"] == (
        "The kiosk's disk is full, so nothing new could be saved. Everything saved before is safe. "
        "Tell staff: free space on the kiosk's disk."
    )
    assert outcome["kept"] == 50  # every row committed before the disk filled
    assert outcome["partial"] == 0  # the failed transaction left nothing half-written
    assert outcome["integrity"] is True
