"""The `callsheet` command: opens the app, or runs one job headless.

Exit codes: 0 success, 2 usage error, 1 any other error (one line on stderr, the
traceback only in the log file unless --debug).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import cli_backup, cli_sync, logs
from desktop.cli_book import open_book, say_waiting
from desktop.cli_interop import add_commands, run_export, run_import, run_undo_import
from desktop.paths import default_data_dir

if TYPE_CHECKING:
    import uuid

    from desktop.contact_book import ContactBook

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callsheet",
        description="Callsheet: the contact manager for people who sell.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder holding callsheet.db (default: %(default)s)",
        default=default_data_dir(),
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    seed = commands.add_parser("seed", help="fill the database with realistic demo data")
    seed.add_argument(
        "--count", type=_positive, required=True, metavar="N", help="how many demo contacts to add"
    )
    seed.add_argument("--seed", type=int, metavar="S", help="random seed, for the same data again")

    find = commands.add_parser("find", help="look up contacts by any fragment")
    find.add_argument(
        "text", metavar="TEXT", type=_query, help="name, company, email, phone digits or city"
    )
    find.add_argument(
        "--limit",
        type=_positive,
        default=20,
        metavar="N",
        help="at most N results (default: %(default)s)",
    )
    find.add_argument("--json", action="store_true", help="one JSON object per line")

    add_commands(commands)
    cli_backup.add_commands(commands)
    cli_sync.add_commands(commands)

    commands.add_parser(
        "selftest", help="check this installation: open the window, add and find a contact"
    )

    brief = commands.add_parser("brief", help="print the call sheet of the best match")
    brief.add_argument("query", metavar="QUERY", help="who: any fragment, as for find")
    brief.add_argument(
        "--refresh", action="store_true", help="fetch the public profiles first (needs network)"
    )

    agenda = commands.add_parser(
        "agenda", help="list open follow-ups: overdue first, then by due time"
    )
    agenda.add_argument(
        "--days",
        type=_not_negative,
        default=7,
        metavar="N",
        help="include what is due up to N days ahead (default: %(default)s; 0 = today)",
    )
    agenda.add_argument("--overdue", action="store_true", help="only what is overdue")
    agenda.add_argument(
        "--limit",
        type=_positive,
        default=100,
        metavar="N",
        help="at most N follow-ups; stderr says how many more there are (default: %(default)s)",
    )
    agenda.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def version_text() -> str:
    from desktop.build_info import version_text as text

    return text()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    logs.configure(args.data_dir, debug=args.debug)
    from desktop.defaults import load_defaults

    problem = load_defaults().problem
    if problem:
        log.info("%s", problem)  # the log file; stderr gets the line below
        print(f"callsheet: warning: {problem}", file=sys.stderr)
    from db.errors import CallsheetError

    try:
        if args.command == "seed":
            return _seed(args)
        if args.command == "find":
            return _find(args)
        if args.command == "agenda":
            return _agenda(args)
        if args.command == "brief":
            return _brief(args)
        if args.command == "import":
            return run_import(args, _region())
        if args.command == "export":
            return run_export(args)
        if args.command == "undo-import":
            return run_undo_import(args)
        if args.command == "backup":
            return cli_backup.run_backup(args)
        if args.command == "restore":
            return cli_backup.run_restore(args)
        if args.command == "sync":
            return cli_sync.run_sync(args, _region())
        if args.command == "selftest":
            from desktop.app import run_selftest

            return run_selftest(args.data_dir)
        from desktop.app import run_app

        return run_app(args.data_dir)
    except CallsheetError as error:
        log.info("command failed: %s", error, exc_info=True)
        print(f"callsheet: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("callsheet: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`callsheet agenda | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:
        log.exception("unexpected error")
        if args.debug:
            raise
        print(
            f"callsheet: unexpected error: {error} (details in the log file in "
            f"{args.data_dir}; run with --debug to see them)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _whole_number(value: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < minimum:
        raise argparse.ArgumentTypeError(f"expected {minimum} or more, got {number}")
    return number


def _query(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("say what to look for (the text is empty)")
    return value


def _positive(value: str) -> int:
    return _whole_number(value, 1)


def _not_negative(value: str) -> int:
    return _whole_number(value, 0)


def _seed(args: argparse.Namespace) -> int:
    book = open_book(args.data_dir)
    logs.configure(args.data_dir, debug=args.debug)
    started = time.perf_counter()
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> bool:
        if interactive:
            print(f"\r{done:,} of {total:,} contacts", end="", file=sys.stderr, flush=True)
        return True

    try:
        added = book.seed(args.count, seed=args.seed, progress=progress, on_wait=say_waiting)
    finally:
        book.close()
    elapsed = time.perf_counter() - started
    if interactive:
        print(file=sys.stderr)
    print(
        f"Added {added:,} demo contacts to {book.path} in {elapsed:.1f} s "
        f"({added / max(elapsed, 1e-9):,.0f} contacts/s)."
    )
    return EXIT_OK


def _find(args: argparse.Namespace) -> int:
    from db import quick_read

    with quick_read.reader(args.data_dir) as conn:
        hits = quick_read.lookup(conn, args.text, args.limit + 1) if conn else None
    if hits is None:  # the book needs opening the whole way (see db.quick_read)
        book = open_book(args.data_dir, create=False)
        try:
            hits = book.lookup(args.text, limit=args.limit + 1)
        finally:
            book.close()
    if not hits:
        print(f"callsheet: no contact matches “{args.text}”.", file=sys.stderr)
    elif len(hits) > args.limit:
        hits = hits[: args.limit]
        print(
            f"callsheet: the first {args.limit:,} matches; more match (--limit N shows more).",
            file=sys.stderr,
        )
    for hit in hits:
        record = {
            "id": str(hit.id),
            "display_name": hit.display_name,
            "company": hit.company,
            "title": hit.title,
            "email": hit.email,
            "phone": hit.phone,
            "city": hit.city,
        }
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(
                "  ".join(
                    str(v)
                    for v in (
                        hit.display_name,
                        hit.company or "",
                        hit.email or "",
                        hit.phone or "",
                        hit.city or "",
                    )
                )
            )
    return EXIT_OK


def _agenda(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from db import quick_read
    from db.clock import SystemClock

    now = SystemClock().moment()
    with quick_read.reader(args.data_dir) as conn:
        found = quick_read.agenda(conn, now, args.days, args.overdue, args.limit) if conn else None
    if found is None:  # the book needs opening the whole way (see db.quick_read)
        book = open_book(args.data_dir, create=False)
        try:
            found = book.agenda(now, args.days, overdue_only=args.overdue, limit=args.limit)
        finally:
            book.close()
    if found.total > len(found.rows):
        print(
            f"callsheet: the first {len(found.rows):,} of {found.total:,} follow-ups "
            "(--limit N shows more).",
            file=sys.stderr,
        )
    zone = ZoneInfo(now.zone)
    for row in found.rows:
        due = row.due.astimezone(zone)
        if args.json:
            record = {
                "id": str(row.id),
                "kind": row.kind,
                "regarding": row.regarding,
                "due": due.isoformat(),
                "timing": row.timing,
                "priority": row.priority,
                "recurring": row.recurring,
                "contacts": list(row.contact_names),
                "overdue": row.overdue,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            when = due.strftime("%a %d %b") + (
                "" if row.timing != "timed" else due.strftime(" %H:%M")
            )
            flag = "OVERDUE " if row.overdue else ""
            print(f"{flag}{when}  {row.kind}  {row.regarding}  ({row.contacts or 'no contact'})")
    return EXIT_OK


def _brief(args: argparse.Namespace) -> int:
    from db.errors import NotFoundError
    from desktop.calls.brief import render_text
    from desktop.calls.sheet import build_sheet

    book = open_book(args.data_dir, create=False)
    try:
        hits = book.lookup(args.query, limit=2)
        if not hits:
            raise NotFoundError(f"Nobody matches “{args.query}”.")
        if args.refresh:
            report = _refresh_profiles(book, hits[0].id, args.data_dir)
            print(f"Profiles: {report}.", file=sys.stderr)
        now = book.clock.moment()
        text = render_text(build_sheet(book, hits[0].id, now), now.zone)
    finally:
        book.close()
    print(text, end="")
    if len(hits) > 1:
        print("(more people match; type more of the name to pick another)", file=sys.stderr)
    return EXIT_OK


def _refresh_profiles(book: ContactBook, contact_id: uuid.UUID, data_dir: Path) -> str:
    """Fetch the contact's profiles now, within the user's (or IT's) settings."""
    from desktop.paths import config_dir
    from desktop.settings import apply_source_urls, read_only_settings
    from desktop.social.fetch import Fetcher, RateGate
    from desktop.social.refresh import ProfileRefresher, RefreshPolicy

    settings = read_only_settings(config_dir())
    policy = RefreshPolicy.from_settings(settings)
    if not policy.enabled:
        return "fetching is turned off in the settings; showing what was cached"
    apply_source_urls(settings)  # as the app does: proxies and self-hosted servers
    fetcher = Fetcher(gate=RateGate.kept_in(data_dir))
    try:
        refresher = ProfileRefresher(book, fetcher, data_dir / "avatars", policy)
        summary = refresher.refresh_contact(contact_id, force=True).summary()
    finally:
        fetcher.close()
    if not policy.by_email and book.contact(contact_id).emails:
        summary += (
            "; not looked up by email address (Gravatar): allow it in Preferences "
            "or with social/by_email = yes"
        )
    return summary


def _region() -> str:
    """The region phone numbers without a country code are read in (the locale's)."""
    import locale

    code = (locale.getlocale()[0] or "en_US").split("_")[-1]
    return code.upper() if len(code) == 2 and code.isalpha() else "US"
