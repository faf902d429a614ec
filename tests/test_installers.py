"""The installer scripts that cannot run here are checked as far as they can be."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from desktop import __version__

ROOT = Path(__file__).parents[1]


def test_the_windows_installer_matches_the_app() -> None:
    script = (ROOT / "installer" / "windows" / "callsheet.iss").read_text(encoding="utf-8")
    assert f'#define AppVersion "{__version__}"' in script
    for section in ("[Setup]", "[Files]", "[Icons]", "[Run]", "[Code]"):
        assert section in script
    assert "PrivilegesRequired=admin" in script  # per machine
    assert "skipifsilent" in script  # a silent install starts nothing
    for relative in re.findall(r'=(\.\.\\\.\.\\[^\s"]+)', script):
        target = ROOT / "installer" / "windows" / Path(relative.replace("\\", "/"))
        if "dist" not in relative:  # dist/ is what the build makes
            assert target.resolve().exists(), relative


def test_the_linux_install_script_is_valid_shell() -> None:
    script = ROOT / "installer" / "linux" / "install.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    assert script.stat().st_mode & 0o111


def test_the_spec_names_what_it_ships() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"resources"' in spec and '"db" / "migrations"' in spec
    assert "callsheet.icns" in spec and "BUNDLE(" in spec  # macOS
    assert "callsheet-cli" in spec  # Windows' console program
    assert (ROOT / "resources" / "callsheet.ico").exists()
    assert (ROOT / "resources" / "callsheet.png").exists()


def test_a_cjk_font_comes_with_the_app_on_linux() -> None:
    """DejaVu has no Chinese, Japanese or Korean letters: names in them would be boxes."""
    control = (ROOT / "installer" / "linux" / "control").read_text(encoding="utf-8")
    depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
    assert "fonts-noto-cjk" in depends
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    app_only = setup.split("if ! $with_tests; then", 1)[1].split("fi", 1)[0]
    assert "fonts-noto-cjk" in app_only
