"""Machine-wide defaults IT sets for every user of a computer, in a TOML file:

    Linux    /etc/callsheet/defaults.toml
    Windows  %PROGRAMDATA%\\Callsheet\\defaults.toml
    macOS    /Library/Application Support/Callsheet/defaults.toml
    (CALLSHEET_DEFAULTS names another file, for testing a rollout)

A user's own setting wins over a default unless IT locked that key. A file that cannot
be read, or holds something unknown or of the wrong type, is ignored as a whole (safe
defaults) and `problem` says what is wrong, so the app can say so and still start.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.settings import LOCKABLE

# Settings key -> (TOML table, TOML key, expected TOML type): the schema's lockable ones.
KEYS: dict[str, tuple[str, str, type]] = {
    key: (setting.section, setting.name, list if setting.kind is tuple else setting.kind)
    for key, setting in LOCKABLE.items()
}
LOCK_NAMES = {f"{table}.{key}": name for name, (table, key, _t) in KEYS.items()}


@dataclass(frozen=True)
class MachineDefaults:
    values: dict[str, str] = field(default_factory=dict)  # as settings strings
    locked: frozenset[str] = frozenset()
    source: Path | None = None
    problem: str | None = None

    def is_locked(self, key: str) -> bool:
        return key in self.locked


def defaults_path() -> Path:
    """Where this computer's defaults file lives."""
    override = os.environ.get("CALLSHEET_DEFAULTS")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        return (
            Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Callsheet" / "defaults.toml"
        )
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Callsheet/defaults.toml")
    return Path("/etc/callsheet/defaults.toml")


def load_defaults(path: Path | None = None) -> MachineDefaults:
    """Read the defaults file; a missing file means no defaults, a bad one is ignored."""
    path = path or defaults_path()
    if not path.exists():
        return MachineDefaults()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        values, locked = _parse(data)
    except (OSError, UnicodeDecodeError) as error:
        return _ignored(path, f"it cannot be read ({error.__class__.__name__})")
    except tomllib.TOMLDecodeError as error:
        return _ignored(path, f"it is not valid TOML ({error})")
    except ValueError as error:
        return _ignored(path, str(error))
    return MachineDefaults(values, locked, path)


def _parse(data: dict[str, Any]) -> tuple[dict[str, str], frozenset[str]]:
    values: dict[str, str] = {}
    known_tables = {table for table, _key, _type in KEYS.values()} | {"lock"}
    for table in data:
        if table not in known_tables:
            raise ValueError(f"[{table}] is not a section Callsheet knows")
    for name, (table, key, expected) in KEYS.items():
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise ValueError(f"[{table}] must be a section")
        if key not in section:
            continue
        value: Any = section[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ValueError(f"{table}.{key} must be a {expected.__name__}")
        if expected is bool:
            values[name] = "true" if value else "false"
        elif isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                raise ValueError(f"{table}.{key} must be a list of names")
            values[name] = ",".join(value)
        else:
            values[name] = str(value)
    for table, section in data.items():
        if table == "lock" or not isinstance(section, dict):
            continue
        for key in section:
            if f"{table}.{key}" not in LOCK_NAMES:
                raise ValueError(f"{table}.{key} is not a setting Callsheet knows")
    lock = data.get("lock", {})
    keys = lock.get("keys", []) if isinstance(lock, dict) else None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ValueError('[lock] keys must be a list such as ["social.enabled"]')
    unknown = [k for k in keys if k not in LOCK_NAMES]
    if unknown:
        raise ValueError(f"[lock] names settings Callsheet does not know: {', '.join(unknown)}")
    return values, frozenset(LOCK_NAMES[k] for k in keys)


def _ignored(path: Path, why: str) -> MachineDefaults:
    return MachineDefaults(
        source=path,
        problem=f"The defaults file {path} was ignored because {why}; using safe defaults.",
    )
