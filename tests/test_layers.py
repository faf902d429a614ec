"""The layers, checked over every module of `db` and `desktop`:

- Qt lives only in the Qt layer (`desktop.ui`, `desktop.models`, `desktop.app`);
  storage, the services, the CLI and the application core load without it.
- The Qt layer reaches storage only through `ContactBook`: it may use the plain
  values and pure helpers of the other modules, never a function that takes a
  session, a database or a connection, nor the ORM, the engine or SQLAlchemy.
- The per-item mappings that sync applies (vCard, iCalendar) and the values they make
  load with neither Qt, the network client nor storage.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("db", "desktop")
QT_LAYER = ("desktop.ui", "desktop.models", "desktop.app")
DOOR = "desktop.contact_book"
# The `callsheet` command opens the window when no subcommand is given: these may load
# the Qt layer, but only inside a function, so that every other command runs without Qt.
ENTRY_POINTS = ("desktop.cli", "desktop.__main__")
RUN_BY_ALEMBIC = ("db.migrations.env",)
QT_PACKAGES = ("PySide6", "shiboken6")
STORAGE_MODULES = ("sqlalchemy", "alembic", "db.engine", "db.models", "db.migrations")
PURE_MAPPINGS = (
    "desktop.interop.vcard",
    "desktop.interop.calendar_items",
    "desktop.sync.cards",
    "db.contact_values",
    "db.activity_values",
)
STORAGE_PARAMETERS = {"session", "db", "conn", "connection", "engine"}
STORAGE_TYPES = {"Session", "Database", "Connection", "Engine"}


@dataclass(frozen=True)
class Imported:
    module: str  # the module imported from
    name: str | None  # the name taken from it (None for `import module`)
    line: int
    top_level: bool = True  # False inside a function


@cache
def modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


@cache
def tree_of(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


def imports_of(module: str) -> list[Imported]:
    """Every import in the module, at any depth (inside functions and TYPE_CHECKING too)."""
    package = module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
    tree = tree_of(module)
    nested = {
        id(inner)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        top = id(node) not in nested
        if isinstance(node, ast.Import):
            found += [Imported(alias.name, None, node.lineno, top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules():  # `from package import module`
                    found.append(Imported(f"{base}.{alias.name}", None, node.lineno, top))
                else:
                    found.append(Imported(base, alias.name, node.lineno, top))
    return found


def in_qt_layer(module: str) -> bool:
    return any(module == layer or module.startswith(f"{layer}.") for layer in QT_LAYER)


def is_within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(f"{root}.") for root in roots)


def has_storage_functions(module: str) -> bool:
    return any(
        takes_storage(module, node.name)
        for node in tree_of(module).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )


def takes_storage(module: str, name: str) -> bool:
    """Whether `name` in `module` is a function (or class) working on a session or database."""
    for node in tree_of(module).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return _storage_signature(node)
        if isinstance(node, ast.ClassDef) and node.name == name:
            init = next(
                (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
                None,
            )
            return init is not None and _storage_signature(init)
    return False


def _storage_signature(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    for argument in arguments:
        annotation = ast.unparse(argument.annotation) if argument.annotation else ""
        if argument.arg in STORAGE_PARAMETERS or any(t in annotation for t in STORAGE_TYPES):
            return True
    return False


def test_the_walk_sees_every_module() -> None:
    found = modules()
    on_disk = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    assert len(found) == len(on_disk) > 80
    assert {"db.engine", "desktop.contact_book", "desktop.ui.main_window", "desktop.cli"} <= set(
        found
    )
    assert any(in_qt_layer(m) for m in found) and any(not in_qt_layer(m) for m in found)


def test_nothing_outside_the_qt_layer_imports_qt() -> None:
    broken = [
        f"{module}:{imported.line} imports {imported.module}"
        for module in modules()
        if not in_qt_layer(module)
        for imported in imports_of(module)
        if is_within(imported.module, QT_PACKAGES) or in_qt_layer(imported.module)
        if imported.top_level or module not in ENTRY_POINTS
    ]
    assert broken == []


def test_every_module_outside_the_qt_layer_loads_without_qt() -> None:
    """The import graph as Python follows it (what the static walk could miss)."""
    names = [m for m in modules() if not in_qt_layer(m) and m not in RUN_BY_ALEMBIC]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "assert not qt, qt\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr


def test_the_sync_mappings_load_without_qt_network_or_storage() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE_MAPPINGS!r}:\n"
        "    importlib.import_module(name)\n"
        f"heavy = {(*QT_PACKAGES, 'httpx', 'sqlalchemy', 'alembic')!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert not any(has_storage_functions(module) for module in PURE_MAPPINGS)


def test_the_qt_layer_reaches_storage_only_through_the_book() -> None:
    broken = []
    for module in modules():
        if not in_qt_layer(module):
            continue
        for imported in imports_of(module):
            if is_within(imported.module, STORAGE_MODULES):
                broken.append(f"{module}:{imported.line} imports {imported.module}")
            elif imported.module in modules() and not in_qt_layer(imported.module):
                if imported.module == DOOR:
                    continue
                if imported.name is None and has_storage_functions(imported.module):
                    broken.append(f"{module}:{imported.line} imports all of {imported.module}")
                elif takes_storage(imported.module, imported.name):
                    what = f"{imported.module}.{imported.name}"
                    broken.append(f"{module}:{imported.line} uses {what}, which takes storage")
    assert broken == []


def test_the_rule_catches_what_it_is_meant_to() -> None:
    """The checks above are only as good as these detections."""
    assert takes_storage("db.contacts", "create_contact")
    assert takes_storage("desktop.interop.importer", "run")
    assert not takes_storage("db.contact_values", "ContactDraft")
    assert has_storage_functions("db.contacts") and not has_storage_functions("desktop.logs")
    assert in_qt_layer("desktop.ui.main_window") and not in_qt_layer("desktop.contact_book")
    assert Imported("desktop.ui.workers", "JobRunner", 19) in imports_of("desktop.ui.interop")
    lazy = [i for i in imports_of("desktop.cli") if i.module == "desktop.app"]
    assert lazy and not any(i.top_level for i in lazy)
