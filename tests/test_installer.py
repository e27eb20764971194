"""installer/system-deps.sh: installs missing Debian packages as root, and tells anyone else the exact command."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian-like system")


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    # Not tmp_path: pytest's base folder is private to root, and the script must be readable by `nobody`.
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        yield Path(name)


def _installer_with(folder: Path, packages: str) -> Path:
    shutil.copy(ROOT / "installer" / "system-deps.sh", folder / "system-deps.sh")
    (folder / "debian-packages.txt").write_text(packages)
    return folder / "system-deps.sh"


def test_nothing_to_do_when_every_package_is_installed(world_readable_dir: Path) -> None:
    script = _installer_with(world_readable_dir, "[runtime]\n# a comment\ndpkg\n")
    result = subprocess.run(["sh", str(script), "runtime"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop to nobody")
def test_a_normal_user_gets_the_exact_apt_command(world_readable_dir: Path) -> None:
    script = _installer_with(
        world_readable_dir, "[runtime]\ndpkg\ncitizen-kiosk-no-such-package\n[window]\nother-missing\n"
    )
    result = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", str(script), "runtime"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "sudo apt-get install --no-install-recommends citizen-kiosk-no-such-package\n" in result.stderr
    assert "other-missing" not in result.stderr  # only the groups asked for
