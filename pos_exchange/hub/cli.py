"""`pos-exchange-hub` command line: database, register tokens, each register's journal as
the hub keeps it, people, the hub's journal, holds, and the server.

Exit codes as `pos-exchange` (pos_exchange/exit_codes.py): 0 ok · 1 refused · 2 usage ·
3 not found · 4 database · 5 configuration · 6 the hub's journal is broken · 10 unexpected.
Errors are one line on stderr: ``error [CODE]: message``.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence

from pos_exchange import __version__, logs
from pos_exchange.domain.errors import PosError, Unavailable
from pos_exchange.exit_codes import (
    EXIT_AUDIT,
    EXIT_INTERNAL,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    exit_code,
)
from pos_exchange.extras import needs
from pos_exchange.hub import anchors, cli_people, cli_shipments, jsonlog, migrate, tokens
from pos_exchange.hub.db import DB_ENV, hub_db_url, open_engine
from pos_exchange.hub.serving import DEFAULT_THREADS, SERVE_ENV, ServeOptions
from pos_exchange.hub.stock import HoldLimits
from pos_exchange.messages import render
from pos_exchange.services.ports import utc_now
from pos_exchange.sqlkit.engine import translate_errors


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db), require_current=False)
    try:
        with translate_errors():
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
            after = migrate.current_revision(engine)
    finally:
        engine.dispose()
    print(f"Hub database schema: {before or 'empty'} → {after}")
    return EXIT_OK


def cmd_token_create(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        token_id, token = tokens.create(engine, args.store, args.register, utc_now(), args.label)
    finally:
        engine.dispose()
    # The token alone on stdout (easy to pipe into the register's keyring); the rest on stderr.
    print(token)
    print(f"Token {token_id} for {args.store.upper()}/{args.register.upper()}: it is shown "
          "only this once; the hub keeps its SHA-256.", file=sys.stderr)
    return EXIT_OK


def cmd_token_revoke(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        who = tokens.revoke(engine, args.token_id, utc_now())
    finally:
        engine.dispose()
    print(f"Token {who.token_id} of {who.store}/{who.register} revoked.")
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace) -> int:
    engine = open_engine(hub_db_url(args.db))
    try:
        rows = tokens.list_tokens(engine, include_revoked=args.all)
    finally:
        engine.dispose()
    for row in rows:
        revoked = f"revoked {row['revoked_at']:%Y-%m-%d}" if row["revoked_at"] else "active"
        print(f"{row['token_id']}  {row['store_id']:<8} {row['register_id']:<8} "
              f"{row['created_at']:%Y-%m-%d %H:%M}  {revoked:<18} {row['label'] or ''}")
    if not rows:
        print("No tokens.")
    return EXIT_OK


def cmd_registers_journal(args: argparse.Namespace) -> int:
    """The register's journal as the hub keeps it (every anchored entry): checked link by
    link; ``--json`` writes the entries, one JSON object a line, to compare with a
    restored register (README, Recovery)."""
    store, register = args.store.upper(), args.register.upper()
    engine = open_engine(hub_db_url(args.db))
    try:
        with translate_errors():
            verdict = anchors.verify_held(engine, store, register)
            entries = anchors.chain(engine, store, register) if args.json else []
    finally:
        engine.dispose()
    for e in entries:  # the fields of /v1/anchors' entries (wire.py JournalEntryIn)
        print(json.dumps({"seq": e.seq, "ts": e.ts, "store": e.store, "register": e.register,
                          "user": e.user, "event": e.event, "exchange": e.exchange_uuid,
                          "payload": e.payload, "prev_hash": e.prev_hash, "hash": e.hash},
                         ensure_ascii=False, sort_keys=True))
    if not verdict.entries:
        print(f"The hub keeps no journal of {store}/{register}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    if not verdict.ok:
        print(f"JOURNAL OF {store}/{register} BROKEN at entry {verdict.first_broken_seq}: "
              f"{verdict.reason}.", file=sys.stderr)
        return EXIT_AUDIT
    head = verdict.head
    assert head is not None
    print(f"Journal of {store}/{register} at the hub: {verdict.entries} entries, intact, "
          f"head {head.seq}:{head.hash}.", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def cmd_catalogue_load_demo(args: argparse.Namespace) -> int:
    from pos_exchange.demo.data import demo_items
    from pos_exchange.hub import catalogue, stock

    now = utc_now()
    items = demo_items(now.date())
    engine = open_engine(hub_db_url(args.db))
    try:
        with translate_errors():
            changed = catalogue.upsert_items(engine, items, now)
            catalogue.load_price_history(engine, [(item.sku, day, price) for item in items
                                                  for day, price in item.price_history])
            levels = stock.set_stock(engine, args.store.upper(),
                                     {item.sku: item.stock for item in items}, now)
            warehouse = cli_shipments.load_demo_locations(engine, [i.sku for i in items], now)
    finally:
        engine.dispose()
    print(f"Demo catalogue: {len(items)} items, {changed} new or changed; "
          f"stock of {args.store.upper()}: {levels} rows set; "
          f"demo warehouse W1: {warehouse} rows set.")
    return EXIT_OK


def cmd_sales_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pos_exchange.hub import sales_import

    engine = open_engine(hub_db_url(args.db))
    try:
        with translate_errors():
            counts = sales_import.import_file(engine, Path(args.file), utc_now())
    except sales_import.ImportRefused as exc:
        for line, reason in exc.params.get("errors", [])[:200]:
            print(f"{args.file}:{line}: {reason}", file=sys.stderr)
        raise
    finally:
        engine.dispose()
    print(f"Imported {args.file}: {counts['sales']} sales ({counts['created']} new, "
          f"{counts['updated']} updated, {counts['unchanged']} unchanged"
          + (f", {counts['stale']} older than the hub's copy" if counts["stale"] else "")
          + ").")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    with needs("hub", "hub_server"):  # only the server needs pos-exchange[hub]
        import uvicorn

        from pos_exchange.hub import api  # noqa: F401  (fail here if FastAPI is missing)

    options = ServeOptions(db=args.db, threads=args.threads,
                           max_ttl_s=args.hold_max_minutes * 60,
                           max_hold_qty=args.hold_max_qty, max_sku_qty=args.hold_max_sku_qty)
    HoldLimits(options.max_ttl_s, options.max_hold_qty, options.max_sku_qty)  # refuse early
    jsonlog.configure()
    # Checked here, once, for a sentence instead of a worker's traceback.
    open_engine(hub_db_url(args.db)).dispose()
    if not _loopback(args.host):
        jsonlog.log_event("serve.exposed", 30, host=args.host, status="warning",
                          message="bearer tokens travel in clear: put TLS in front of the hub")
    os.environ[SERVE_ENV] = options.to_env()  # what each worker process builds its app from
    jsonlog.log_event("serve.started", host=args.host, port=args.port, workers=args.workers,
                      threads=args.threads)
    try:
        uvicorn.run("pos_exchange.hub.serving:app_from_env", factory=True,
                    workers=args.workers, host=args.host, port=args.port,
                    log_config=None, access_log=False, server_header=False)
    except SystemExit as exc:  # uvicorn could not bind (it logged why): a sentence, exit 1
        if exc.code:
            raise Unavailable("SERVE_FAILED", host=args.host, port=args.port) from None
    return EXIT_OK


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos-exchange-hub",
        description="Central hub of the pos-exchange registers.",
        epilog="Exit codes: 0 ok, 1 refused, 2 usage, 3 not found, 4 database, "
               "6 hub journal broken.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="URL|PATH",
                        help=f"hub database: SQLAlchemy URL or SQLite file (default: ${DB_ENV}, "
                             "else hub.sqlite3 in the user data dir)")
    parser.set_defaults(func=lambda a: _help(parser))
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    db = sub.add_parser("db", help="the hub database")
    db.set_defaults(func=lambda a: _help(db))
    dbs = db.add_subparsers(metavar="ACTION")
    dbs.add_parser("upgrade", help="create the schema or apply pending migrations") \
        .set_defaults(func=cmd_db_upgrade)

    token = sub.add_parser("token", help="register tokens")
    token.set_defaults(func=lambda a: _help(token))
    ts = token.add_subparsers(metavar="ACTION")
    p = ts.add_parser("create", help="issue a token for one register (printed once)")
    p.add_argument("--store", required=True)
    p.add_argument("--register", required=True)
    p.add_argument("--label", help="a note, e.g. where the register stands")
    p.set_defaults(func=cmd_token_create)
    p = ts.add_parser("revoke", help="revoke a token by its id (from `token list`)")
    p.add_argument("token_id")
    p.set_defaults(func=cmd_token_revoke)
    p = ts.add_parser("list", help="tokens by store and register (never the secret)")
    p.add_argument("--all", action="store_true", help="include revoked tokens")
    p.set_defaults(func=cmd_token_list)

    cat = sub.add_parser("catalogue", help="the central catalogue and stock")
    cat.set_defaults(func=lambda a: _help(cat))
    cs = cat.add_subparsers(metavar="ACTION")
    p = cs.add_parser("load-demo", help="load the demo catalogue, and demo stock for a store")
    p.add_argument("--store", default="S001", help="store that gets the demo stock (S001)")
    p.set_defaults(func=cmd_catalogue_load_demo)

    sales = sub.add_parser("sales", help="the sales index (original orders)")
    sales.set_defaults(func=lambda a: _help(sales))
    ss = sales.add_subparsers(metavar="ACTION")
    p = ss.add_parser("import", help="import sales from FILE.csv or FILE.jsonl: every row "
                                     "is checked first, then all are stored or none")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_sales_import)
    regs = sub.add_parser("registers", help="what the hub keeps of each register")
    regs.set_defaults(func=lambda a: _help(regs))
    rs = regs.add_subparsers(metavar="ACTION")
    p = rs.add_parser("journal", help="check a register's journal as the hub keeps it "
                                      "(--json: write its entries)")
    p.add_argument("--store", required=True)
    p.add_argument("--register", required=True)
    p.add_argument("--json", action="store_true",
                   help="every entry as one JSON line on stdout (for a recovery)")
    p.set_defaults(func=cmd_registers_journal)

    cli_people.add_parsers(sub, _help)
    cli_shipments.add_parsers(sub, _help)

    p = sub.add_parser("serve", help="run the HTTP API (uvicorn)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; elsewhere only behind TLS)")
    p.add_argument("--port", type=_port, default=8765, help="TCP port (default 8765)")
    p.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="server processes (default 1); more than one pays off on PostgreSQL")
    p.add_argument("--threads", type=_positive, default=DEFAULT_THREADS, metavar="N",
                   help="requests each process runs at once, with one database connection "
                        "each (default %(default)s)")
    defaults = HoldLimits()
    p.add_argument("--hold-max-minutes", type=_positive, default=defaults.max_ttl_s // 60,
                   metavar="N", help="longest stock hold (default %(default)s)")
    p.add_argument("--hold-max-qty", type=_positive, default=defaults.max_hold_qty,
                   metavar="N", help="most units in one hold (default %(default)s)")
    p.add_argument("--hold-max-sku-qty", type=_positive, default=defaults.max_sku_qty,
                   metavar="N", help="most units of one item a register holds at once, "
                                     "across its holds (default %(default)s)")
    p.set_defaults(func=cmd_serve)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or len(text) > 5 or not 0 <= int(text) <= 65_535:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a TCP port (0 to 65535)")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 100000")
    return int(text)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PosError as exc:
        print(f"error [{exc.code}]: {render(exc)}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe: the rest is not wanted, no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        try:
            path: object = logs.configure()
            logging.getLogger("pos_exchange.hubcli").exception("%s failed", func.__name__)
        except OSError:  # no log file either: the error's name at least
            path = f"no log ({logs.log_path()} is not writable; {type(exc).__name__})"
        jsonlog.log_event("cli.failed", 40, command=func.__name__, error=type(exc).__name__,
                          log=str(path))
        print(f"error [INTERNAL]: {render('INTERNAL_ERROR', {'log': str(path)})}",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
