"""`pos-exchange-hub locations …` and `pos-exchange-hub shipments …`: the fulfilling
location's work from the hub's command line (hub/shipments.py does it; journaled as the
hub's command line)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.exit_codes import EXIT_OK
from pos_exchange.hub import journal, shipments
from pos_exchange.hub import stock as hub_stock
from pos_exchange.hub.db import hub_db_url, open_engine
from pos_exchange.services.ports import utc_now
from pos_exchange.sqlkit.engine import translate_errors

CLI = shipments.Actor(journal.CLI_USER, lambda location: True)
# The demo chain: the demo store and a warehouse 30 km away that holds every item.
DEMO_LOCATIONS = (("S001", "Demo store", "store", 47.3769, 8.5417, 10),
                  ("W1", "Demo warehouse", "warehouse", 47.5596, 7.5886, 20))
DEMO_WAREHOUSE_UNITS = 5


def load_demo_locations(engine: Engine, skus: Iterable[str], now: datetime) -> int:
    """The demo store and warehouse W1, with W1's stock (for `catalogue load-demo`)."""
    for location_id, name, kind, lat, lon, order in DEMO_LOCATIONS:
        shipments.set_location(engine, location_id, name, kind, lat, lon, order)
    return hub_stock.set_stock(engine, "W1", dict.fromkeys(skus, DEMO_WAREHOUSE_UNITS), now)


def _run(args: argparse.Namespace, work: Callable[[Engine], Any]) -> Any:
    engine = open_engine(hub_db_url(args.db))
    try:
        with translate_errors():
            return work(engine)
    finally:
        engine.dispose()


def _line(s: dict[str, Any]) -> str:
    items = ", ".join(f"{line['qty']} × {line['name']}" for line in s["lines"])
    where = s.get("address") or {}
    to = " ".join(str(where.get(k) or "") for k in ("name", "postal_code", "city", "country"))
    tracking = f"  {s['carrier']} {s['tracking']}" if s.get("tracking") else ""
    fate = ""
    if s.get("resourced_from"):
        fate += f"  (re-sourced from {s['resourced_from']})"
    if s.get("refunded_minor") is not None:
        fate += f"  refunded {s['refunded']}"
    elif s.get("resolution"):
        fate += "  refund under way"
    return f"{s['shipment_id']}  {s['number'] or s['exchange_uuid']}  {s['source']}  " \
           f"{s['state']}  {items}  → {to.strip()}{tracking}{fate}"


def cmd_list(args: argparse.Namespace) -> int:
    states = args.state or [str(ShipmentState.AWAITING_FULFILMENT)]
    found = _run(args, lambda e: shipments.listing(e, CLI, args.location, states))
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        for s in found:
            print(_line(s))
        print(f"{len(found)} shipment(s) at {args.location.upper()}.")
    return EXIT_OK


def _act(target: ShipmentState) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        done = _run(args, lambda e: shipments.act(
            e, CLI, args.shipment, target, utc_now(),
            carrier=getattr(args, "carrier", None), tracking=getattr(args, "tracking", None),
            reason=getattr(args, "reason", None)))
        print(_line(done))
        return EXIT_OK
    return command


def cmd_resource(args: argparse.Namespace) -> int:
    done = _run(args, lambda e: shipments.resource(
        e, CLI, args.shipment, args.to, utc_now(), expected=args.source, note=args.note))
    print(_line(done))
    return EXIT_OK


def cmd_location_set(args: argparse.Namespace) -> int:
    _run(args, lambda e: shipments.set_location(e, args.location, args.name, args.kind,
                                                args.lat, args.lon, args.order))
    print(f"Location {args.location.upper()} ({args.kind}) saved.")
    return EXIT_OK


def add_parsers(sub: Any, help_of: Callable[[argparse.ArgumentParser], int]) -> None:
    loc = sub.add_parser("locations", help="stores and warehouses that can ship")
    loc.set_defaults(func=lambda a: help_of(loc))
    ls = loc.add_subparsers(metavar="ACTION")
    p = ls.add_parser("set", help="add or change a location")
    p.add_argument("location")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", choices=shipments.KINDS, default="store")
    p.add_argument("--lat", type=float, help="latitude (nearest first)")
    p.add_argument("--lon", type=float, help="longitude")
    p.add_argument("--order", type=int, default=100,
                   help="order among locations without coordinates (default 100)")
    p.set_defaults(func=cmd_location_set)

    sh = sub.add_parser("shipments", help="work the shipments of a fulfilling location")
    sh.set_defaults(func=lambda a: help_of(sh))
    ss = sh.add_subparsers(metavar="ACTION")
    p = ss.add_parser("list", help="shipments to pick at a location")
    p.add_argument("--location", required=True)
    p.add_argument("--state", action="append",
                   choices=[str(s) for s in ShipmentState],
                   help="which states (default AWAITING_FULFILMENT; repeat for more)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = ss.add_parser("dispatch", help="the shipment left: carrier and tracking")
    p.add_argument("shipment")
    p.add_argument("--carrier", required=True)
    p.add_argument("--tracking", required=True)
    p.set_defaults(func=_act(ShipmentState.IN_TRANSIT))
    p = ss.add_parser("deliver", help="the customer has it")
    p.add_argument("shipment")
    p.set_defaults(func=_act(ShipmentState.COMPLETED))
    p = ss.add_parser("resource", help="ship it from another location instead of the "
                                       "refund (a new hold there, all or none)")
    p.add_argument("shipment")
    p.add_argument("--to", required=True, help="the new source")
    p.add_argument("--from", dest="source",
                   help="the source you saw: refused if someone re-sourced it meanwhile")
    p.add_argument("--note", default="", help="why (journaled)")
    p.set_defaults(func=cmd_resource)
    p = ss.add_parser("unfulfillable", help="it cannot ship: the register refunds its lines")
    p.add_argument("shipment")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=_act(ShipmentState.UNFULFILLABLE))
