"""Cold start of the kiosk to its first painted home screen, against a bare PySide6 window in the same run.

"Painted" means: the first paint event of the home screen has completed (the shell's `after_first_paint` hook). Each
run is a fresh process, offscreen on a virtual screen the size of the reference panel; runs alternate between the two
programs so that both see the same machine state. The kiosk runs as `make run` starts it (a configuration file and a
credentials directory made by `secrets init`), with its bytecode compiled as an installed package has it. Prints each
run, the medians, and on the last line `startup ratio: X.XX  rss ratio: Y.YY` (kiosk / bare; the goal is at most
1.5 for both).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from spawn to the child's "first-paint" line, and the child's peak RSS in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    wall = time.perf_counter() - start
    _, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read() if process.stderr else ""
    if line.strip() != "first-paint" or status != 0:
        raise SystemExit(f"{' '.join(command)} failed (status {status}): {line}{stderr}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from ui.offscreen import offscreen_platform

    for package in ("kiosk", "ui", "accessibility", "sync", "tutorials", "citizen_kiosk"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": offscreen_platform(1920, 1080, 21.5),
            "HOME": scratch,
            "XDG_CONFIG_HOME": scratch,
        }
        env.pop("CITIZEN_KIOSK_DATA_DIR", None)
        options = ["--config", f"{scratch}/kiosk.toml", "--data-dir", f"{scratch}/data"]
        init = ["secrets", "init", "--credentials-dir", f"{scratch}/credentials", *options]
        subprocess.run(
            [sys.executable, "-m", "citizen_kiosk", *init], env=env, cwd=ROOT, check=True, capture_output=True
        )
        kiosk = [sys.executable, "-m", "citizen_kiosk", "run", "--exit-after-first-paint", *options]
        bare = [sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]
        measure(kiosk, env)  # warm the file cache for both: we compare programs, not disk reads
        measure(bare, env)
        results: dict[str, list[tuple[float, float]]] = {"kiosk": [], "bare": []}
        for run in range(args.runs):
            for name, command in (("bare", bare), ("kiosk", kiosk)):
                wall, rss = measure(command, env)
                results[name].append((wall, rss))
                print(f"run {run + 1} {name:<5} wall {wall * 1000:7.1f} ms  peak RSS {rss:6.1f} MiB")
    medians = {
        name: (statistics.median(w for w, _ in rows), statistics.median(r for _, r in rows))
        for name, rows in results.items()
    }
    for name, (wall, rss) in medians.items():
        print(f"median {name:<5} wall {wall * 1000:7.1f} ms  peak RSS {rss:6.1f} MiB")
    print(
        f"startup ratio: {medians['kiosk'][0] / medians['bare'][0]:.2f}  "
        f"rss ratio: {medians['kiosk'][1] / medians['bare'][1]:.2f}"
    )


if __name__ == "__main__":
    main()
