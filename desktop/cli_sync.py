"""The sync commands: add and remove accounts, run a sync, show the status and the
conflict log. The app runs the same engine (`desktop.sync.accounts.sync_now`)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from desktop.cli_book import open_book, say_waiting

if TYPE_CHECKING:
    from db.sync_state import AccountRow
    from desktop.contact_book import ContactBook
    from desktop.credentials import CredentialStore

EXIT_OK, EXIT_FAILED, EXIT_OFFLINE, EXIT_PARTLY = 0, 1, 3, 4
EXIT_CODES = """exit codes: 0 synced; 1 failed (the message says why); 3 offline: the server
did not answer, changes wait for the next run; 4 synced, but some records were refused
by the server (listed on stderr)"""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync",
        usage="callsheet sync [--account NAME] [--dry-run] [--password-stdin]\n"
        "       callsheet sync --status [--json]\n"
        "       callsheet sync add URL --user NAME [--password-stdin] [--name NAME] "
        "[--address-book BOOK] [--task-list LIST | --no-tasks]\n"
        "                       [--group GROUP] [--trust-certificate SHA256]\n"
        "       callsheet sync tasks NAME [--list LIST | --off]\n"
        "       callsheet sync remove NAME\n"
        "       callsheet sync conflicts [--json]",
        help="sync with CardDAV/CalDAV servers (every account, or --account NAME)",
        description="Two-way sync of the contacts with each account's address book, and "
        "of the follow-ups, history and notes with its task list.",
        epilog=EXIT_CODES,
    )
    sync.add_argument("--account", metavar="NAME", help="only this account")
    sync.add_argument(
        "--dry-run", action="store_true", help="say what would travel; change nothing"
    )
    sync.add_argument("--status", action="store_true", help="show each account's state and stop")
    sync.add_argument("--json", action="store_true", help="with --status: one JSON object per line")
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin for this run (where no keychain keeps it)",
    )
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add an account: sign in, choose or make the address book and task list",
        description="Sign in to a CardDAV/CalDAV server and add it as a sync account. The "
        "password goes to the system keychain, never to a file.",
    )
    add.add_argument("address", metavar="URL", help="the server's URL, host or your e-mail address")
    add.add_argument("--user", required=True, metavar="NAME", help="the user name on the server")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--name", metavar="NAME", help="what to call the account (default: the host)")
    add.add_argument(
        "--trust-certificate",
        metavar="SHA256",
        help="trust a server whose certificate no authority vouches for (self-signed), "
        "if its SHA-256 fingerprint is this one (the error without it shows it)",
    )
    add.add_argument(
        "--address-book",
        metavar="BOOK",
        help="the address book to sync, by name or URL (made when missing; needed when the "
        "server has several)",
    )
    add.add_argument(
        "--group",
        metavar="GROUP",
        help="carry only this group's members (and their follow-ups, history and notes), as "
        "for a book shared with a team; contacts that arrive from it join the group",
    )
    tasks_choice = add.add_mutually_exclusive_group()
    tasks_choice.add_argument(
        "--task-list",
        metavar="LIST",
        help="the task list for follow-ups, history and notes, by name or URL (made when "
        "missing; default: “Callsheet”, or the only list there is)",
    )
    tasks_choice.add_argument(
        "--no-tasks",
        action="store_true",
        help="keep follow-ups, history and notes on this computer",
    )
    tasks = actions.add_parser(
        "tasks",
        help="choose the task list an account's follow-ups sync with, or stop syncing them",
    )
    tasks.add_argument("name", metavar="NAME", help="the account (see sync --status)")
    tasks_how = tasks.add_mutually_exclusive_group()
    tasks_how.add_argument("--list", metavar="LIST", help="the task list, by name or URL")
    tasks_how.add_argument(
        "--off", action="store_true", help="keep follow-ups, history and notes on this computer"
    )
    tasks.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    remove = actions.add_parser(
        "remove", help="remove an account (the contacts stay in Callsheet and on the server)"
    )
    remove.add_argument("name", metavar="NAME", help="the account (see sync --status)")
    conflicts = actions.add_parser(
        "conflicts", help="list the conflict log: values that lost to the server's"
    )
    conflicts.add_argument("--json", action="store_true", help="one JSON object per line")


def run_sync(args: argparse.Namespace, region: str) -> int:
    from desktop.credentials import CredentialStore

    credentials = CredentialStore()
    book = open_book(args.data_dir, create=args.sync_command == "add")
    try:
        if args.sync_command == "add":
            return _add(book, credentials, args)
        if args.sync_command == "tasks":
            return _tasks(book, credentials, args)
        if args.sync_command == "remove":
            return _remove(book, credentials, args.name)
        if args.sync_command == "conflicts":
            return _conflicts(book, args.json)
        if args.status:
            return _status(book, args.json)
        return _run(book, credentials, args, region)
    finally:
        book.close()


def _add(book: ContactBook, credentials: CredentialStore, args: argparse.Namespace) -> int:
    from desktop.sync.accounts import set_up, what_syncs
    from desktop.sync.certificates import UntrustedCertificate, same_fingerprint
    from desktop.sync.dav import SyncError

    password = _password(args.password_stdin, f"Password for {args.user}: ")
    options = {
        "name": args.name,
        "address_book": args.address_book,
        "task_list": args.task_list,
        "tasks": not args.no_tasks,
        "group": args.group,
    }
    try:
        added = set_up(book, credentials, args.address, args.user, password, **options)
    except UntrustedCertificate as untrusted:
        given = args.trust_certificate
        if not given:
            raise SyncError(
                f"{untrusted} If it is, run again with --trust-certificate {untrusted.fingerprint}"
            ) from None
        if not same_fingerprint(given, untrusted.certificate):
            raise SyncError(
                f"{untrusted.host} shows a certificate whose fingerprint is "
                f"{untrusted.fingerprint}, not the one given: nothing was added."
            ) from None
        options["certificate"] = untrusted.certificate
        added = set_up(book, credentials, args.address, args.user, password, **options)
    print(f"Added the account “{added.name}”: {added.contacts_url}")
    if added.tasks_url:
        print(f"Follow-ups go to the task list {added.tasks_url}")
    print(f"It syncs {what_syncs(added)}.")
    if credentials.in_memory:
        print(
            "callsheet: warning: no keychain on this computer, so the password is not kept: "
            "give it to each run with: callsheet sync --password-stdin",
            file=sys.stderr,
        )
    print("Run `callsheet sync` to sync it now.")
    return EXIT_OK


def _tasks(book: ContactBook, credentials: CredentialStore, args: argparse.Namespace) -> int:
    from desktop.sync.accounts import use_task_list, what_syncs

    account = book.sync_account(args.name)
    if args.off:
        changed = book.set_sync_task_list(account.id, None)
    else:
        password = _password(args.password_stdin, "") if args.password_stdin else None
        changed = use_task_list(book, credentials, account, args.list, password=password)
    print(f"“{changed.name}” now syncs {what_syncs(changed)}.")
    return EXIT_OK


def _remove(book: ContactBook, credentials: CredentialStore, name: str) -> int:
    from desktop.sync.accounts import forget

    account = book.sync_account(name)
    forget(book, credentials, account)
    print(f"Removed the account “{account.name}”. Its contacts stay in Callsheet.")
    return EXIT_OK


def _status(book: ContactBook, as_json: bool) -> int:
    accounts = book.sync_accounts()
    conflicts = book.conflicts()
    for account in accounts:
        state = _state(book, account, sum(c.account == account.name for c in conflicts))
        if as_json:
            print(json.dumps(state, ensure_ascii=False))
            continue
        synced = account.last_synced_at
        when = synced.astimezone().strftime("%Y-%m-%d %H:%M") if synced else "never"
        line = f"{account.name}: {account.contacts_url}"
        line += f" and {account.tasks_url}" if account.tasks_url else ""
        line += f", last synced {when}, "
        line += f"{state['pending']} waiting to be sent"
        if state["conflicts"]:
            line += f", {state['conflicts']} in the conflict log"
        if account.last_error:
            line += f"; last problem: {account.last_error}"
        print(line)
    if not accounts and not as_json:
        print(_NO_ACCOUNT, file=sys.stderr)
    return EXIT_OK


def _state(book: ContactBook, account: AccountRow, conflicts: int) -> dict[str, Any]:
    synced = account.last_synced_at
    return {
        "name": account.name,
        "server": account.server_url,
        "user": account.username,
        "address_book": account.contacts_url,
        "vcard_version": account.vcard_version,
        "group": account.contacts_group,
        "task_list": account.tasks_url,
        "history_syncs": account.history_syncs,
        "last_synced_at": synced.astimezone().isoformat(timespec="seconds") if synced else None,
        "pending": book.sync_pending(account.id),
        "conflicts": conflicts,
        "last_error": account.last_error,
    }


def _conflicts(book: ContactBook, as_json: bool) -> int:
    from desktop.sync.conflicts import describe, label

    for conflict in book.conflicts():
        if as_json:
            print(
                json.dumps(
                    {
                        "id": str(conflict.id),
                        "account": conflict.account,
                        "contact_id": str(conflict.record_id),
                        "contact": conflict.record_name,
                        "record_type": conflict.record_type,
                        "field": conflict.field,
                        "lost": conflict.kept,
                        "kept": conflict.chosen,
                        "detected_at": conflict.detected_at.isoformat(timespec="seconds"),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            when = conflict.detected_at.astimezone().strftime("%Y-%m-%d %H:%M")
            lost = describe(conflict.record_type, conflict.field, conflict.kept)
            kept = describe(conflict.record_type, conflict.field, conflict.chosen)
            who = f"{conflict.record_name}, {label(conflict.record_type, conflict.field)}"
            print(f"{when}  {who}: {lost} lost to {kept} ({conflict.account})")
    return EXIT_OK


def _run(
    book: ContactBook, credentials: CredentialStore, args: argparse.Namespace, region: str
) -> int:
    from desktop.sync.accounts import sync_now
    from desktop.sync.dav import ServerUnreachable, SyncError
    from desktop.sync.engine import STAGE_WORDS

    accounts = [book.sync_account(args.account)] if args.account else book.sync_accounts()
    if not accounts:
        print(_NO_ACCOUNT, file=sys.stderr)
        return EXIT_FAILED
    password = _password(True, "") if args.password_stdin else None
    keep_trashed = _keeps_trashed()
    interactive = sys.stderr.isatty()
    worst = EXIT_OK
    for account in accounts:

        def progress(stage: str, done: int, total: int, name: str = account.name) -> None:
            if interactive and total:
                line = f"\r{name}: {STAGE_WORDS.get(stage, stage)} {done:,} of {total:,}"
                print(line, end="\x1b[K", file=sys.stderr, flush=True)

        try:
            report = sync_now(
                book,
                credentials,
                account,
                region,
                password=password,
                progress=progress,
                dry_run=args.dry_run,
                on_wait=say_waiting,
                keep_trashed=keep_trashed,
            )
        except ServerUnreachable as error:
            _end_progress(interactive)
            waiting = book.sync_pending(account.id, keep_trashed)
            print(
                f"callsheet: {account.name}: offline ({error}); {waiting} "
                "waiting to be sent next time",
                file=sys.stderr,
            )
            worst = _worse(worst, EXIT_OFFLINE)
            continue
        except SyncError as error:
            _end_progress(interactive)
            print(f"callsheet: {account.name}: {error}", file=sys.stderr)
            worst = _worse(worst, EXIT_FAILED)
            continue
        _end_progress(interactive)
        print(report.summary() + ".")
        for problem in report.problems:
            print(f"callsheet: {account.name}: {problem}", file=sys.stderr)
        if report.problems:
            worst = _worse(worst, EXIT_PARTLY)
    return worst


def _keeps_trashed() -> bool:
    from desktop.paths import config_dir
    from desktop.settings import keeps_trashed_on_server, read_only_settings

    return keeps_trashed_on_server(read_only_settings(config_dir()))


def _worse(code: int, other: int) -> int:
    severity = (EXIT_OK, EXIT_PARTLY, EXIT_OFFLINE, EXIT_FAILED)
    return max(code, other, key=severity.index)


def _end_progress(interactive: bool) -> None:
    if interactive:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)


def _password(from_stdin: bool, prompt: str) -> str:
    from db.errors import ValidationError

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(prompt)
    else:
        raise ValidationError(
            {"password": "No terminal to ask for the password: give it with --password-stdin."}
        )
    if not password:
        raise ValidationError({"password": "The password is empty."})
    return password


_NO_ACCOUNT = (
    "callsheet: no sync account yet: add one with callsheet sync add URL --user NAME "
    "(or in Preferences > Sync)"
)
