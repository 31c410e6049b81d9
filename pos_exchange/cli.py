"""`pos-exchange` command line: database, audit, exchanges and staff.

Exit codes (also in README): 0 ok · 1 refused by a business rule · 2 usage error ·
3 not found · 4 database problem · 5 configuration problem · 6 audit chain broken.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_exchange import __version__, logs
from pos_exchange.bootstrap import App, init_db, open_app, upgrade_db
from pos_exchange.config import default_db_path, load_settings
from pos_exchange.domain import params
from pos_exchange.domain.errors import (
    BadInput,
    NotFound,
    PosError,
    Refused,
    Unavailable,
)
from pos_exchange.domain.journal import Anchor, Verdict
from pos_exchange.domain.money import to_minor
from pos_exchange.exit_codes import (
    EXIT_AUDIT,
    EXIT_INTERNAL,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_STORAGE,
    EXIT_USAGE,
    exit_code,
)
from pos_exchange.extras import needs
from pos_exchange.messages import Renderer, format_money
from pos_exchange.sqlkit.engine import integrity_problems

# Only what every command needs is imported at start (issue 15: the window's cold start);
# the rest where a command uses it.
if TYPE_CHECKING:
    from pos_exchange.services.day_close import CashCount, ZReport
    from pos_exchange.services.deep_verify import DeepVerdict
    from pos_exchange.services.metrics import Period
    from pos_exchange.services.record import ExchangeRecord
    from pos_exchange.services.sync import SyncStatus

MAX_LIST = 10_000


def demo_db_path() -> Path:
    return default_db_path().with_name("demo.sqlite3")


def _db(args: argparse.Namespace) -> str | None:
    if args.db:
        return str(args.db)
    return str(demo_db_path()) if args.demo else None


def _reader(app: App | None = None) -> Renderer:
    """Sentences in the store's language: the open app's, else the configured one; English
    if the configuration itself is broken."""
    if app is not None:
        return Renderer(app.settings.locale, app.runtime.tz)
    try:
        settings = load_settings()
        return Renderer(settings.locale, settings.tz())
    except PosError:
        return Renderer()


def _create_demo_if_missing(args: argparse.Namespace) -> None:
    if args.demo and not args.db and not demo_db_path().exists():
        init_db(str(demo_db_path()), demo=True)
        print(_reader().gettext("Created the demo store database at {path}").format(
            path=demo_db_path()), file=sys.stderr)


def _open(args: argparse.Namespace, *, startup_check: bool = True,
          check_books: bool = True) -> App:
    _create_demo_if_missing(args)
    return open_app(_db(args), startup_check=startup_check, check_books=check_books)


def _read_pin(args: argparse.Namespace, prompt: str) -> str:
    """PINs come from a hidden prompt or stdin, never argv (it shows in `ps` and history)."""
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise Refused("PIN_REQUIRED")
    first = getpass.getpass(prompt)
    if getpass.getpass(_reader().gettext("Repeat the PIN: ")) != first:
        raise BadInput("PIN_MISMATCH")
    return first


# ---------------------------------------------------------------------- commands
def cmd_gui(args: argparse.Namespace) -> int:
    """The counter window. Qt is imported only here, so every other command runs on a
    machine without a display or Qt libraries."""
    try:
        with needs("counter", "window"):  # PySide6: pos-exchange[counter]
            from pos_exchange.gui import app as gui
    except ImportError as exc:   # Qt is there but a system library is not (libEGL, …)
        raise Unavailable("GUI_UNAVAILABLE", detail=str(exc)) from None
    if not args.demo and not args.db and gui.demo_is_default(args.db):
        args.demo = True
        print(_reader().gettext("Nothing is configured yet: opening the demo store."),
              file=sys.stderr)
    _create_demo_if_missing(args)
    return gui.run(_db(args), args.demo)


def cmd_status(args: argparse.Namespace) -> int:
    """Never a wrong figure with exit 0: a damaged file shows no figures (exit 4); the
    chain and the recent exchanges against their journal are checked first (exit 6)."""
    app = _open(args, startup_check=False)
    try:
        say = Renderer(app.settings.locale, app.runtime.tz)
        _ = say.gettext
        print(_("pos-exchange {version} · store {store} · register {register} · "
                "{currency}").format(version=__version__, store=app.settings.store_id,
                                     register=app.settings.register_id,
                                     currency=app.settings.currency))
        print(_("Database: {url}").format(
            url=app.engine.url.render_as_string(hide_password=True)))
        problems = integrity_problems(app.engine)
        if problems:
            print(_("DATABASE FILE DAMAGED ({problem}): no figures are shown and no money "
                    "can be taken. Run `pos-exchange audit verify` and see README, "
                    "Recovery.").format(problem=problems[0][:120]), file=sys.stderr)
            return EXIT_STORAGE
        verdict = app.audit.verify()
        deep = app.audit.verify_deep(bounded=True)
        open_ex = app.exchanges.open_exchanges()
        flagged = app.exchanges.flagged()
    finally:
        app.close()
    print(_("Audit trail: {state} ({entries} entries)").format(
        state=_("intact") if verdict.ok else _("BROKEN"), entries=verdict.entries))
    if deep.ok:
        print(_("Recent exchanges against their journal: agree ({count} checked)").format(
            count=deep.exchanges))
    else:
        print(_("Recent exchanges against their journal: DIFFER in {count} places "
                "(pos-exchange audit verify --deep); the figures below are not to be "
                "trusted").format(count=len(deep.differences)))
        for difference in deep.differences[:5]:
            print(f"  {say(difference.code, difference.params)}", file=sys.stderr)
    print(_("Unfinished exchanges: {count}").format(count=len(open_ex)))
    for row in open_ex[:10]:
        print(f"  {row.number}  {row.state:<17} {row.created_by}")
    _print_flagged(flagged, _)
    return EXIT_OK if verdict.ok and deep.ok else EXIT_AUDIT


def cmd_db_init(args: argparse.Namespace) -> int:
    counts = init_db(_db(args), demo=args.with_demo)
    target = _db(args) or load_settings().db_url()
    _ = _reader().gettext
    print(_("Database ready: {target}").format(target=target))
    if counts:
        print(_("Demo store loaded: {items} items, {users} staff, {customers} customers, "
                "{sales} sales.").format(**counts))
        print(_("Demo staff: csr1 (PIN 1111), csr2 (PIN 2222), manager mgr1 (PIN 9999)."))
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    before, after = upgrade_db(_db(args))
    _ = _reader().gettext
    print(_("Database schema: {before} → {after}").format(before=before or _("empty"),
                                                           after=after))
    return EXIT_OK


def _anchor_arg(text: str) -> Anchor:
    from pos_exchange.services.record import INT32

    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(seq) > 10 or int(seq) > INT32 or \
            not re.fullmatch(r"[0-9a-fA-F]{64}", digest):
        raise BadInput("INVALID_ANCHOR", anchor=text[:80])
    return Anchor(int(seq), digest.lower())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """The file (integrity_check), the chain against every anchor (the hub's latest one
    too, when a hub is configured), and with --deep the tables against the journal.
    The chain is re-hashed from the last point `--full` found intact (``--full``, and
    ``--deep`` which checks everything, re-hash it all and keep a new point)."""
    anchors = [_anchor_arg(text) for text in args.anchor or []]
    full = args.full or args.deep
    app = _open(args, startup_check=False)
    try:
        problems = integrity_problems(app.engine, full=True)
        hub_anchor, hub_problem = None, ""
        if app.settings.hub_url and not args.local:
            try:
                verdict, hub_anchor = app.audit.verify_against(app.sync().hub, anchors,
                                                               full=full)
            except PosError as exc:  # unreachable, token refused: say so, check locally
                hub_problem = _reader()(exc)
                verdict = app.audit.verify(anchors, full=full)
        else:
            verdict = app.audit.verify(anchors, full=full)
        local = app.audit.last_anchor("hub")
        deep = app.audit.verify_deep() if args.deep else None
        say = Renderer(app.settings.locale, app.runtime.tz)
    finally:
        app.close()
    checked = _checked_against(app.settings.hub_url, args.local, hub_anchor, hub_problem,
                               local, anchors, say.gettext)
    if args.json:
        result: dict[str, object] = {
            "ok": verdict.ok, "entries": verdict.entries,
            "first_broken_seq": verdict.first_broken_seq, "reason": verdict.reason,
            "head": verdict.head.__dict__ if verdict.head else None}
        if verdict.checked_from:  # re-hashed after this point only (not --full)
            result["checked_from"] = verdict.checked_from
        if problems:
            result["integrity"] = problems
        if app.settings.hub_url and not args.local:
            result["hub_anchor"] = hub_anchor.__dict__ if hub_anchor else None
            result["hub_problem"] = hub_problem or None
        if deep is not None:
            result["deep"] = {"ok": deep.ok, "exchanges": deep.exchanges,
                              "entries": deep.entries,
                              "differences": [d.as_json() for d in deep.differences]}
        print(json.dumps(result))
    else:
        _print_verify(verdict, problems, checked, deep, say)
    if problems:
        return EXIT_STORAGE
    if not verdict.ok or (deep is not None and not deep.ok):
        return EXIT_AUDIT
    return EXIT_REFUSED if hub_problem else EXIT_OK


def _checked_against(hub_url: str, local_only: bool, hub_anchor: Anchor | None,
                     hub_problem: str, local: Anchor | None, given: list[Anchor],
                     _: Callable[[str], str] = str) -> str:
    """Which anchor the chain was checked against, in words (``_``: the reader's
    language)."""
    parts = [_("the anchor {seq}:{hash} given").format(seq=a.seq, hash=a.hash)
             for a in given]
    if hub_url and not local_only and not hub_problem:
        parts.append(_("the hub's latest anchor {seq}:{hash}").format(
            seq=hub_anchor.seq, hash=hub_anchor.hash) if hub_anchor
            else _("the hub (it holds no anchor of this register yet)"))
    if local is not None:
        parts.append(_("the local copy of the hub's anchor {seq}").format(seq=local.seq))
    text = _("Checked against {anchors}.").format(anchors=", ".join(parts)) if parts else \
        _("Checked against no anchor: nothing outside this file vouches for its head.")
    if hub_problem:
        text += " " + _("NOT checked against the hub: {problem}").format(problem=hub_problem)
    elif not hub_url:
        text += " " + _("No hub is configured (hub_url).")
    return text


def _print_verify(verdict: Verdict, problems: list[str], checked: str,
                  deep: DeepVerdict | None, say: Renderer) -> None:
    _ = say.gettext
    for problem in problems[:10]:
        print(_("DATABASE FILE DAMAGED: {problem}").format(problem=problem), file=sys.stderr)
    if problems:
        print(_("No money can be taken on this file: restore it (README, Recovery)."),
              file=sys.stderr)
    if verdict.ok:
        head = verdict.head
        print(_("Audit trail intact: {entries} entries, head {seq}:{hash}.").format(
            entries=verdict.entries, seq=head.seq, hash=head.hash) if head else
            _("Audit trail intact: {entries} entries.").format(entries=verdict.entries))
        if verdict.checked_from:
            print(_("Re-hashed the entries after {seq}, the last point `audit verify --full` "
                    "found intact; those up to it were counted and their links and anchors "
                    "compared (`--full` re-hashes every entry).").format(
                        seq=verdict.checked_from))
        print(checked)
    else:
        print(_("AUDIT TRAIL BROKEN at entry {seq}: {reason}.").format(
            seq=verdict.first_broken_seq, reason=verdict.reason), file=sys.stderr)
        print(checked, file=sys.stderr)
    if deep is None:
        return
    if deep.ok:
        print(_("Deep check: {exchanges} exchanges replayed from {entries} journal entries; "
                "the tables agree with the journal.").format(exchanges=deep.exchanges,
                                                              entries=deep.entries))
        return
    print(_("DEEP CHECK: {count} differences between the tables and the journal "
            "({exchanges} exchanges replayed):").format(count=len(deep.differences),
                                                        exchanges=deep.exchanges),
          file=sys.stderr)
    for difference in deep.differences:
        print(f"  {say(difference.code, difference.params)}", file=sys.stderr)


def cmd_audit_head(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        head = app.audit.head()
    finally:
        app.close()
    print(f"{head.seq}:{head.hash}")
    return EXIT_OK


def cmd_exchange_show(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        try:
            record = app.exchanges.record(args.key)
        except NotFound as exc:
            raise _maybe_a_sale(app, args.key, exc) from None
        say = Renderer(app.settings.locale, app.runtime.tz)
        names = app.users.names()
    finally:
        app.close()
    if args.json:
        print(json.dumps(record.as_json(), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(render_record(record, say, names))
    return EXIT_OK


def _maybe_a_sale(app: App, key: str, exc: NotFound) -> NotFound:
    """`exchange show S001-000001`: say it is a sale number, not just "no such exchange"."""
    try:
        sale = app.exchanges.find_sale(key)
    except PosError:
        return exc
    return NotFound("UNKNOWN_EXCHANGE", variant="is_sale", key=key, sale=sale.order_number)


def _local(say: Renderer, stamp: str | None) -> str:
    """An ISO timestamp in the store's time zone, to the minute."""
    if not stamp:
        return "-"
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return say.value("at", moment)


def render_record(record: ExchangeRecord, say: Renderer, names: dict[str, str]) -> str:
    _ = say.gettext
    cur = record.currency

    def m(minor: int) -> str:
        return format_money(minor, cur, say.locale)

    def who(user_id: str | None) -> str:
        return names.get(user_id or "", user_id or "-")

    val = record.valuation
    out = [f"{record.number}  ({record.uuid})",
           _("State {state} · {kind} exchange · by {user} at {at}").format(
               state=say.value("state", str(record.state)), kind=_(record.kind),
               user=who(record.created_by), at=_local(say, record.created_at)),
           _("Original sale: {sale} · customer: {customer}").format(
               sale=record.original_sale or _("none (no receipt)"),
               customer=record.customer or "-")]
    if record.stock_unconfirmed:
        out.append(_("Stock: UNCONFIRMED (decided offline on the local snapshot)"))
    out.append("\n" + _("Returned:"))
    for r in record.returned:
        restock = ", " + _("restock") if r.restock else ""
        out.append(f"  {r.qty:>3} × {r.name:<40} {m(r.credit):>12}  ({_(r.condition)}{restock})")
    out.append(_("Requested:"))
    for q in record.requested:
        out.append(f"  {q.qty:>3} × {q.name:<40} {m(q.total):>12}  "
                   + _("(tax {amount})").format(amount=m(q.tax)))
    gap = val.gap
    headline = (_("Customer pays {amount}").format(amount=m(gap)) if gap > 0 else
                _("Even exchange") if gap == 0 else
                _("Refund {amount}").format(amount=m(-gap)))
    out += ["", f"{_('Returned credit')} {m(val.returned_credit):>14}",
            f"{_('New items total')} {m(val.new_total):>14}  "
            + _("(tax {amount})").format(amount=m(val.new_tax)), headline]
    for f in record.findings:
        text = f.message if f.message and not f.params else say(f.code, params.from_json(
            f.params))
        out.append(f"  [{_(f.severity)}] {f.code}: {text}")
    if record.approval:
        a = record.approval
        out.append(_("Approved by {who}: {reason}").format(who=who(a.approver), reason=a.reason)
                   + ("" if a.valid else " " + _("(VOID: the basket changed since)")))
    if record.tenders:
        out.append("\n" + _("Tenders:"))
        for t in record.tenders:
            card = f" {t.brand or ''} •••• {t.last4}" if t.last4 else ""
            extra = (", " + _("tendered {tendered}, change {change}").format(
                tendered=m(t.tendered), change=m(t.change))) if t.tendered is not None else ""
            rounding = (", " + _("rounding {amount}").format(amount=m(t.rounding))
                        if t.rounding else "")
            out.append(f"  {_(t.kind):<8} {_(t.method)}{card} {m(t.amount)}"
                       f" [{_(t.status)}]{extra}{rounding}")
    links = {k: v for k, v in record.links.items() if v}
    if links:
        out.append("\n" + _("Links:") + " " + ", ".join(f"{k}={v}" for k, v in links.items()))
    out.append("\n" + _("Audit trail:"))
    for e in record.audit:
        out.append(f"  #{e.seq:<5} {_local(say, e.ts)}  {e.user:<8} {e.event}")
    return "\n".join(out)


def cmd_exchange_list(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        rows = (app.exchanges.open_exchanges() if args.open else
                app.exchanges.recent(limit=args.limit))
        say = Renderer(app.settings.locale, app.runtime.tz)
    finally:
        app.close()
    _ = say.gettext
    if not rows:
        print(_("No exchanges."))
        return EXIT_OK
    header = (_("Number"), _("When"), _("State"), _("Amount"), _("Served by"), _("Customer"))
    table = [header] + [(
        row.number, say.value("at", row.created_at), say.value("state", row.state),
        _signed_amount(row.gap_minor, row.currency, say),
        row.created_by_name or row.created_by, row.customer_name or row.customer_id or "")
        for row in rows]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(str(cell).ljust(width) if i != 3 else str(cell).rjust(width)
                        for i, (cell, width) in enumerate(zip(line, widths, strict=True))))
    return EXIT_OK


def _signed_amount(gap_minor: int, currency: str, say: Renderer) -> str:
    """What the customer paid (+) or got back (−) on this exchange."""
    text = format_money(abs(gap_minor), currency, say.locale)
    return f"+{text}" if gap_minor > 0 else f"−{text}" if gap_minor < 0 else text


def cmd_pay_card(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        ex = app.exchanges.get(args.key)
        payments = app.payments
        say = _reader(app)
        _ = say.gettext
        print(_("Present the card on the reader ({reader}) for {number}…").format(
            reader=payments.terminal.name, number=ex.number), file=sys.stderr)
        attempt = payments.pay(args.key, args.user, args.amount, timeout_s=args.timeout,
                               test_card=args.test_card)
        currency = ex.currency
    finally:
        app.close()
    if attempt.status == "succeeded":
        print(_("Card payment of {amount} approved: {brand} •••• {last4} ({intent}).").format(
            amount=format_money(attempt.amount_minor, currency, say.locale),
            brand=(attempt.card_brand or _("card")).title(), last4=attempt.card_last4,
            intent=attempt.intent_id))
        return EXIT_OK
    reason = say(attempt.reason, {"variant": attempt.decline_code}) if attempt.reason else ""
    print(_("Card payment {status}: {reason}").format(
        status=say.value("payment_status", str(attempt.status)), reason=reason),
        file=sys.stderr)
    return EXIT_REFUSED


def cmd_payments_recover(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        done = app.payments.recover()
        say = _reader(app)
    finally:
        app.close()
    for attempt in done:
        print(f"{attempt.attempt_id}  {attempt.intent_id or '-':<30} "
              f"{say.value('payment_status', str(attempt.status))}")
    print(say.gettext("{count} open card payment(s) checked.").format(count=len(done)))
    return EXIT_OK if all(not a.is_open for a in done) else EXIT_REFUSED


def cmd_refunds_run(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        results = app.payments.execute_pending_refunds(args.user)
        failed = app.payments.failed_refunds()
        say, currency = _reader(app), app.settings.currency
    finally:
        app.close()
    _ = say.gettext
    for r in results:
        hint = ("  " + _("(Interac: `pos-exchange refunds in-person {tender}` with the "
                         "customer's card)").format(tender=r["tender"])
                if r["status"] == "needs_customer" else "")
        print(_refund_line(say, currency, r) + hint)
    print(_("{count} queued card refund(s) processed.").format(count=len(results)))
    for r in failed:
        print(_("REFUSED {tender}  {amount}  {error}: settle it another way (manager).").format(
            tender=r["tender"], amount=format_money(r["amount_minor"], currency, say.locale),
            error=r["last_error"]), file=sys.stderr)
    return EXIT_OK if all(r["status"] == "succeeded" for r in results) else EXIT_REFUSED


def cmd_refunds_in_person(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        say, currency = _reader(app), app.settings.currency
        print(say.gettext("Ask the customer to present the card on the reader…"),
              file=sys.stderr)
        result = app.payments.refund_in_person(args.tender, args.user, timeout_s=args.timeout,
                                               test_card=args.test_card)
    finally:
        app.close()
    print(_refund_line(say, currency, result))
    return EXIT_OK if result["status"] == "succeeded" else EXIT_REFUSED


def _refund_line(say: Renderer, currency: str, result: dict[str, Any]) -> str:
    amount = format_money(result["amount"], currency, say.locale)
    return f"{result['tender']}  {amount:>12}  {say.value('refund_status', result['status'])}"


def cmd_terminal_readers(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        readers = app.payments.terminal.readers()
        chosen = app.settings.devices.reader_id
        _ = _reader(app).gettext
    finally:
        app.close()
    for r in readers:
        mark = "*" if r.reader_id == chosen else " "
        print(f"{mark} {r.reader_id:<28} {r.status:<8} {r.device_type:<22} {r.label}")
    if args.test:
        ok = any(r.reader_id == chosen and r.status == "online" for r in readers) or \
            (not chosen and readers and readers[0].status == "online")
        print(_("Reader test: online and ready.") if ok else
              _("Reader test: the configured reader is not online."))
        return EXIT_OK if ok else EXIT_REFUSED
    return EXIT_OK


def cmd_cash_owed(args: argparse.Namespace) -> int:
    """A cash refund owed at the next visit (a shipment that could not ship): show it, or
    pay it out (once; the drawer opens), as the window's Ctrl+O does."""
    from pos_exchange.services.cash_owed import CashOwedService

    app = _open(args)
    try:
        say = Renderer(app.settings.locale, app.runtime.tz)
        service = CashOwedService(app.exchanges, app.drawer)
        paid_minor = None
        if args.action == "pay":
            pin = _read_pin(args, f"PIN for {args.approver}: ") if args.approver else None
            paid = service.pay(args.key, args.user, args.approver, pin)
            owed, paid_minor = paid.owed, paid.amount_minor
            if paid.drawer_error is not None:
                print(say(paid.drawer_error), file=sys.stderr)
        else:
            owed = service.owed(args.key, args.user)
    finally:
        app.close()
    _ = say.gettext

    def m(minor: int) -> str:
        return format_money(minor, owed.currency, say.locale)

    print(_("Exchange {number}: {customer}").format(
        number=owed.number, customer=owed.customer_name or "-"))
    for line in owed.lines:
        if line.payout is None:
            print("  " + _("{item}  {amount}  owed").format(item=line.name,
                                                          amount=m(line.amount_minor)))
        else:
            print("  " + _("{item}  {amount}  paid out {at} by {user}").format(
                item=line.name, amount=m(line.amount_minor),
                at=say.value("at", line.payout.paid_at), user=line.payout.paid_by))
    if paid_minor is not None:
        print(_("Paid out {amount} in cash.").format(amount=m(paid_minor)))
    elif owed.owed_minor:
        print(_("Owed in cash: {amount}").format(amount=m(owed.owed_minor)) + (
            " " + _("(above the refund limits: pay with --approver MANAGER)")
            if owed.needs_approval else ""))
    else:
        print(_("Nothing owed in cash."))
    return EXIT_OK


def cmd_drawer(args: argparse.Namespace) -> int:
    app = _open(args)
    try:
        _ = _reader(app).gettext
        if args.open:
            if not args.user:
                raise Refused("USER_REQUIRED")
            app.drawer.open(args.user, "opened from the command line")
            print(_("Drawer opened."))
        totals = app.drawer.expected_total()
        cur, locale = app.settings.currency, app.settings.locale
    finally:
        app.close()
    print(_("Cash in {cash_in} · cash out {cash_out} · expected in the drawer from exchanges "
            "today {expected} (plus the float).").format(
        **{key: format_money(totals[key], cur, locale)
           for key in ("cash_in", "cash_out", "expected")}))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    app = _open(args, check_books=False)  # the hub must still hear of a register in trouble
    try:
        sync = app.sync()
        say = _reader(app)
        _ = say.gettext
        if args.requeue is not None:
            ok = sync.requeue(args.requeue)
            print((_("Record {id} queued again.") if ok else
                   _("Record {id} is not dead-lettered.")).format(id=args.requeue))
            return EXIT_OK if ok else EXIT_NOT_FOUND
        if args.status:
            return _print_sync_status(sync.status(), say)
        stop = threading.Event()
        if not args.once:
            print(_("Syncing to {url} every {seconds} s (Ctrl-C stops)…").format(
                url=app.settings.hub_url, seconds=say.value("seconds", Decimal(
                    str(args.interval)))), file=sys.stderr)
            try:  # queued card refunds run on reconnect too
                sync.run(stop, args.interval, also=[app.payments.execute_pending_refunds])
            except KeyboardInterrupt:
                stop.set()
            return EXIT_OK
        report = sync.push_once()
        counts = {"sent": report.sent, "retrying": report.retrying, "dead": report.dead}
        print(_("Sent {sent}, retrying {retrying}, dead-lettered {dead}.").format(**counts)
              if report.online else
              _("Sent {sent}, retrying {retrying}, dead-lettered {dead}: the hub is "
                "unreachable, records are kept.").format(**counts))
        if report.online:
            try:
                pulled = sync.pull_once()
                print(_("Pulled {items} catalogue, {stock} stock and {sales} sales "
                        "changes.").format(items=pulled["items"], stock=pulled["stock"],
                                           sales=pulled.get("sales", 0)))
            except PosError as exc:  # the push went through; the pull retries next time
                report.errors.append(f"catalogue pull: {exc.code}")
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        status = sync.status()
    finally:
        app.close()
    _print_sync_status(status, say)
    if report.anchor_refused:  # an alarm, not a retry: someone must look (exit 6)
        return EXIT_AUDIT
    return EXIT_OK if report.online and not report.dead else EXIT_REFUSED


def _print_sync_status(status: SyncStatus, say: Renderer) -> int:
    _ = say.gettext
    print(_("Outbox: {pending} pending, {sent} sent, {dead} dead-lettered.").format(
        pending=status.pending, sent=status.sent, dead=len(status.dead)))
    if status.stale:
        print(_("ALERT: records unsent since {since}: more than 24 hours. Check the network "
                "and the hub.").format(since=_since(say, status.oldest_pending)),
              file=sys.stderr)
    for dead in status.dead:
        print("  " + _("dead #{id} {topic} {exchange}: {error} (pos-exchange sync --requeue "
                       "{id})").format(id=dead.id, topic=dead.topic,
                                       exchange=dead.exchange_uuid, error=dead.last_error))
    _print_flagged(status.flagged, _)
    if status.anchor_alarm:
        print(_("ALARM: the hub refused this register's journal (journal entry {entry}): its "
                "history does not extend what the hub holds. Call IT: run `pos-exchange "
                "audit verify --deep` (README, What is detected).").format(
            entry=status.anchor_alarm), file=sys.stderr)
        return EXIT_AUDIT
    return EXIT_OK if not status.stale and not status.dead else EXIT_REFUSED


def _since(say: Renderer, when: datetime | None) -> str:
    """In the store's local time, as the reader's locale writes it."""
    return "-" if when is None else say.value("since", when)


def _print_flagged(flagged: list[tuple[str, list[str]]],
                   _: Callable[[str], str] = str) -> None:
    """Exchanges the hub flagged for reconciliation (e.g. OVER_REFUND after two offline
    registers returned the same line): a manager resolves them at the hub."""
    if not flagged:
        return
    print(_("Flagged by the hub for reconciliation: {count}").format(count=len(flagged)))
    for number, codes in flagged[:20]:
        print(f"  {number}  " + (", ".join(codes) or _("flagged")))


def cmd_users_add(args: argparse.Namespace) -> int:
    _ = _reader().gettext
    pin = _read_pin(args, _("PIN for {user}: ").format(user=args.user_id))
    app = _open(args)
    try:
        user = app.users.add(args.user_id, args.name, args.role, pin, args.badge)
    finally:
        app.close()
    print(_("Added {role} {user} ({name}).").format(
        role=_reader().value("role", user.role), user=user.user_id, name=user.name))
    return EXIT_OK


def cmd_users_passwd(args: argparse.Namespace) -> int:
    _ = _reader().gettext
    pin = _read_pin(args, _("New PIN for {user}: ").format(user=args.user_id))
    app = _open(args)
    try:
        app.users.set_pin(args.user_id, pin)
    finally:
        app.close()
    print(_("PIN changed for {user}.").format(user=args.user_id))
    return EXIT_OK


# ---------------------------------------------------------------------- back office
def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("INVALID_PERIOD", text=text) from None


def _period(args: argparse.Namespace, today: date) -> Period:
    from pos_exchange.services.metrics import Period

    first, last = _day(args.from_day), _day(args.to_day)
    if first is None and last is None:
        if args.days not in (1, 7, 30):
            raise BadInput("INVALID_PERIOD", variant="days")
        return Period.last(args.days, today)
    return Period(first or last or today, last or first or today)


def _write(text: str | bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        return
    target = Path(output)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8", newline="")


def cmd_report(args: argparse.Namespace) -> int:
    """The seed's figures for a period, as JSON or CSV (the console's twins)."""
    from pos_exchange.reports import metrics_export

    app = _open(args)
    try:
        reports = app.reports
        period = _period(args, reports.today())
        total, by_day = reports.report(period, csr=args.csr,
                                       with_hub_counts=not args.no_hub)
        locale = app.settings.locale if args.locale_decimals else None
    finally:
        app.close()
    if args.format == "json":
        _write(json.dumps(metrics_export.as_document(total, by_day), indent=2,
                          sort_keys=True) + "\n", args.output)
    else:
        _write(metrics_export.csv_text(total, by_day, decimal_locale=locale), args.output)
    return EXIT_OK


def _counted(args: argparse.Namespace, currency: str) -> CashCount | None:
    """--count 20.00=3 --count 0.25=8 (a denomination and how many)."""
    from pos_exchange.services.day_close import parse_count

    if not args.count:
        return None
    entries = dict(item.partition("=")[::2] for item in args.count)
    return parse_count(currency, entries)


def _counted_none(currency: str) -> CashCount:
    from pos_exchange.services.day_close import parse_count

    return parse_count(currency, {})


def _z_outputs(app: App, z: ZReport, args: argparse.Namespace) -> None:
    from pos_exchange.reports.zdocument import render_text
    from pos_exchange.reports.zreport_csv import csv_text

    doc = app.zreport_document(z)
    print("\n".join(render_text(doc)))
    if args.csv:
        locale = app.settings.locale if args.locale_decimals else None
        _write(csv_text(z, decimal_locale=locale), args.csv)
    if args.pdf:
        from pos_exchange.reports.zreport_pdf import pdf_bytes
        _write(pdf_bytes(doc), args.pdf)
    if args.print:
        app.print_zreport(z)


def cmd_day(args: argparse.Namespace) -> int:
    """X-report (any time), Z close (once a day), or a stored Z again."""
    say = _reader()
    _ = say.gettext
    app = _open(args)
    try:
        closer = app.day_close
        currency = app.settings.currency
        float_minor = to_minor(args.float, currency) if getattr(args, "float", None) else 0
        if args.action == "x":
            z = closer.x_report(args.user or "admin", first_day=_day(args.from_day),
                                last_day=_day(args.to_day), float_minor=float_minor,
                                counted=_counted(args, currency))
        elif args.action == "close":
            if not args.user:
                raise Refused("USER_REQUIRED")
            counted = _counted(args, currency) or _counted_none(currency)
            z = closer.close(args.user, counted, float_minor=float_minor,
                             day=_day(args.on_day))
            print(_("Day {day} closed: Z {z}.").format(day=z.business_day, z=z.z_number),
                  file=sys.stderr)
        elif args.action == "list":
            for close in closer.closes():
                print(f"Z {close.z_number:>5}  {close.business_day}  "
                      f"{close.closed_by:<10} "
                      f"{format_money(close.grand_total_minor, close.currency, say.locale)}")
            return EXIT_OK
        else:
            z = closer.stored(args.z)
        _z_outputs(app, z, args)
    finally:
        app.close()
    return EXIT_OK


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos-exchange",
        description="Upgrade exchanges at the counter: valuation, payment, audit trail.",
        epilog="Exit codes: 0 ok, 1 refused, 2 usage, 3 not found, 4 database, 5 config, "
               "6 audit chain broken.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file or SQLAlchemy URL (default: $POS_EXCHANGE_DB, the "
                             "config file, or the user data dir)")
    parser.add_argument("--demo", action="store_true",
                        help="use the demo store database (created on first use)")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = sub.add_parser("gui", help="open the counter window (the default without a command)")
    p.set_defaults(func=cmd_gui)
    p = sub.add_parser("status", help="register status: database, audit, unfinished exchanges")
    p.set_defaults(func=cmd_status)

    db = sub.add_parser("db", help="create or upgrade the database")
    db.set_defaults(func=lambda a: _help(db))
    dbs = db.add_subparsers(metavar="ACTION")
    p = dbs.add_parser("init", help="create the schema (and optionally the demo store)")
    p.add_argument("--demo", dest="with_demo", action="store_true",
                   help="load the demo catalogue, staff and past sales")
    p.set_defaults(func=cmd_db_init)
    p = dbs.add_parser("upgrade", help="apply pending migrations")
    p.set_defaults(func=cmd_db_upgrade)

    audit = sub.add_parser("audit", help="check the tamper-evident audit trail")
    audit.set_defaults(func=lambda a: _help(audit))
    auds = audit.add_subparsers(metavar="ACTION")
    p = auds.add_parser("verify", help="verify the hash chain; names the first broken entry")
    p.add_argument("--anchor", action="append", metavar="SEQ:HASH",
                   help="a head recorded elsewhere (hub, Z report) that must still match")
    p.add_argument("--json", action="store_true", help="machine-readable result")
    p.add_argument("--deep", action="store_true",
                   help="also replay the journal and compare it with the exchanges, lines, "
                        "tenders, stock moves and outbox, naming each difference")
    p.add_argument("--local", action="store_true",
                   help="do not ask the hub for its anchor (it is asked when hub_url is set)")
    p.add_argument("--full", action="store_true",
                   help="re-hash every entry, not only those after the last full check "
                        "(and keep the head as the next starting point)")
    p.set_defaults(func=cmd_audit_verify)
    p = auds.add_parser("head", help="print the latest SEQ:HASH, to record outside the register")
    p.set_defaults(func=cmd_audit_head)

    ex = sub.add_parser("exchange", help="inspect exchanges")
    ex.set_defaults(func=lambda a: _help(ex))
    exs = ex.add_subparsers(metavar="ACTION")
    p = exs.add_parser("show", help="lines, valuation, tenders, links and audit trail")
    p.add_argument("key", metavar="NUMBER|UUID")
    p.add_argument("--json", action="store_true", help="the full document as JSON")
    p.set_defaults(func=cmd_exchange_show)
    p = exs.add_parser("list", help="recent exchanges")
    p.add_argument("--open", action="store_true", help="only unfinished ones")
    p.add_argument("--limit", type=_count, default=50, help=f"1 to {MAX_LIST} (default 50)")
    p.set_defaults(func=cmd_exchange_list)

    pay = sub.add_parser("pay", help="take a payment on an exchange")
    pay.set_defaults(func=lambda a: _help(pay))
    pays = pay.add_subparsers(metavar="METHOD")
    p = pays.add_parser("card", help="charge the amount due on the card reader (waits)")
    p.add_argument("key", metavar="NUMBER|UUID")
    p.add_argument("--user", required=True, help="the CSR taking the payment")
    p.add_argument("--amount", help="part of the amount due (split tender); default: all")
    p.add_argument("--timeout", type=_seconds, default=120.0,
                   help="seconds to wait for the card before cancelling (default 120)")
    p.add_argument("--test-card", metavar="NUMBER",
                   help="test mode: present this Stripe test card on the simulated reader")
    p.set_defaults(func=cmd_pay_card)

    payments = sub.add_parser("payments", help="card payment housekeeping")
    payments.set_defaults(func=lambda a: _help(payments))
    ps = payments.add_subparsers(metavar="ACTION")
    p = ps.add_parser("recover", help="settle card payments interrupted by a crash or outage")
    p.set_defaults(func=cmd_payments_recover)

    refunds = sub.add_parser("refunds", help="queued card refunds")
    refunds.set_defaults(func=lambda a: _help(refunds))
    rs = refunds.add_subparsers(metavar="ACTION")
    p = rs.add_parser("run", help="execute queued card refunds (e.g. after an outage)")
    p.add_argument("--user", default="system")
    p.set_defaults(func=cmd_refunds_run)
    p = rs.add_parser("in-person", help="run a queued Interac refund with the card present")
    p.add_argument("tender", help="the refund's tender id (from `refunds run`)")
    p.add_argument("--user", required=True)
    p.add_argument("--timeout", type=_seconds, default=120.0)
    p.add_argument("--test-card", metavar="NUMBER",
                   help="test mode: present this Stripe test card on the simulated reader")
    p.set_defaults(func=cmd_refunds_in_person)

    terminal = sub.add_parser("terminal", help="the card reader")
    terminal.set_defaults(func=lambda a: _help(terminal))
    ts = terminal.add_subparsers(metavar="ACTION")
    p = ts.add_parser("readers", help="list the readers of the configured location")
    p.add_argument("--test", action="store_true", help="check the chosen reader is online")
    p.set_defaults(func=cmd_terminal_readers)

    p = sub.add_parser("cash-owed", help="a cash refund owed at the next visit: show or pay it")
    p.add_argument("action", choices=("show", "pay"))
    p.add_argument("key", help="the exchange number (or its receipt's barcode)")
    p.add_argument("--user", required=True, help="the employee at the drawer")
    p.add_argument("--approver", help="a manager, above the refund limits (asks the PIN)")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    p.set_defaults(func=cmd_cash_owed)
    p = sub.add_parser("drawer", help="expected cash from today's exchanges; open the drawer")
    p.add_argument("--open", action="store_true", help="kick the drawer open (journaled)")
    p.add_argument("--user", help="who opens it (with --open)")
    p.set_defaults(func=cmd_drawer)

    p = sub.add_parser("report", help="the seed's figures for a period (JSON or CSV)")
    p.add_argument("--from", dest="from_day", metavar="DATE", help="first day (2026-11-01)")
    p.add_argument("--to", dest="to_day", metavar="DATE", help="last day (default: --from)")
    p.add_argument("--days", type=int, default=1, help="1 (today), 7 or 30 without dates")
    p.add_argument("--csr", help="one CSR's exchanges only")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--locale-decimals", action="store_true",
                   help="CSV amounts with the locale's decimal separator")
    p.add_argument("--no-hub", action="store_true", help="do not ask the hub for its counts")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=cmd_report)

    day = sub.add_parser("day", help="end-of-day close (Z-report) and X-report")
    day.set_defaults(func=lambda a: _help(day))
    ds = day.add_subparsers(metavar="ACTION")
    for name, help_text in (("x", "the open day so far, not closed (any time)"),
                            ("close", "close the day with the drawer's count (once a day)"),
                            ("show", "a stored Z-report again"),
                            ("list", "every Z-report")):
        p = ds.add_parser(name, help=help_text)
        p.set_defaults(func=cmd_day, action=name)
        if name == "show":
            p.add_argument("z", type=int, help="the Z number")
        if name in ("x", "close"):
            p.add_argument("--user", help="the manager closing (close), or who asks (x)")
            p.add_argument("--count", action="append", metavar="DENOMINATION=N",
                           help="notes or coins counted, e.g. --count 20.00=3 (repeat)")
            p.add_argument("--float", metavar="AMOUNT", help="the opening float in the drawer")
        if name == "x":
            p.add_argument("--from", dest="from_day", metavar="DATE")
            p.add_argument("--to", dest="to_day", metavar="DATE")
        if name == "close":
            p.add_argument("--day", dest="on_day", metavar="DATE",
                           help="the business day to close (default today)")
        if name != "list":
            p.add_argument("--csv", metavar="FILE", help="write the report as CSV")
            p.add_argument("--pdf", metavar="FILE", help="write the report as PDF")
            p.add_argument("--print", action="store_true", help="print on the receipt printer")
            p.add_argument("--locale-decimals", action="store_true",
                           help="CSV amounts with the locale's decimal separator")

    p = sub.add_parser("sync", help="send the outbox to the central hub")
    p.add_argument("--once", action="store_true", help="one round, then exit")
    p.add_argument("--interval", type=_seconds, default=15.0, help="seconds between rounds")
    p.add_argument("--status", action="store_true",
                   help="pending, dead-lettered, and the 24-hour alert")
    p.add_argument("--requeue", type=_row_id, metavar="ID",
                   help="send a dead-lettered record again")
    p.set_defaults(func=cmd_sync)

    users = sub.add_parser("users", help="CSR and manager accounts")
    users.set_defaults(func=lambda a: _help(users))
    us = users.add_subparsers(metavar="ACTION")
    p = us.add_parser("add", help="add an employee (asks for the PIN)")
    p.add_argument("user_id")
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=["csr", "manager"], required=True)
    p.add_argument("--badge", help="badge barcode for sign-in by scan")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    p.set_defaults(func=cmd_users_add)
    p = us.add_parser("passwd", help="set a new PIN (asks for it)")
    p.add_argument("user_id")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    p.set_defaults(func=cmd_users_passwd)
    return parser


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _count(text: str) -> int:
    """A list length: a whole number from 1 to MAX_LIST, else a usage error."""
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_LIST:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_LIST}")
    return int(text)


def _seconds(text: str) -> float:
    """A wait in seconds: a finite number from 0.1 to a day (NaN, inf and 1e400 are not)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.1 <= value <= 86_400:  # False for NaN too
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number of seconds from "
                                         "0.1 to 86400")
    return value


def _row_id(text: str) -> int:
    """A record id as `sync --status` lists it (an SQL INTEGER)."""
    from pos_exchange.services.record import INT32

    if not text.strip().isdigit() or len(text.strip()) > 10 or not 1 <= int(text) <= INT32:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a record id")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        logs.configure()
    except OSError as exc:  # the log is for IT; the command still runs, and says so
        print(f"warning: cannot write the log {logs.log_path()} ({exc.strerror or exc}); "
              "going on without it (set POS_EXCHANGE_LOG).", file=sys.stderr)
        # Never Python's last-resort handler: it would print tracebacks on the screen.
        logging.getLogger("pos_exchange").addHandler(logging.NullHandler())
    log = logging.getLogger("pos_exchange.cli")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PosError as exc:
        log.warning("%s refused: %s", func.__name__, exc.code)
        print(f"error [{exc.code}]: {_reader()(exc)}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` closed the pipe: the rest is not wanted, no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:  # a bug: a sentence here, the traceback in the log
        log.exception("%s failed", func.__name__)
        print(f"error [INTERNAL]: {_reader()('INTERNAL_ERROR', {'log': str(logs.log_path())})}",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
