"""The import, export and undo-import commands."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_book import open_book, say_waiting

if TYPE_CHECKING:
    from desktop.contact_book import ContactBook
    from desktop.interop.plan import ImportPlan

EXIT_OK = 0
EXIT_FAILED = 1
SHOWN_PROBLEMS = 200


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = commands.add_parser(
        "import", help="import contacts (CSV, vCard) or follow-ups and history (iCalendar)"
    )
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument(
        "--format", choices=["csv", "vcf", "ics"], help="the file's kind (default: by its name)"
    )
    importer.add_argument(
        "--preset",
        choices=["google", "outlook", "act"],
        help="the tool that wrote a CSV file (default: recognised from the header)",
    )
    importer.add_argument(
        "--encoding",
        metavar="NAME",
        help="the file's text encoding, such as cp1250 (default: detected)",
    )
    importer.add_argument(
        "--on-duplicate",
        choices=["skip", "merge", "add"],
        default="merge",
        help="when a record is someone already here (default: %(default)s, fills blanks)",
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="say what would happen, change nothing"
    )
    importer.add_argument("--verbose", action="store_true", help="list what each record will do")

    exporter = commands.add_parser("export", help="export contacts (CSV, vCard) or a calendar")
    exporter.add_argument("--format", choices=["csv", "vcf", "ics"], required=True)
    exporter.add_argument("--out", type=Path, required=True, metavar="FILE")
    exporter.add_argument("--group", metavar="NAME", help="only this group's contacts")
    exporter.add_argument("--query", metavar="TEXT", help="only contacts a lookup finds")
    exporter.add_argument(
        "--vcard-version", choices=["4.0", "3.0"], default="4.0", help="3.0 for older phones"
    )

    undo = commands.add_parser("undo-import", help="take back an import (the last by default)")
    undo.add_argument("batch", nargs="?", metavar="IMPORT", help="the import's id")


def run_import(args: argparse.Namespace, region: str) -> int:
    from desktop.contact_book import ContactBook
    from desktop.interop.files import plan_contacts
    from desktop.interop.kinds import detect_format

    format = detect_format(args.file, args.format)
    if format == "ics":
        return _import_calendar(args)
    plan, described = plan_contacts(args.file, format, args.preset, region, encoding=args.encoding)
    with contextlib.ExitStack() as stack:
        data_dir = args.data_dir
        if args.dry_run and not ContactBook.exists_in(data_dir):
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))  # change nothing
        return _import_contacts(args, plan, described, format, open_book(data_dir))


def _import_contacts(
    args: argparse.Namespace, plan: ImportPlan, described: str, format: str, book: ContactBook
) -> int:
    from desktop.interop.importer import OnDuplicate

    with contextlib.ExitStack() as stack:
        stack.callback(book.close)
        if not args.dry_run:  # seen and done in one turn: no other import in between
            stack.enter_context(book.job("an import", say_waiting))
        preview = book.import_preview(plan, OnDuplicate(args.on_duplicate))
        print(f"{args.file.name}: {described}; {preview.summary()}.")
        if preview.unmapped:
            print(f"Not imported (no field takes them): {', '.join(preview.unmapped)}.")
        _print_problems([str(p) for p in preview.problems])
        if args.verbose:
            for step in preview.steps:
                print(f"  {step.describe()}")
        if args.dry_run:
            return EXIT_OK
        outcome = book.import_contacts(preview, str(args.file), format)
    if outcome.batch_id is None:
        print("Nothing to import.")
    else:
        print(
            f"Imported: {outcome.created:,} created, {outcome.changed:,} updated or merged "
            f"(import {outcome.batch_id}; `callsheet undo-import` takes it back)."
        )
    return EXIT_OK


def _import_calendar(args: argparse.Namespace) -> int:
    from desktop.interop.table import read_raw

    data = read_raw(args.file)
    book = open_book(args.data_dir)
    with contextlib.ExitStack() as stack:
        stack.callback(book.close)
        if not args.dry_run:
            stack.enter_context(book.job("an import", say_waiting))
        plan = book.calendar_plan(data)
        print(f"{args.file.name}: {plan.summary()}.")
        _print_problems([str(p) for p in plan.problems])
        if args.dry_run:
            return EXIT_OK
        batch = book.import_calendar(plan, str(args.file))
    if batch is not None:
        print(
            f"Imported {len(plan.todos):,} follow-ups and {len(plan.journals):,} history "
            f"entries ({batch})."
        )
    return EXIT_OK


def _print_problems(problems: list[str]) -> None:
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"  {problem}")
    if len(problems) > SHOWN_PROBLEMS:
        print(f"  … and {len(problems) - SHOWN_PROBLEMS:,} more problems")


def run_export(args: argparse.Namespace) -> int:

    book = open_book(args.data_dir, create=False)  # reads only: a read-only book will do
    try:
        group_id = None
        if args.group:
            group_id = book.group_named(args.group)
            if group_id is None:
                print(f"callsheet: there is no group called “{args.group}”.", file=sys.stderr)
                return EXIT_FAILED
        ids = book.export_ids(group_id, args.query or "")
        count = book.export(ids, args.format, args.out, args.vcard_version)
    finally:
        book.close()
    from desktop.wording import counted

    what = counted(count, "calendar item") if args.format == "ics" else counted(count, "contact")
    print(f"Exported {what} to {args.out}.")
    return EXIT_OK


def run_undo_import(args: argparse.Namespace) -> int:
    book = open_book(args.data_dir)
    with contextlib.ExitStack() as stack:
        stack.callback(book.close)
        stack.enter_context(book.job("an import being taken back", say_waiting))
        done = [b for b in book.import_batches() if b.status != "undone"]
        if args.batch:
            try:
                wanted = uuid.UUID(args.batch)
            except ValueError:
                print(f"callsheet: “{args.batch}” is not an import id.", file=sys.stderr)
                return EXIT_FAILED
            done = [b for b in done if b.id == wanted]
        if not done:
            print("callsheet: there is no import to take back.", file=sys.stderr)
            return EXIT_FAILED
        count = book.undo_import(done[0].id)
    print(f"Took back import {done[0].id} ({done[0].source}): {count:,} records.")
    return EXIT_OK
