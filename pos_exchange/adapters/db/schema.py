"""The local database schema (SQLAlchemy Core), shared by the register and tests.

Core tables with explicit mapping in the repositories instead of ORM-mapped
domain classes: the aggregate holds nested value objects and Decimal rates, and
mapping them by hand keeps the domain free of SQLAlchemy instrumentation. The
Alembic revisions under ``migrations/`` create exactly this schema (a test
compares them).
"""

from __future__ import annotations

from sqlalchemy import (
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
    text,
)

from pos_exchange.sqlkit.types import NAMING_CONVENTION, UTCDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

users = Table(
    "users", metadata,
    Column("user_id", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),           # csr | manager
    Column("pin_hash", String(200), nullable=False),      # argon2id, never the PIN
    Column("badge", String(64), unique=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

customers = Table(
    "customers", metadata,
    Column("customer_id", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("phone", String(32)),
    Column("email", String(200)),
)

items = Table(
    "items", metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(64), nullable=False, default=""),
    Column("tier", String(16)),
    Column("price_minor", Integer, nullable=False),
    Column("tax_class", String(32), nullable=False),
    Column("returnable", Boolean, nullable=False, default=True),
)

barcodes = Table(
    "barcodes", metadata,
    Column("code", String(14), primary_key=True),
    Column("sku", String(64), ForeignKey("items.sku"), nullable=False, index=True),
)

price_history = Table(
    "price_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), ForeignKey("items.sku"), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("price_minor", Integer, nullable=False),
    Index("ix_price_history_sku_from", "sku", "valid_from"),
)

stock = Table(
    "stock", metadata,
    Column("sku", String(64), ForeignKey("items.sku"), primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("as_of", UTCDateTime, nullable=False),         # when this snapshot was taken
)

stock_moves = Table(
    # Every change to ``stock``: ``set`` an absolute level (initial stock, a hub snapshot),
    # ``move`` a change an exchange made (qty is the delta). on_hand must equal the last
    # set plus the moves after it, and each exchange's moves what its journal says.
    "stock_moves", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("kind", String(8), nullable=False),            # set | move
    Column("qty", Integer, nullable=False),
    Column("exchange_uuid", String(36), index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_stock_moves_sku_id", "sku", "id"),
)

payments = Table(
    # Real money that came in: an original tender, an exchange payment, or store
    # credit a no-receipt return issued. Refund caps are computed against these.
    "payments", metadata,
    Column("payment_id", String(64), primary_key=True),
    Column("method", String(16), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("card_brand", String(16)),
    Column("card_last4", String(4)),
    Column("reference", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
)

sales = Table(
    "sales", metadata,
    Column("sale_id", String(36), primary_key=True),
    Column("order_number", String(40), nullable=False, unique=True),
    Column("receipt_barcode", String(40), unique=True),
    Column("sold_at", UTCDateTime, nullable=False),
    Column("customer_id", String(32), ForeignKey("customers.customer_id")),
    Column("currency", String(3), nullable=False),
    Column("store_id", String(8), nullable=False),      # where it was sold
    Column("source_exchange_uuid", String(36)),
    # A sale copied from the hub: how it reached the chain (till, web, import, shopify,
    # exchange) and the hub's version of it; NULL for a sale rung up here.
    Column("source", String(16)),
    Column("hub_version", Integer),
)

sale_lines = Table(
    "sale_lines", metadata,
    Column("sale_id", String(36), ForeignKey("sales.sale_id"), primary_key=True),
    Column("line_id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price_minor", Integer, nullable=False),
    Column("net_minor", Integer, nullable=False),
    Column("tax_rate", String(16), nullable=False),       # Decimal as text, never float
    Column("tax_minor", Integer, nullable=False),
    # What the rest of the chain returned of this line (from the hub), and its credit
    # (NULL: not known yet, a hold): this register's own exchanges are counted apart.
    Column("returned_elsewhere", Integer, nullable=False, default=0, server_default="0"),
    Column("credited_elsewhere_net", Integer),
    Column("credited_elsewhere_tax", Integer),
)

sale_funding = Table(
    "sale_funding", metadata,
    Column("sale_id", String(36), ForeignKey("sales.sale_id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payment_id", String(64), ForeignKey("payments.payment_id"), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    # What the rest of the chain drew from this slice (from the hub).
    Column("drawn_elsewhere", Integer, nullable=False, default=0, server_default="0"),
)

register_sequences = Table(
    # The last exchange number used per register: gapless, taken inside the transaction
    # that creates the exchange.
    "register_sequences", metadata,
    Column("store_id", String(8), primary_key=True),
    Column("register_id", String(8), primary_key=True),
    Column("last_seq", Integer, nullable=False),
)

exchanges = Table(
    "exchanges", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("store_id", String(8), nullable=False),
    Column("register_id", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("created_by", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("original_sale_id", String(36), ForeignKey("sales.sale_id"), index=True),
    Column("customer_id", String(32)),
    Column("submitted_by", String(32)),
    Column("approval_required", Boolean, nullable=False, default=False),
    Column("approver_id", String(32)),
    Column("approval_reason", String(200)),
    Column("approval_hash", String(64)),
    Column("approved_at", UTCDateTime),
    Column("findings", Text, nullable=False, default="[]"),
    Column("stock_unconfirmed", Boolean, nullable=False, default=False),
    Column("returns_unconfirmed", Boolean, nullable=False, default=False,
           server_default="0"),
    Column("new_sale_id", String(36)),
    Column("links", Text, nullable=False, default="{}"),
    Column("finalized_at", UTCDateTime),
    # The valuation's gap, kept beside the lines for lists and reports (History's amount
    # column); the lines remain the truth and every save rewrites it.
    Column("gap_minor", Integer, nullable=False, default=0, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
    # The first scan (issue 13): the start of "time to complete", and the exchange's
    # business day in the reports. NULL until a line is scanned.
    Column("started_at", UTCDateTime),
    Index("ix_exchanges_customer_created", "customer_id", "created_at"),
    Index("ix_exchanges_submitted_updated", "submitted_by", "updated_at"),
    Index("ix_exchanges_created_at", "created_at"),
)

exchange_returned = Table(
    "exchange_returned", metadata,
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("credit_net_minor", Integer, nullable=False),
    Column("credit_tax_minor", Integer, nullable=False),
    Column("tax_rate", String(16), nullable=False),
    Column("sale_line_id", Integer),
    Column("condition", String(32), nullable=False),
    Column("restock", Boolean, nullable=False),
)

exchange_requested = Table(
    "exchange_requested", metadata,
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price_minor", Integer, nullable=False),
    Column("tax_rate", String(16), nullable=False),
)

exchange_tenders = Table(
    "exchange_tenders", metadata,
    Column("tender_id", String(36), primary_key=True),
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), nullable=False, index=True),
    Column("position", Integer, nullable=False),          # order recorded in the exchange
    Column("kind", String(8), nullable=False),
    Column("method", String(16), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("rounding_minor", Integer, nullable=False, default=0),
    Column("tendered_minor", Integer),
    Column("change_minor", Integer, nullable=False, default=0),
    Column("status", String(12), nullable=False),
    Column("payment_id", String(64), nullable=False),
    Column("card_brand", String(16)),
    Column("card_last4", String(4)),
    Column("reference", String(64)),
    Column("compensates", String(36)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_exchange_tenders_created_at", "created_at"),
    # A processor payment (PaymentIntent) is recorded once, whatever races the code loses.
    Index("uq_exchange_tenders_payment_reference", "reference", unique=True,
          sqlite_where=text("kind = 'payment' AND reference IS NOT NULL"),
          postgresql_where=text("kind = 'payment' AND reference IS NOT NULL")),
)

exchange_draws = Table(
    "exchange_draws", metadata,
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payment_id", String(64), nullable=False, index=True),
    Column("method", String(16), nullable=False),
    Column("amount_minor", Integer, nullable=False),
    Column("use", String(8), nullable=False),             # carry | refund
    Column("card_brand", String(16)),
    Column("card_last4", String(4)),
)

# The new shipment (issue 12): requested lines sent from another location. Rewritten on
# every save like the basket lines; the lines it carries and its address are JSON.
exchange_shipments = Table(
    "exchange_shipments", metadata,
    Column("shipment_id", String(36), primary_key=True),
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), nullable=False,
           index=True),
    Column("position", Integer, nullable=False),
    Column("source", String(8), nullable=False),
    Column("line_nos", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("fee_minor", Integer, nullable=False, default=0),
    Column("fee_line_no", Integer),
    Column("state", String(24), nullable=False),
    Column("carrier", String(64)),
    Column("tracking", String(100)),
    Column("reason", String(200)),
    Column("history", Text, nullable=False, default="[]"),
)

audit_journal = Table(
    # Append-only: triggers in the migration refuse UPDATE and DELETE.
    "audit_journal", metadata,
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

audit_anchors = Table(
    # Journal heads confirmed outside this database (hub on sync, or a manager's note).
    "audit_anchors", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("source", String(64), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

audit_checkpoints = Table(
    # Journal heads that `audit verify --full` found intact: `audit verify` re-hashes only
    # the entries after the latest one (issue 15), and every later check compares each
    # point's hash with the journal's. Append-only, like the journal.
    "audit_checkpoints", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("verified_at", UTCDateTime, nullable=False),
)

outbox = Table(
    # Written in the same transaction as the state change it reports (docs/architecture.md).
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("exchange_uuid", String(36), nullable=False, index=True),
    Column("topic", String(48), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    Column("status", String(12), nullable=False, default="pending"),  # pending|sent|dead
    Column("last_error", Text),                 # a reason code (and a short detail)
    # The status bar and the sync worker count and page by status: never a table scan.
    Index("ix_outbox_status_id", "status", "id"),
)

card_attempts = Table(
    # One row per card payment step. Its idempotency key is committed here *before*
    # the first call to the processor, so a crash or timeout recovers the same intent.
    "card_attempts", metadata,
    Column("attempt_id", String(36), primary_key=True),
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), nullable=False,
           index=True),
    Column("amount_minor", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("idempotency_key", String(100), nullable=False, unique=True),
    Column("intent_id", String(64), unique=True),
    Column("reader_id", String(64)),
    Column("status", String(12), nullable=False),   # see services.card_payments.AttemptStatus
    Column("decline_code", String(40)),
    Column("message", String(300)),
    Column("card_brand", String(16)),
    Column("card_last4", String(4)),
    Column("created_by", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

refund_executions = Table(
    # A queued card refund, executed against the processor (at once or on reconnect).
    "refund_executions", metadata,
    Column("tender_id", String(36), ForeignKey("exchange_tenders.tender_id"),
           primary_key=True),
    Column("idempotency_key", String(100), nullable=False, unique=True),
    Column("refund_id", String(64)),
    Column("status", String(12), nullable=False),   # pending | succeeded | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(300)),
    Column("updated_at", UTCDateTime, nullable=False),
)

sync_state = Table(
    # How far this register has pulled the hub's catalogue and stock deltas.
    "sync_state", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

day_closes = Table(
    # One row per end-of-day close (Z-report), consecutive by ``z_number``. The figures are
    # stored as printed (canonical JSON), so a closed day never changes: a correction is a
    # new entry that falls into the next day. Append-only, like the journal.
    "day_closes", metadata,
    Column("z_number", Integer, primary_key=True, autoincrement=False),
    Column("business_day", Date, nullable=False, unique=True),
    Column("period_start", UTCDateTime),          # NULL: since the register's first entry
    Column("period_end", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=False),
    Column("closed_by", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("grand_total_minor", Integer, nullable=False),   # perpetual, after this close
    Column("figures", Text, nullable=False),
    Column("journal_seq", Integer, nullable=False),         # the day.closed entry
    Column("journal_hash", String(64), nullable=False),
)

# A cash refund owed at the next visit (a shipment that could not ship), paid out of the
# drawer: one row per refund tender, ever. Append-only (a money record).
cash_payouts = Table(
    "cash_payouts", metadata,
    Column("tender_id", String(36), primary_key=True),
    Column("exchange_uuid", String(36), ForeignKey("exchanges.uuid"), nullable=False,
           index=True),
    Column("amount_minor", Integer, nullable=False),
    Column("paid_at", UTCDateTime, nullable=False, index=True),
    Column("paid_by", String(32), nullable=False),
    Column("approver_id", String(32)),
    Column("register_id", String(8), nullable=False),
)

# Audit tables: triggers in the migration refuse UPDATE, DELETE and INSERT OR REPLACE.
APPEND_ONLY = ("audit_journal", "audit_anchors", "day_closes", "audit_checkpoints",
               "cash_payouts")
