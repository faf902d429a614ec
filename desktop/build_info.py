"""What build this is: the packaged build's stamp (written by build.spec), or the
source checkout's commit."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

from desktop import __version__


def build_info() -> str:
    """ "built 2026-11-23 from 3c028d6" for a package, "from source (3c028d6)" otherwise."""
    try:
        from desktop import _build  # type: ignore[attr-defined]  # written by build.spec
    except ImportError:
        commit = _source_commit()
        return f"from source ({commit})" if commit else "from source"
    return f"built {_build.BUILT} from {_build.COMMIT}"


def version_text() -> str:
    """The line `callsheet --version` prints."""
    frozen = "packaged" if getattr(sys, "frozen", False) else "Python"
    return (
        f"callsheet {__version__} ({build_info()}; {frozen} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()})"
    )


def _source_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return ""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip()
