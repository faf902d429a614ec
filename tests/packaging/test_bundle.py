"""The packaged app is the app: build the bundle from a clean checkout (`.ci/build`),
then run the packaged binary offscreen and through its command line.

Slow (a few minutes), so marked: `pytest -m packaging` (CI runs it as its own step)."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from desktop import __version__

pytestmark = pytest.mark.packaging
ROOT = Path(__file__).parents[2]


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=1800,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env or os.environ.copy(),
    )
    assert result.returncode == 0, f"{command}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def test_the_bundle_builds_from_a_clean_checkout_and_runs(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    run("git", "clone", "--quiet", ROOT, checkout)
    run("bash", ".ci/build", cwd=checkout)
    binary = checkout / "dist" / "Callsheet" / "callsheet"
    archive = checkout / "dist" / f"callsheet-{__version__}-linux-{os.uname().machine}.tar.gz"
    assert binary.exists() and archive.exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert any(name.endswith("/Callsheet/callsheet") for name in names)
    assert any(name.endswith("/callsheet.desktop") for name in names)
    assert any(name.endswith("/install.sh") for name in names)

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV"))  # nothing from the dev setup
    }
    env.update(QT_QPA_PLATFORM="offscreen", CALLSHEET_CONFIG_DIR=str(tmp_path / "config"))
    version = run(binary, "--version", env=env)
    assert version.startswith(f"callsheet {__version__} (built ") and "packaged" in version
    data = tmp_path / "data"
    assert "Selftest passed" in run(binary, "--data-dir", data, "selftest", env=env)
    found = run(binary, "--data-dir", data, "find", "selftest", "--json", env=env)
    assert '"display_name": "Selftest Callsheet"' in found
    run(binary, "--data-dir", data, "seed", "--count", "200", "--seed", "3", env=env)
    assert run(binary, "--data-dir", data, "agenda", "--days", "60", env=env).strip()
    assert (data / "callsheet.db").exists()

    # The .deb holds the same program, installed under /opt with a command and menu entry.
    [deb] = list((checkout / "dist").glob(f"callsheet_{__version__}_*.deb"))
    info = run("dpkg-deb", "--info", deb)
    assert "Package: callsheet" in info and "Depends: libgl1" in info
    contents = run("dpkg-deb", "--contents", deb)
    for path in ("./opt/callsheet/callsheet", "./usr/bin/callsheet", "callsheet.desktop"):
        assert path in contents
    extracted = tmp_path / "deb"
    run("dpkg-deb", "-x", deb, extracted)
    assert "Selftest passed" in run(
        extracted / "opt" / "callsheet" / "callsheet",
        "--data-dir",
        tmp_path / "d2",
        "selftest",
        env=env,
    )

    # The silent per-user install from the archive, and the installed program.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    home = tmp_path / "home"
    home.mkdir()
    [folder] = list(unpacked.iterdir())
    run("sh", folder / "install.sh", "--user", env={**env, "HOME": str(home)})
    installed = home / ".local" / "bin" / "callsheet"
    assert run(installed, "--version", env=env).startswith(f"callsheet {__version__}")
    desktop_file = home / ".local" / "share" / "applications" / "callsheet.desktop"
    assert f"Exec={home}/.local/opt/callsheet/callsheet" in desktop_file.read_text()
