"""Reading an import file of contacts into a plan."""

from __future__ import annotations

from pathlib import Path

from db.gc_pause import cyclic_gc_paused
from desktop.interop.mapping import plan_rows
from desktop.interop.plan import ImportPlan
from desktop.interop.presets import PRESET_TITLES, detect_preset, guess_mapping
from desktop.interop.table import ImportFileError, read_table, read_text
from desktop.interop.vcard import plan_vcards


def plan_contacts(
    path: Path,
    format: str,
    preset: str | None,
    region: str,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
) -> tuple[ImportPlan, str]:
    """The file's contacts as a plan, and a line describing how it was read."""
    with cyclic_gc_paused():
        return _plan_contacts(path, format, preset, region, mapping, encoding)


def _plan_contacts(
    path: Path,
    format: str,
    preset: str | None,
    region: str,
    mapping: dict[str, str] | None,
    encoding: str | None,
) -> tuple[ImportPlan, str]:
    if format == "vcf":
        text, encoding = read_text(path, encoding)
        plan = plan_vcards(text, region)
        if not plan.rows:
            raise ImportFileError(f"{path} holds no vCards (no BEGIN:VCARD line).")
        return plan, f"{len(plan.rows):,} vCards ({encoding})"
    if format != "csv":
        raise ImportFileError(f"{path}: contacts come from CSV or vCard files, not {format}.")
    table = read_table(path, encoding)
    chosen = preset or detect_preset(table.headers)
    plan = plan_rows(table, mapping or guess_mapping(table.headers, chosen), region)
    kind = PRESET_TITLES.get(chosen or "", "columns by their names")
    return plan, f"{len(table.rows):,} rows ({kind}, {table.encoding})"
