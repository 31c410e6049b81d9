"""The hub's tables (SQLAlchemy Core). Every name starts with ``hub_`` so a hub and a
register can share one PostgreSQL database without colliding; the Alembic revisions under
``migrations/`` create exactly this schema (a test compares them)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pos_exchange.sqlkit.types import NAMING_CONVENTION, UTCDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

tokens = Table(
    # Only the SHA-256 of a register's token is kept: a leaked database grants nothing.
    "hub_tokens", metadata,
    Column("token_id", String(16), primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("label", String(100)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

exchanges = Table(
    # One row per exchange UUID: who owns it and the order numbers given to it, so every
    # topic of the same exchange (settled, then voided) reuses them.
    "hub_exchanges", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("store_id", String(8), nullable=False, index=True),
    Column("register_id", String(8), nullable=False),
    Column("number", String(40), nullable=False),
    Column("return_order", String(32), unique=True),
    Column("sale_order", String(32), unique=True),
    Column("first_seen_at", UTCDateTime, nullable=False),
    # An exchange number names one exchange: a new UUID reusing it is refused (409).
    Index("uq_hub_exchanges_store_id_number", "store_id", "number", unique=True),
)

receipts = Table(
    "hub_receipts", metadata,
    Column("exchange_uuid", String(36), ForeignKey("hub_exchanges.uuid"), primary_key=True),
    Column("tender_id", String(64), primary_key=True),
    Column("receipt", String(32), nullable=False, unique=True),
)

records = Table(
    # One row per (exchange, topic): the idempotency record. ``response`` is the exact
    # body answered the first time, replayed byte for byte.
    "hub_records", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exchange_uuid", String(36), ForeignKey("hub_exchanges.uuid"), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("message_id", String(100), nullable=False),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("response", Text, nullable=False),
    Column("status", String(12), nullable=False),      # accepted | flagged
    Column("journal_seq", Integer, nullable=False),
    Column("journal_hash", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    UniqueConstraint("exchange_uuid", "topic", name="uq_hub_records_exchange_uuid_topic"),
    # An anchor checks the journal_head of the register's records in its range (hub0006).
    Index("ix_hub_records_register_journal", "store_id", "register_id", "journal_seq"),
)

reconciliation = Table(
    # A flagged record waits here for a person; it is never rejected nor dropped.
    "hub_reconciliation", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", Integer, ForeignKey("hub_records.id"), nullable=False, unique=True),
    Column("exchange_uuid", String(36), nullable=False, index=True),
    Column("topic", String(32), nullable=False),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("number", String(40), nullable=False),
    Column("flags", Text, nullable=False),             # JSON list of codes
    Column("details", Text, nullable=False),           # JSON list of {code, message}
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("resolved_by", String(64)),
    Column("note", Text),
    Index("ix_hub_reconciliation_store_open", "store_id", "resolved_at"),
)

anchors = Table(
    # Every journal head a register anchored; its latest is the highest seq.
    "hub_anchors", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("register_id", String(8), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

register_journal = Table(
    # Each register's own audit journal as it anchored it (hub/anchors.py): every entry,
    # hash-checked and linked to the one before, so a new head is accepted only if it
    # extends the held one. Append-only (triggers in hub0006), like the register's.
    "hub_register_journal", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("register_id", String(8), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    # Exactly what the register hashed: text of any length the wire model allows (an old
    # journal may hold a user id longer than the register's own column says).
    Column("ts", Text, nullable=False),
    Column("entry_store", Text, nullable=False),
    Column("entry_register", Text, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("exchange_uuid", Text),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

sequences = Table(
    # Gapless sequences (RO, SO, RC per store; catalogue/stock versions; the journal):
    # incremented inside the transaction that uses the value (hub/sequences.py).
    "hub_sequences", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("kind", String(2), primary_key=True),
    Column("value", Integer, nullable=False),
)

items = Table(
    # The central catalogue. ``version`` is the catalogue-wide counter value (hub_sequences,
    # store "*", kind "CV") taken by the item's last change: every change takes a new,
    # distinct value, so "changed since v, ordered by version" pages exactly.
    "hub_items", metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(100), nullable=False),
    Column("price_minor", Integer, nullable=False),
    Column("tax_class", String(32), nullable=False),
    Column("returnable", Boolean, nullable=False),
    Column("barcodes", Text, nullable=False),           # JSON list of strings
    Column("version", Integer, nullable=False, unique=True),
    Column("deleted", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

stock = Table(
    # Stock per store and item; available = on_hand - reserved. ``version`` comes from the
    # store's own counter (hub_sequences kind "SV"), one distinct value per changed row.
    "hub_stock", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("sku", String(64), ForeignKey("hub_items.sku"), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_hub_stock_store_version", "store_id", "version"),
)

reservations = Table(
    # One hold per exchange UUID (the idempotency key): held → committed | released | expired.
    "hub_reservations", metadata,
    Column("reservation_id", String(24), primary_key=True),
    Column("exchange_uuid", String(36), nullable=False, unique=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("status", String(12), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Index("ix_hub_reservations_status_expires", "status", "expires_at"),
    Index("ix_hub_reservations_created", "created_at"),   # the orphaned-holds report
)

reservation_lines = Table(
    "hub_reservation_lines", metadata,
    Column("reservation_id", String(24), ForeignKey("hub_reservations.reservation_id"),
           primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("qty", Integer, nullable=False),
    Index("ix_hub_reservation_lines_sku", "sku"),
)

locations = Table(
    # The chain's stores and warehouses that can ship (issue 12). Coordinates in
    # micro-degrees (integers: portable, exact); ``sort_order`` orders locations without
    # them, and breaks ties.
    "hub_locations", metadata,
    Column("location_id", String(8), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(12), nullable=False),              # store | warehouse
    Column("lat_e6", Integer),
    Column("lon_e6", Integer),
    Column("sort_order", Integer, nullable=False, server_default="100"),
)

shipments = Table(
    # A shipment of an exchange's lines from its source: held at lock-in (PENDING, units
    # reserved at the source while ``held``), released on the paid, settled record
    # (AWAITING_FULFILMENT, units taken), then worked by the source. ``version`` comes from
    # the ordering store's counter (hub_sequences kind "SH"): the register pulls changes.
    "hub_shipments", metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("exchange_uuid", String(36), nullable=False, index=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("source_id", String(8), nullable=False),
    Column("state", String(24), nullable=False),
    Column("held", Boolean, nullable=False),
    Column("address", Text, nullable=False),
    Column("carrier", String(64)),
    Column("tracking", String(100)),
    Column("reason", String(200)),
    Column("number", String(40)),
    Column("version", Integer, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # What became of an UNFULFILLABLE shipment (hub0010): NULL open, "REFUND" claimed by
    # the register for the automatic refund (then never re-sourced), "REFUNDED" its refund
    # record stored. ``resourced_from``: the source before a manager's last re-source.
    Column("resolution", String(16)),
    Column("resourced_from", String(8)),
    Index("ix_hub_shipments_source_state", "source_id", "state"),
    Index("ix_hub_shipments_store_version", "store_id", "version"),
)

shipment_lines = Table(
    "hub_shipment_lines", metadata,
    Column("shipment_id", String(36), ForeignKey("hub_shipments.shipment_id"),
           primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
)

shipment_refunds = Table(
    # The refund of a shipment that could not ship, as the register made it (hub0010): one
    # per shipment (its primary key), idempotent by content like a record. ``document`` is
    # the refund record as sent; ``response`` the exact answer, replayed byte for byte.
    "hub_shipment_refunds", metadata,
    Column("shipment_id", String(36), ForeignKey("hub_shipments.shipment_id"),
           primary_key=True),
    Column("exchange_uuid", String(36), ForeignKey("hub_exchanges.uuid"), nullable=False,
           index=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("message_id", String(100), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("short_minor", BigInteger, nullable=False),
    Column("document", Text, nullable=False),
    Column("response", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

users = Table(
    # People at the hub (head office, store managers): argon2id password hashes only.
    # ``store_id`` is the one store a store manager manages (NULL for head office).
    "hub_users", metadata,
    Column("user_id", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("store_id", String(8)),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
)

sessions = Table(
    # A person's signed-in session. Like register tokens, only the SHA-256 of the secret
    # is kept; ``session_id`` is the public name used in the journal and the logs.
    "hub_sessions", metadata,
    Column("session_id", String(24), primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("user_id", String(32), ForeignKey("hub_users.user_id"), nullable=False,
           index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),   # absolute: created + 12 h
    Column("ended_at", UTCDateTime),
    Column("end_reason", String(32)),
)

journal = Table(
    # The hub's own append-only, hash-chained journal (resolutions, people, sign-ins), the
    # same columns and hash rules as the register's ``audit_journal``; triggers in the
    # migration refuse UPDATE, DELETE (and TRUNCATE / INSERT OR REPLACE).
    "hub_journal", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(32), nullable=False),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("event", String(48), nullable=False),
    Column("exchange_uuid", String(36), index=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

exchange_facts = Table(
    # The back office's figures read these (services/metrics.py ExchangeFact): one row per
    # exchange, projected from its latest record in hub_records (voided over settled over
    # cancelled) by hub/reports_facts.py. ``day`` is the store's business day (ISO text).
    "hub_exchange_facts", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("record_id", Integer, nullable=False),
    Column("topic", String(32), nullable=False),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("number", String(40), nullable=False, index=True),
    Column("csr", String(64), nullable=False),
    Column("customer", String(64), index=True),
    Column("currency", String(3), nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("day", String(10), nullable=False),
    Column("started_at", UTCDateTime),
    Column("finalized_at", UTCDateTime),
    Column("gap_minor", Integer, nullable=False),
    Column("returned_credit_minor", Integer, nullable=False),
    Column("paid_minor", Integer, nullable=False),
    Column("reached_payment", Boolean, nullable=False),
    Column("payment_started", Boolean, nullable=False),
    Column("uncertain_card", Boolean, nullable=False),
    Column("card_declines", Integer, nullable=False),
    Column("approved", Boolean, nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("handed_out", Text, nullable=False),          # JSON [[sku, qty], …]
    Column("cards", Text, nullable=False),               # " visa:4242 " for the search
    # What the exchange contributes to the figures (metrics.classify), so a report only
    # adds columns up in SQL: the definitions stay in services/metrics.py.
    Column("c_duration_s", Integer),
    Column("c_eligible", Boolean, nullable=False),
    Column("c_not_covered", String(32)),
    Column("c_kept", Boolean, nullable=False),
    Column("c_incremental_minor", Integer, nullable=False),
    Column("c_refund_minor", Integer, nullable=False),
    Column("c_credit_minor", Integer, nullable=False),
    Column("c_stock_counts", Boolean, nullable=False),
    Column("c_listed", Boolean, nullable=False),
    Index("ix_hub_exchange_facts_day_store", "day", "store_id"),
    Index("ix_hub_exchange_facts_store_day", "store_id", "day"),
)

register_health = Table(
    # What each register last reported with its journal anchor (POST /v1/anchors):
    # pending and dead-lettered records, uncertain card payments, its version and zone,
    # and its expected stock of the items it handed out in upgrades (JSON {sku: qty}).
    "hub_register_health", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("register_id", String(8), primary_key=True),
    Column("app_version", String(32), nullable=False),
    Column("pending", Integer, nullable=False),
    Column("dead_letters", Integer, nullable=False),
    Column("uncertain_card_payments", Integer, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("expected_stock", Text, nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
)


# --- the sales index: one truth for original sales (hub/sales.py, hub/ledger.py) --------
# Money is BIGINT here: a record's amounts go up to 10^13 minor units (services/record.py),
# beyond PostgreSQL's 32-bit INTEGER.

sales = Table(
    # Every sale the chain made that can come back: fed by the tills and the web shop
    # (POST /v1/sales), imported from files, pulled from Shopify, or created by an exchange
    # (its new items). The order number is the key registers and records use.
    # ``version`` comes from the sale's store counter (hub_sequences kind "SL"): any change
    # to the sale or to what was returned of it takes a new one, for the registers' pulls.
    "hub_sales", metadata,
    Column("order_number", String(64), primary_key=True),
    Column("receipt_barcode", String(64), unique=True),
    Column("store_id", String(8), nullable=False),
    Column("source", String(16), nullable=False),     # till | web | import | shopify | exchange
    Column("sold_at", UTCDateTime, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("customer_id", String(64), index=True),
    Column("customer_name", String(200)),
    Column("customer_phone", String(40)),
    Column("customer_email", String(200)),
    Column("phone_digits", String(40), index=True),   # for the lookup by phone
    Column("source_exchange_uuid", String(36)),
    Column("source_updated_at", UTCDateTime),         # the feed's own updated_at (Shopify)
    Column("status", String(12), nullable=False),     # open | voided
    Column("content_sha256", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_hub_sales_store_version", "store_id", "version"),
    Index("ix_hub_sales_sold_at", "sold_at"),
)

sale_lines = Table(
    # What was paid for each line after discounts, with the tax rate of the sale.
    "hub_sale_lines", metadata,
    Column("order_number", String(64), ForeignKey("hub_sales.order_number"),
           primary_key=True),
    Column("line_id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("tax_rate", String(16), nullable=False),    # Decimal as text, never float
    Column("tax_minor", BigInteger, nullable=False),
)

sale_tenders = Table(
    # The slices of payments that fund a sale, in tender order (domain Funding): a card
    # tender names its processor payment (a PaymentIntent id) in ``reference``.
    "hub_sale_tenders", metadata,
    Column("order_number", String(64), ForeignKey("hub_sales.order_number"),
           primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payment_id", String(64), nullable=False, index=True),
    Column("method", String(20), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("card_brand", String(20)),
    Column("card_last4", String(4)),
    Column("reference", String(100)),
)

returns = Table(
    # Units of sale lines taken back by exchanges: held at lock-in with the stock hold
    # (same reservation, same expiry), committed by the settled record, released on cancel
    # or expiry, voided by a void. ``over_qty``: units beyond what the line had left when
    # this row was counted (flagged OVER_RETURN), never counted again for others.
    "hub_returns", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exchange_uuid", String(36), nullable=False),
    Column("order_number", String(64), ForeignKey("hub_sales.order_number"),
           nullable=False),
    Column("line_id", Integer, nullable=False),
    Column("qty", Integer, nullable=False),
    Column("over_qty", Integer, nullable=False),
    Column("credit_net_minor", BigInteger),              # known once the record arrived
    Column("credit_tax_minor", BigInteger),
    Column("status", String(12), nullable=False),     # held | committed | released | voided
    Column("reservation_id", String(24)),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("exchange_uuid", "order_number", "line_id",
                     name="uq_hub_returns_exchange_uuid_order_number_line_id"),
    Index("ix_hub_returns_order_line", "order_number", "line_id"),
)

draws = Table(
    # Money a settled record drew from a sale's tenders (carried into its new sale, or
    # refunded). ``excess_minor``: beyond what the tender had left then (OVER_REFUND).
    "hub_draws", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("exchange_uuid", String(36), nullable=False, index=True),
    Column("order_number", String(64), ForeignKey("hub_sales.order_number"),
           nullable=False),
    Column("seq", Integer, nullable=False),
    Column("payment_id", String(64), nullable=False),
    Column("use", String(8), nullable=False),         # carry | refund
    Column("amount_minor", BigInteger, nullable=False),
    Column("excess_minor", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),     # committed | voided
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("exchange_uuid", "order_number", "seq",
                     name="uq_hub_draws_exchange_uuid_order_number_seq"),
    Index("ix_hub_draws_order_payment", "order_number", "payment_id"),
)

prices = Table(
    # The catalogue's price history (promotions are entries too): what PRICE_MISMATCH
    # compares a record's unit prices with.
    "hub_prices", metadata,
    Column("sku", String(64), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("price_minor", BigInteger, nullable=False),
)

activity = Table(
    # One row per exchange for the chain-wide daily limits: its customer and the CSR who
    # locked it in, its refund, and whether the hub counted it when it was locked in.
    "hub_activity", metadata,
    Column("exchange_uuid", String(36), primary_key=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("customer_id", String(64), index=True),
    Column("user_id", String(64), index=True),
    Column("created_at", UTCDateTime, nullable=False),   # the exchange's (customer limit)
    Column("refund_at", UTCDateTime, nullable=False),    # lock-in, then settlement (CSR)
    Column("refund_minor", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),        # locked | settled | cancelled | voided
    Column("expires_at", UTCDateTime),                   # a lock-in counts until its hold ends
    Column("counted_online", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

__all__ = [
    "activity",
    "anchors",
    "draws",
    "exchange_facts",
    "exchanges",
    "items",
    "journal",
    "locations",
    "metadata",
    "prices",
    "receipts",
    "reconciliation",
    "records",
    "register_health",
    "register_journal",
    "reservation_lines",
    "reservations",
    "returns",
    "sale_lines",
    "sale_tenders",
    "sales",
    "sequences",
    "sessions",
    "shipment_lines",
    "shipment_refunds",
    "shipments",
    "stock",
    "tokens",
    "users",
]
