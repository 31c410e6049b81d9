"""`pos-exchange-hub users …`, `audit …` and `holds …`: people, the hub's journal, and
the holds that never became an exchange.

Passwords come from a hidden prompt (asked twice) or, for scripts, the first line of
stdin with ``--password-stdin``; never from the command line, where ``ps`` and the shell
history would show them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_exchange.domain.errors import BadInput, Refused
from pos_exchange.domain.journal import Anchor
from pos_exchange.exit_codes import EXIT_AUDIT, EXIT_OK
from pos_exchange.hub import holds, journal, people
from pos_exchange.hub.db import hub_db_url, open_engine
from pos_exchange.services.ports import utc_now


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise Refused("PASSWORD_REQUIRED")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise Refused("PASSWORD_MISMATCH")
    return first


def _local(moment: datetime | None) -> str:
    """A time for a person: the machine's local time, with its zone."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def cmd_users_add(args: argparse.Namespace) -> int:
    people.check_user_id(args.user_id)          # before asking for a password
    password = _read_password(args)
    engine = open_engine(hub_db_url(args.db))
    try:
        person = people.add(engine, args.user_id, args.name, args.role, args.store, password,
                            utc_now())
    finally:
        engine.dispose()
    where = f" of store {person.store}" if person.store else ""
    print(f"Account {person.user_id} ({person.name}, {person.role}{where}) added.")
    return EXIT_OK


def cmd_users_passwd(args: argparse.Namespace) -> int:
    password = _read_password(args)
    engine = open_engine(hub_db_url(args.db))
    try:
        person = people.set_password(engine, args.user_id, password, utc_now())
    finally:
        engine.dispose()
    print(f"New password set for {person.user_id}; its sessions were ended and the account "
          "unlocked.")
    return EXIT_OK


def cmd_users_disable(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        person = people.disable(engine, args.user_id, utc_now())
    finally:
        engine.dispose()
    print(f"Account {person.user_id} disabled; its sessions were ended.")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        rows = people.list_users(engine)
    finally:
        engine.dispose()
    now = utc_now()
    for row in rows:
        state = ("disabled" if not row["active"] else
                 f"locked until {_local(row['locked_until'])}"
                 if row["locked_until"] and row["locked_until"] > now else "active")
        print(f"{row['user_id']:<16} {row['role']:<14} {row['store_id'] or '*':<8} "
              f"{state:<28} {row['name']}")
    if not rows:
        print("No accounts.")
    return EXIT_OK


def _anchor(text: str) -> Anchor:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef"
                                                     for c in digest.lower()):
        raise BadInput("INVALID_ANCHOR", anchor=text[:80])
    return Anchor(int(seq), digest.lower())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    anchors = [_anchor(text) for text in args.anchor or []]
    engine = open_engine(hub_db_url(args.db))
    try:
        verdict = journal.check(engine, anchors)
    finally:
        engine.dispose()
    head = verdict.head
    if args.json:
        print(json.dumps({"ok": verdict.ok, "entries": verdict.entries,
                          "first_broken_seq": verdict.first_broken_seq,
                          "reason": verdict.reason,
                          "head": head.__dict__ if head else None}))
    elif verdict.ok:
        print(f"Hub journal intact: {verdict.entries} entries"
              + (f", head {head.seq}:{head.hash}" if head else "") + ".")
    else:
        print(f"HUB JOURNAL BROKEN at entry {verdict.first_broken_seq}: {verdict.reason}.",
              file=sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_AUDIT


def cmd_audit_head(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        verdict = journal.check(engine)
    finally:
        engine.dispose()
    if not verdict.ok:
        print(f"HUB JOURNAL BROKEN at entry {verdict.first_broken_seq}: {verdict.reason}.",
              file=sys.stderr)
        return EXIT_AUDIT
    print(f"{verdict.head.seq}:{verdict.head.hash}" if verdict.head else "0:" + "0" * 64)
    return EXIT_OK


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:      # a person's date or time: their local time
            moment = moment.astimezone()
        return holds.as_utc(moment.astimezone(UTC), "--since")
    except (ValueError, OverflowError):
        raise BadInput("INVALID_SINCE", since=text[:40]) from None


def cmd_holds_orphaned(args: argparse.Namespace) -> int:
    since = _since(args.since)
    store = args.store.upper() if args.store else None
    engine = open_engine(hub_db_url(args.db))
    try:
        rows = holds.orphaned(engine, utc_now(), since, store)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(rows, indent=1))
        return EXIT_OK
    for row in rows:
        print(_line(row))
    units = sum(row["qty"] for row in rows)
    print(f"{len({r['reservation_id'] for r in rows})} holds never became an exchange "
          f"({units} units)." if rows else "No orphaned holds.")
    return EXIT_OK


def _line(row: dict[str, Any]) -> str:
    def when(iso: str) -> str:
        return _local(datetime.strptime(iso, holds.ISO).replace(tzinfo=UTC))

    return (f"{row['store']:<8} {row['register']:<8} {row['sku']:<24} {row['qty']:>4}  "
            f"held {when(row['held_at'])}  expires {when(row['expires_at'])}  "
            f"{row['ended']} {when(row['ended_at'])}  {row['exchange_uuid']}")


def add_parsers(sub: Any, helper: Any) -> None:
    """Add `users`, `audit` and `holds` to the hub's parser (``helper(p)`` prints help)."""
    users = sub.add_parser("users", help="people at the hub: head office, store managers")
    users.set_defaults(func=lambda a: helper(users))
    us = users.add_subparsers(metavar="ACTION")
    p = us.add_parser("add", help="add an account; asks for its password twice")
    p.add_argument("user_id", metavar="ID")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=people.ROLES)
    p.add_argument("--store", help="the store a store manager manages (required for them)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_users_add)
    p = us.add_parser("passwd", help="set a new password (unlocks, ends its sessions)")
    p.add_argument("user_id", metavar="ID")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_users_passwd)
    p = us.add_parser("list", help="accounts, roles, stores and state (never a password)")
    p.set_defaults(func=cmd_users_list)
    p = us.add_parser("disable", help="stop an account from signing in; ends its sessions")
    p.add_argument("user_id", metavar="ID")
    p.set_defaults(func=cmd_users_disable)

    audit = sub.add_parser("audit", help="the hub's own journal (resolutions, people)")
    audit.set_defaults(func=lambda a: helper(audit))
    aus = audit.add_subparsers(metavar="ACTION")
    p = aus.add_parser("verify", help="verify the hash chain; names the first broken entry")
    p.add_argument("--anchor", action="append", metavar="SEQ:HASH",
                   help="a head written down earlier (repeatable)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_verify)
    p = aus.add_parser("head", help="print the latest SEQ:HASH, to write down elsewhere")
    p.set_defaults(func=cmd_audit_head)

    hold = sub.add_parser("holds", help="stock holds")
    hold.set_defaults(func=lambda a: helper(hold))
    hs = hold.add_subparsers(metavar="ACTION")
    p = hs.add_parser("orphaned", help="holds that expired or were released with no "
                                       "exchange behind them")
    p.add_argument("--since", metavar="DATE|TIME",
                   help="holds made at or after this local date or time")
    p.add_argument("--store", help="one store only")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holds_orphaned)
