"""Every setting Callsheet knows, declared once: key, type, default, label, lockable.

The app (through `desktop.ui.settings`), the CLI, the machine defaults file IT writes
(`desktop.defaults`) and the Preferences dialog all read this table, so a setting has
one name, one type and one default everywhere. A setting is stored in the user's
settings file (`callsheet.ini`, section/key) as text; `Settings.get` reads it back
typed, applying IT's locked and default values.

Window layout (geometry, splitter and column state) and remembered import mappings are
the window's own state, kept beside the settings as opaque values, not settings.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from db.restore import BackupPlan
    from desktop.defaults import MachineDefaults

T = TypeVar("T")

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting. `key` is "section/name", as in the settings file and in the machine
    defaults (TOML `[section] name = ...`); `lockable` settings may be preset and
    locked by IT."""

    key: str
    kind: type
    default: T
    label: str
    lockable: bool = False
    minimum: int | None = None
    maximum: int | None = None

    @property
    def section(self) -> str:
        return self.key.partition("/")[0]

    @property
    def name(self) -> str:
        return self.key.partition("/")[2]

    def parse(self, raw: object) -> T:
        """The typed value of `raw` (settings text, or what Qt gave back); the default
        when it cannot be read."""
        if raw is None:
            return self.default
        if self.kind is bool:
            if isinstance(raw, bool):
                return cast(T, raw)
            text = str(raw).strip().lower()
            return cast(T, True if text in _TRUE else False if text in _FALSE else self.default)
        if self.kind is int:
            try:
                number = int(str(raw).strip())
            except ValueError:
                return self.default
            if self.minimum is not None:
                number = max(number, self.minimum)
            if self.maximum is not None:
                number = min(number, self.maximum)
            return cast(T, number)
        if self.kind is tuple:
            items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            return cast(T, tuple(s.strip() for s in items if str(s).strip()))
        return cast(T, str(raw))

    def format(self, value: T) -> str:
        """`value` as the settings file keeps it."""
        if self.kind is bool:
            return "true" if value else "false"
        if self.kind is tuple:
            return ",".join(cast(tuple[str, ...], value))
        return str(value)


DATA_DIR = Setting("data/dir", str, "", "Data folder", lockable=True)
SYNC_SERVER_URL = Setting("sync/server_url", str, "", "Sync server", lockable=True)
SYNC_AUTOMATIC = Setting("sync/automatic", bool, True, "Sync in the &background", lockable=True)
# "at-once": a contact moved to the Trash is deleted on the server at the next sync;
# "when-emptied": only once it leaves the Trash for good (the server keeps it till then).
SYNC_DELETE_ON_SERVER = Setting(
    "sync/delete_on_server", str, "at-once", "&Delete on the server", lockable=True
)
SYNC_EVERY_MINUTES = Setting(
    "sync/every_minutes", int, 15, "Sync &every", lockable=True, minimum=1, maximum=1440
)
SOCIAL_ENABLED = Setting(
    "social/enabled", bool, True, "Fetch public profile snapshots", lockable=True
)
SOCIAL_DISABLED: Setting[tuple[str, ...]] = Setting(
    "social/disabled", tuple, (), "Sources not fetched", lockable=True
)
# Looking a contact up by email (Gravatar) sends a hash of the address to a third party:
# off until the user (or IT) says "yes"; "" means nobody was asked yet.
SOCIAL_BY_EMAIL = Setting(
    "social/by_email", str, "", "Look up profiles by email address (Gravatar)", lockable=True
)
SOCIAL_MAX_AGE_DAYS = Setting(
    "social/max_age_days",
    int,
    7,
    "Refresh profiles older than (days)",
    lockable=True,
    minimum=1,
    maximum=365,
)
# Labels carry Qt's "&" before the letter that jumps to the field.
CALLS_SCHEME = Setting("calls/scheme", str, "tel", "&Dial with", lockable=True)
CALLS_COMMAND = Setting("calls/command", str, "", "Or run &command", lockable=True)
SOURCE_URLS = {
    name: Setting(f"social/{name}_url", str, "", f"{name.capitalize()} server address")
    for name in ("bluesky", "github", "gravatar", "mastodon")
}
# "" reads numbers as this computer's locale says; an ISO code ("NL") overrides it.
PHONE_REGION = Setting("phones/default_region", str, "", "Default phone &region", lockable=True)
WORKING_DAYS: Setting[tuple[str, ...]] = Setting(
    "calendar/working_days", tuple, ("mon", "tue", "wed", "thu", "fri"), "Working days"
)
LIST_SORT = Setting("list/sort", str, "name", "Contact list sorted by")
LIST_DESCENDING = Setting("list/descending", bool, False, "Contact list sorted descending")
LIST_VIEW = Setting("list/view", str, "all:", "Contact list shows")
IMPORT_ON_DUPLICATE = Setting("import/onDuplicate", str, "merge", "Import: someone already here")
EXPORT_FOLDER = Setting("export/folder", str, "", "Export folder")
# "" keeps backups in the data folder's "backups" folder.
BACKUP_FOLDER = Setting("backups/folder", str, "", "Backup folder", lockable=True)
BACKUP_KEEP = Setting(
    "backups/keep", int, 7, "Backups &kept", lockable=True, minimum=1, maximum=365
)

SCHEMA: tuple[Setting[Any], ...] = (
    DATA_DIR,
    SYNC_SERVER_URL,
    SYNC_AUTOMATIC,
    SYNC_EVERY_MINUTES,
    SYNC_DELETE_ON_SERVER,
    SOCIAL_ENABLED,
    SOCIAL_DISABLED,
    SOCIAL_BY_EMAIL,
    SOCIAL_MAX_AGE_DAYS,
    CALLS_SCHEME,
    CALLS_COMMAND,
    *SOURCE_URLS.values(),
    PHONE_REGION,
    WORKING_DAYS,
    LIST_SORT,
    LIST_DESCENDING,
    LIST_VIEW,
    IMPORT_ON_DUPLICATE,
    EXPORT_FOLDER,
    BACKUP_FOLDER,
    BACKUP_KEEP,
)
BY_KEY = {setting.key: setting for setting in SCHEMA}
LOCKABLE = {setting.key: setting for setting in SCHEMA if setting.lockable}


class SettingsStore(Protocol):
    """Where the user's values live: `value(key)` gives what is stored or None."""

    def value(self, key: str) -> object | None: ...

    def setValue(self, key: str, value: object) -> None: ...

    def sync(self) -> None: ...


class Settings:
    """The user's settings over the machine defaults: for a lockable setting a locked
    default wins, then the user's value, then IT's default, then the schema's."""

    def __init__(self, store: SettingsStore, machine: MachineDefaults) -> None:
        self.store = store
        self.machine = machine

    def get(self, setting: Setting[T]) -> T:
        machine = self.machine.values.get(setting.key) if setting.lockable else None
        if machine is not None and self.machine.is_locked(setting.key):
            return setting.parse(machine)
        mine = self.store.value(setting.key)
        if mine is not None and str(mine) != "":
            return setting.parse(mine)
        return setting.parse(machine) if machine is not None else setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        """Store the user's value (a locked setting keeps IT's)."""
        if not self.is_locked(setting):
            self.store.setValue(setting.key, setting.format(value))

    def is_locked(self, setting: Setting[Any]) -> bool:
        return setting.lockable and self.machine.is_locked(setting.key)

    def state(self, key: str) -> object | None:
        """Window state kept beside the settings (geometry, column layout, mappings)."""
        return self.store.value(key)

    def set_state(self, key: str, value: object) -> None:
        self.store.setValue(key, value)

    def sync(self) -> None:
        self.store.sync()


class IniFile:
    """The settings file read without Qt (for the CLI), in the format Qt writes it."""

    def __init__(self, path: Path) -> None:
        self.parser = configparser.ConfigParser(interpolation=None)
        self.parser.optionxform = str  # type: ignore[assignment,method-assign]
        self.parser.read(path, encoding="utf-8")

    def value(self, key: str) -> object | None:
        section, _, name = key.partition("/")
        text = self.parser.get(section or "General", name, fallback=None)
        if text is not None and len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]  # Qt quotes text holding a comma
        return text

    def setValue(self, key: str, value: object) -> None:
        raise NotImplementedError("the command line does not change settings")

    def sync(self) -> None:
        return None


def read_only_settings(config_dir: Path) -> Settings:
    """The settings as the command line sees them: the user's file under IT's defaults."""
    from desktop.defaults import load_defaults

    return Settings(IniFile(config_dir / "callsheet.ini"), load_defaults())


def keeps_trashed_on_server(settings: Settings) -> bool:
    """Whether sync leaves a trashed contact on the server until the Trash is emptied."""
    return settings.get(SYNC_DELETE_ON_SERVER) == "when-emptied"


def backup_plan(settings: Settings, data_dir: Path) -> BackupPlan:
    """Where automatic backups of the book in `data_dir` go, and how many are kept."""
    from db.restore import BackupPlan

    folder = os.path.expandvars(settings.get(BACKUP_FOLDER).strip())
    place = data_dir / (Path(folder).expanduser() if folder else Path("backups"))
    return BackupPlan(place.absolute(), settings.get(BACKUP_KEEP))


def apply_source_urls(settings: Settings) -> None:
    """Base URLs set in the settings (`social/<source>_url`, for proxies and self-hosted
    servers) apply unless the environment already sets `CALLSHEET_<SOURCE>_URL`."""
    for name, setting in SOURCE_URLS.items():
        value = settings.get(setting).strip()
        if value:
            os.environ.setdefault(f"CALLSHEET_{name.upper()}_URL", value)
