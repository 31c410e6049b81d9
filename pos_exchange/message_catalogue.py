"""Every sentence a person may read about a refusal or failure, keyed by reason code.

These English templates are the gettext msgids (``N_`` marks them for extraction with
``pybabel extract -k N_``); ``pos_exchange/locale/de/LC_MESSAGES/pos_exchange.po`` holds the
German. ``{name}`` is filled from the error's parameters by ``messages.Renderer``: money in
the reader's format, enumerated words (states, actions) through ``WORDS``. A test checks
that every code the code base raises has a template here and a German translation.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Marks a msgid for extraction; translation happens when the sentence is rendered."""
    return text


CATALOGUE: dict[str, str] = {
    # ---------------------------------------------------------------- money and codes
    "UNKNOWN_CURRENCY": N_("The currency {currency} is not supported by this register."),
    "INVALID_AMOUNT": N_("{amount} is not an amount of money."),
    "INVALID_AMOUNT:decimals": N_("{amount} has more decimal places than {currency} allows."),
    "INVALID_AMOUNT:positive": N_("A payment must be a positive amount."),
    "INVALID_AMOUNT:cash": N_("Enter the cash the customer handed over."),
    "INVALID_AMOUNT:empty": N_("Enter an amount."),
    "INVALID_AMOUNT:typed": N_("{amount} is not an amount: type digits, e.g. 100.00."),
    "INVALID_AMOUNT:zero": N_("The amount must be more than zero."),
    "INVALID_AMOUNT:card": N_("A card can pay between {least} and {most} here."),
    "NEGATIVE_AMOUNT": N_("An amount cannot be negative."),
    "AMOUNT_TOO_LARGE": N_("{amount} is larger than any amount this register accepts."),
    "INVALID_BARCODE": N_("{barcode} is not a product barcode (expected 8, 12 or 13 digits)."),
    "INVALID_BARCODE:length": N_("{barcode} is not a valid EAN/UPC length ({length} digits; "
                                 "a product code has 8, 12, 13 or 14): scan again or type "
                                 "the code."),
    "INVALID_BARCODE:format": N_("{barcode} is not a valid EAN/UPC code: scan again or type "
                                 "the code."),
    "BAD_CHECK_DIGIT:scan": N_("Invalid check digit in {barcode}: scan again or type the "
                               "code."),
    "BAD_CHECK_DIGIT": N_("Barcode {barcode} has a wrong check digit: scan it again or type "
                          "it carefully."),
    "INVALID_SKU": N_("An item needs a SKU."),
    "INVALID_PRICE": N_("Item {sku} has an invalid price."),
    "UNKNOWN_TAX_CLASS": N_("No tax rate is configured for tax class {tax_class}."),
    "INVALID_CODE:store": N_("The store code {code} must be 1-8 letters or digits."),
    "INVALID_CODE:register": N_("The register code {code} must be 1-8 letters or digits."),
    "INVALID_CODE": N_("The code {code} must be 1-8 letters or digits."),
    "INVALID_EXCHANGE_NUMBER": N_("{text} is not an exchange number (like "
                                  "EX-S001-R01-000042-K)."),
    "BAD_CHECK_CHARACTER": N_("{number} has a wrong check character: it was mistyped or "
                              "misread."),
    # ---------------------------------------------------------------- sales and lines
    "UNKNOWN_SALE_LINE": N_("Sale {sale} has no line {line}."),
    "LEDGER_MISMATCH": N_("The original payments do not cover this credit; ask a manager "
                          "to check the sale."),
    "LEDGER_MISMATCH:refund": N_("The refund is larger than the returned credit."),
    "NO_RECEIPT_REFUSED": N_("Returns without a receipt are not accepted at this store."),
    "NO_RECEIPT_REFUND_REFUSED": N_("Items without a receipt cannot be refunded."),
    "DIFFERENT_SALE": N_("This exchange already returns items of sale {sale}; start a "
                         "separate exchange for another receipt."),
    "CURRENCY_MISMATCH": N_("Sale {sale} is in {currency}."),
    "NON_RETURNABLE": N_("{item} cannot be returned or exchanged."),
    "RETURN_WINDOW_EXPIRED": N_("Sale {sale} is older than the {days}-day return window."),
    "RETURN_WINDOW_EXPIRED:now": N_("Sale {sale} is now older than the {days}-day return "
                                    "window."),
    "ITEM_NOT_ON_LINE": N_("{item} is not line {line} of sale {sale} (that line is "
                           "{line_item})."),
    "QTY_EXCEEDS_PURCHASED": N_("Only {returnable} of {item} can be returned from sale "
                                "{sale} ({bought} bought, {returned} already returned)."),
    "INVALID_QUANTITY": N_("Quantity {qty} must be a whole number ≥ 1."),
    "QUANTITY_TOO_LARGE": N_("Quantity {qty} is more than {most} on one line."),
    "UNKNOWN_LINE": N_("Exchange {number} has no line {line}."),
    "BASKET_LOCKED": N_("A payment was already taken: void the exchange to change its items."),
    "NO_RETURNED_ITEMS": N_("Scan the item the customer is bringing back."),
    # ---------------------------------------------------------------- lifecycle
    "ILLEGAL_TRANSITION": N_("Exchange {number} is {state}; it cannot become {target}."),
    "ILLEGAL_TRANSITION:action": N_("Cannot {action}: exchange {number} is {state}."),
    "ILLEGAL_TRANSITION:not_awaiting": N_("Exchange {number} is not waiting for a payment."),
    "OUT_OF_STOCK": N_("{item} is out of stock here ({on_hand} on hand): offer another item."),
    "OUT_OF_STOCK:finding": N_("{item} is not in stock; offer another item."),
    "OUT_OF_STOCK:hub": N_("{sku} is out of stock ({available} available): offer another "
                           "item."),
    "VALUE_CAP_EXCEEDED": N_("New items total {total}, more than the exchange limit of "
                             "{limit}."),
    "APPROVAL_GAP": N_("A difference of {gap} needs a manager's approval."),
    "CUSTOMER_DAILY_LIMIT": N_("This customer already made {count} exchanges today; a "
                               "manager must approve another."),
    "CSR_REFUND_LIMIT": N_("This refund takes you over your daily refund limit; a manager "
                           "must approve it."),
    "SELF_APPROVAL": N_("You cannot approve your own exchange: call another manager."),
    "NOT_AUTHORIZED": N_("{user} is not allowed to approve exchanges."),
    "APPROVAL_REASON_REQUIRED": N_("Choose a reason for the approval."),
    "APPROVAL_REQUIRED": N_("A manager must approve this exchange before it is finalized."),
    "APPROVAL_REQUIRED:changed": N_("A manager must approve this exchange as it stands now."),
    "NOTHING_DUE": N_("Nothing more is due on this exchange."),
    "DUPLICATE_PAYMENT": N_("Payment {reference} is already recorded."),
    "OVERPAYMENT": N_("Only {due} is due; {amount} is too much."),
    "INVALID_ROUNDING": N_("Cash rounding applies only to the final cash amount."),
    "SALE_REQUIRED": N_("The original sale must be loaded to settle."),
    "MONEY_NOT_CONSERVED": N_("Returned credit plus payments minus refunds is {left}, but the "
                              "new items total {right}: the exchange cannot be finalized."),
    "PAYMENT_INCOMPLETE": N_("{due} is still due: take the payment before finalizing."),
    "NOT_SUBMITTED": N_("Lock the exchange in before finalizing."),
    "INVALID_TENDER": N_("Only refunds are recorded at finalize."),
    "MONEY_MOVED": N_("Money has already moved: void the exchange instead of cancelling."),
    "VOID_ITEMS_RETURNED": N_("Items of this exchange were already returned in {later}: "
                              "void or cancel that one first."),
    "NO_MONEY_MOVED": N_("Nothing was paid yet: cancel instead of voiding."),
    "VOID_REFUND_ISSUED": N_("This exchange already refunded money: process a return of the "
                             "new items instead of a void."),
    "VOID_REASON_REQUIRED": N_("Give a reason for the void."),
    "VOID_MISMATCH": N_("Each payment must be refunded in full by the void."),
    # ---------------------------------------------------------------- counter services
    "CARD_PAYMENT_IN_PROGRESS": N_("A card payment is in progress on the reader: finish or "
                                   "cancel it first."),
    "USER_INACTIVE": N_("Employee {user} is deactivated."),
    "EMPTY_SCAN": N_("Nothing was scanned."),
    "NOT_ON_SALE": N_("{item} is not on sale {sale}."),
    "CASH_OWED_NONE": N_("Exchange {number} owes the customer no cash refund."),
    "CASH_OWED_NONE:paid": N_("The cash refund of exchange {number} ({amount}) was paid out "
                              "already, on {at}: it is never paid twice."),
    "CASH_OWED_APPROVAL": N_("Paying out {amount} for exchange {number} is above the refund "
                             "limits: a manager approves with their ID and PIN."),
    "NOT_RECEIVED:refunded": N_("{item} from exchange {number} never reached the customer: "
                                "it could not ship and was refunded, so it cannot be "
                                "returned."),
    "NOT_RECEIVED:on_the_way": N_("{item} from exchange {number} is still on its way to the "
                                  "customer: it can be returned once it is delivered."),
    "BASKET_CHANGED": N_("The items changed while the stock was being checked: lock the "
                         "exchange in again."),
    "INVALID_CARD_REFERENCE:last4": N_("Only the last 4 digits of a card are kept."),
    "INVALID_CARD_REFERENCE:intent": N_("A card payment is recorded by its PaymentIntent id "
                                        "(pi_...)."),
    "INVALID_CARD_REFERENCE:brand": N_("{brand} is not a card brand."),
    "INVALID_CARD_REFERENCE": N_("That is not a card payment reference."),
    "EMPLOYEE_REQUIRED": N_("Enter your employee ID or scan your badge."),
    "UNKNOWN_REFUND": N_("No queued card refund {tender} is waiting."),
    "TEST_MODE_ONLY": N_("Test cards work only with a test-mode key."),
    # ---------------------------------------------------------------- card terminal
    "PAYMENT_UNCERTAIN": N_("The card payment's outcome is not known yet: do NOT charge the "
                            "card again. The register checks with Stripe as soon as it can "
                            "and records the payment if it went through. If the customer "
                            "cannot wait, call a manager."),
    "CARD_PAYMENT_CANCELLED": N_("The card payment was cancelled; nothing was charged."),
    # Stripe decline codes (the families of Stripe's test cards and common issuer answers);
    # an unknown code falls back to the generic sentence.
    "CARD_DECLINED": N_("The card was declined. Ask for another card or another way to pay."),
    "CARD_DECLINED:insufficient_funds": N_("The card was declined for insufficient funds. "
                                           "Ask for another card or cash."),
    "CARD_DECLINED:lost_card": N_("The card was declined. Keep the card out of sight and ask "
                                  "for another way to pay; do not say why."),
    "CARD_DECLINED:stolen_card": N_("The card was declined. Keep the card out of sight and "
                                    "ask for another way to pay; do not say why."),
    "CARD_DECLINED:expired_card": N_("The card has expired. Ask for another card."),
    "CARD_DECLINED:incorrect_cvc": N_("The card's security code was wrong. Try again or use "
                                      "another card."),
    "CARD_DECLINED:incorrect_pin": N_("The PIN was wrong. The customer can try again."),
    "CARD_DECLINED:pin_try_exceeded": N_("Too many wrong PINs on this card. Ask for another "
                                         "card."),
    "CARD_DECLINED:processing_error": N_("The card could not be processed. Try again in a "
                                         "moment."),
    "CARD_DECLINED:card_not_supported": N_("This card is not accepted here. Ask for another "
                                           "card."),
    "CARD_DECLINED:currency_not_supported": N_("This card cannot pay in this currency. Ask "
                                               "for another card."),
    "CARD_DECLINED:do_not_honor": N_("The bank declined the card. Ask for another card or "
                                     "another way to pay."),
    "CARD_DECLINED:fraudulent": N_("The card was declined. Ask for another way to pay; do not "
                                   "say why."),
    "CARD_DECLINED:card_velocity_exceeded": N_("The card's limit is reached. Ask for another "
                                               "card or cash."),
    "CARD_DECLINED:offline_pin_required": N_("The card needs its PIN: ask the customer to "
                                             "insert it."),
    "CARD_DECLINED:online_or_offline_pin_required": N_("The card needs its PIN: ask the "
                                                       "customer to insert it."),
    # ---------------------------------------------------------------- staff
    "INVALID_PIN": N_("A PIN is 4 to 12 digits."),
    "INVALID_ROLE": N_("Role must be one of {roles}."),
    "INVALID_USER_ID": N_("An employee ID is 1 to {most} letters, digits, - or _."),
    "INVALID_USER_NAME": N_("An employee needs a name of at most {most} characters."),
    "USER_EXISTS": N_("Employee {user} already exists."),
    "USER_EXISTS:badge": N_("{user} is already another employee's badge."),
    "BADGE_TAKEN": N_("Badge {badge} already belongs to another employee."),
    "UNKNOWN_USER": N_("No employee {user} exists."),
    "UNKNOWN_BADGE": N_("This badge is not registered."),
    "BAD_CREDENTIALS": N_("Unknown employee or wrong PIN."),
    "ACCOUNT_LOCKED": N_("Too many wrong PINs: locked until {until}."),
    "PIN_REQUIRED": N_("No terminal to ask for the PIN: pass --pin-stdin."),
    "PIN_MISMATCH": N_("The two PINs differ; nothing was changed."),
    "USER_REQUIRED": N_("Say who does this: --user ID."),
    # ---------------------------------------------------------------- lookups
    "UNKNOWN_SKU": N_("No item with SKU {sku} is in the catalogue."),
    "UNKNOWN_BARCODE": N_("Barcode {barcode} is not in the catalogue: check the item or type "
                          "its SKU."),
    "UNKNOWN_SALE": N_("No sale with order number or receipt {key} was found."),
    "SALE_VOIDED": N_("Exchange {number} was voided; nothing to return."),
    "UNKNOWN_EXCHANGE": N_("No exchange {key} was found on this register."),
    "UNKNOWN_EXCHANGE:is_sale": N_("{key} is a sale, not an exchange: scan or type it at "
                                   "the counter to start an exchange on it."),
    "NO_SALE_FOUND": N_("No sale or customer matches {text}: check the spelling, or go on "
                        "without a receipt."),
    "UNKNOWN_EXCHANGE_RECEIPT": N_("{number} has no items to return (it may have been "
                                   "voided)."),
    # ---------------------------------------------------------------- storage
    "DB_NOT_DURABLE": N_("The database runs with journal_mode={mode}, synchronous={sync}; the "
                         "register needs WAL and FULL to keep every exchange safe. Keep the "
                         "database on a local, writable disk (a read-only file, memory or a "
                         "network share cannot do WAL)."),
    "DB_READ_ONLY": N_("The database is read-only: nothing was saved. Call IT."),
    "DB_FULL": N_("The disk is full: nothing was saved. Free space, then try again."),
    "DB_LOCKED": N_("The database is busy in another program: nothing was saved. Try again in "
                    "a moment."),
    "DB_CORRUPT": N_("The database file is damaged: nothing was saved and no money can be "
                     "taken. Call IT to restore it from the hub and the journal (README, "
                     "Recovery)."),
    "BOOKS_DIFFER_FROM_JOURNAL": N_("The register's exchanges differ from their journal in "
                                    "{count} places: no money can be taken. Run "
                                    "`pos-exchange audit verify --deep` to see them, and "
                                    "call IT (README, Recovery)."),
    "BOOKS_MISSING": N_("{table}: {what} of exchange {number} is in the journal but not in "
                        "the table."),
    "BOOKS_EXTRA": N_("{table}: {what} of exchange {number} is not in the journal."),
    "BOOKS_DIFFER": N_("{table}: {field} of {what} of exchange {number} is {books}; the "
                       "journal says {journal}."),
    "BOOKS_STOCK": N_("stock: {sku} has {on_hand} on hand; its ledger adds up to "
                      "{expected}."),
    "BOOKS_JOURNAL_ORDER": N_("audit_journal: entry {seq} moves exchange {number} from "
                              "{sent}, but it was {state}."),
    "AUDIT_APPEND_ONLY": N_("Audit entries can never be changed or deleted."),
    "DB_ERROR": N_("The database refused the change: {detail}"),
    "DB_NOT_INITIALIZED": N_("No database at {path}: run `pos-exchange db init` (or --demo) "
                             "first."),
    "DB_NOT_INITIALIZED:empty": N_("This database is empty: run `pos-exchange db init` (or "
                                   "--demo) first."),
    "DB_OUTDATED": N_("The database is at revision {revision}: run `pos-exchange db upgrade`."),
    "DB_UNKNOWN_REVISION": N_("The database is at revision {revision}, which this version of "
                              "pos-exchange does not know: it was written by a newer version. "
                              "Install that version; nothing was changed."),
    "DB_NOT_EMPTY": N_("This database already has a catalogue: demo data goes into a new one."),
    # ---------------------------------------------------------------- configuration
    "INVALID_CONFIG": N_("Configuration error in {where}: {problem} ({path})."),
    "INVALID_CONFIG:unreadable": N_("Cannot read the configuration {path}: {problem}."),
    "INVALID_CONFIG:printer": N_("Unknown printer type {kind}."),
    "INVALID_CONFIG:terminal": N_("Unknown card terminal {kind}: use simulated or stripe."),
    "SECRET_IN_CONFIG": N_("{path} contains {key}: secrets belong in the OS keyring or the "
                           "environment, never in the config file."),
    "INVALID_DB_URL": N_("{url} is not a database file or URL (like "
                         "postgresql+psycopg://host/db)."),
    "UNSUPPORTED_DB": N_("The {backend} database is not supported: use SQLite or PostgreSQL."),
    "DB_DRIVER_MISSING": N_("The {backend} driver ({module}) is not installed: install "
                            "pos-exchange with its hub extra, or use SQLite."),
    "STRIPE_KEY_MISSING": N_("No Stripe key: set {env} or store it with `{command}`."),
    "HUB_TOKEN_MISSING": N_("No hub token: set {env} or store it with `{command}`."),
    "STRIPE_KEY_INVALID": N_("The Stripe key must be a secret or restricted key (sk_... or "
                             "rk_...)."),
    "STRIPE_KEY_INVALID:refused": N_("Stripe refused the API key: check the key in the "
                                     "keyring."),
    "STRIPE_KEY_PERMISSIONS": N_("The Stripe key lacks a permission this register needs (see "
                                 "README, Stripe key)."),
    "READER_NOT_CONFIGURED": N_("No card reader is chosen: set devices.reader_id in settings."),
    "HUB_NOT_CONFIGURED": N_("No central hub is configured (hub_url): exchanges stay in the "
                             "outbox until one is."),
    "INVALID_ANCHOR": N_("{anchor} is not SEQ:SHA256HEX (a number, a colon and 64 hex "
                         "digits)."),
    "EXTRA_MISSING": N_("{what} needs pos-exchange[{extra}], which is not installed ({module} "
                        "is missing): pip install 'pos-exchange[{extra}]'."),
    "GUI_UNAVAILABLE": N_("The counter window cannot start: {detail}. Reinstall with ./run, or "
                          "use the commands listed by --help."),
    "INTERNAL_ERROR": N_("Something unexpected went wrong; nothing was half-saved. The details "
                         "are in {log}: send it to IT."),
    # ---------------------------------------------------------------- devices
    "PRINTER_NOT_CONFIGURED": N_("No receipt printer is configured for this store: set "
                                 "devices.printer and devices.printer_target in the "
                                 "configuration."),
    "PRINTER_NOT_CONFIGURED:file": N_("No file is named for the file printer: set "
                                      "devices.printer_target."),
    "PRINTER_OFFLINE": N_("The printer ({kind} {target}) does not answer: check that it is on, "
                          "has paper and is connected, then retry."),
    "PRINTER_OFFLINE:drawer": N_("The drawer did not open: the printer stopped answering. Open "
                                 "it with the key and check the printer."),
    "PRINTER_OFFLINE:printing": N_("The printer stopped answering while printing: check paper "
                                   "and cable, then print again."),
    "TERMINAL_OFFLINE": N_("The card terminal is offline: take cash or try later."),
    "TERMINAL_UNREACHABLE": N_("Stripe cannot be reached right now: take cash, or try again "
                               "when the network is back."),
    "READER_OFFLINE": N_("The card reader is offline: check its power and network, or take "
                         "cash."),
    "READER_BUSY": N_("The card reader is busy with another payment: cancel it first."),
    "READER_BUSY:refund": N_("The card reader is busy: cancel the other action first."),
    "READER_ERROR": N_("The card reader refused the payment."),
    "READER_ERROR:refund": N_("The card reader refused the refund."),
    "STRIPE_REQUEST_REFUSED": N_("Stripe refused the request ({reason})."),
    "IDEMPOTENCY_CONFLICT": N_("Stripe saw this payment step before with other details: the "
                               "payment was not repeated. Call a manager."),
    # ---------------------------------------------------------------- the hub, seen from a register
    "HUB_UNREACHABLE": N_("The central system cannot be reached; nothing is lost, it is tried "
                          "again later."),
    "HUB_ERROR": N_("The central system answered {status}; it is tried again later."),
    "HUB_TOKEN_REFUSED": N_("The central system refused this register's token: IT must issue a "
                            "new one (pos-exchange-hub token create)."),
    "HUB_REJECTED": N_("The central system refused the request: {detail}"),
    # ---------------------------------------------------------------- Shopify
    "SHOPIFY_NO_ORIGINAL_ORDER": N_("This exchange has no original sale; a Shopify return "
                                    "needs the order it comes from."),
    "SHOPIFY_UNMAPPED_ORDER": N_("Sale {sale} is not mapped to a Shopify order."),
    "SHOPIFY_UNMAPPED_LINE": N_("Line {line} of sale {sale} is not mapped to a Shopify "
                                "fulfillment line item."),
    "SHOPIFY_UNMAPPED_SKU": N_("SKU {sku} is not mapped to a Shopify product variant."),
    "SHOPIFY_UNMAPPED_PAYMENT": N_("Payment {payment} is not mapped to a Shopify order "
                                   "transaction."),
    "SHOPIFY_UNMAPPED_METHOD": N_("Payment method {method} has no Shopify manual payment "
                                  "method name."),
    "SHOPIFY_NOT_SETTLED": N_("Exchange {number} is not settled yet; only settled exchanges "
                              "are sent to Shopify."),
    "SHOPIFY_NOT_A_COUNTER_PAYMENT": N_("Tender {tender} is not a counter payment."),
    "SHOPIFY_BAD_DOMAIN": N_("{domain} is not a shop domain."),
    "SHOPIFY_RETURN_MISMATCH:line": N_("Shopify's return has no line for fulfillment line "
                                       "item {item}."),
    "SHOPIFY_RETURN_MISMATCH:exchange_line": N_("Shopify's return has no exchange line for "
                                                "variant {item}."),
    "SHOPIFY_RETURN_MISMATCH:fulfillment": N_("Shopify has no open fulfillment order for "
                                              "exchange line {item}: the shipped line "
                                              "cannot be placed at its location."),
    "SHOPIFY_UNMAPPED_LOCATION": N_("Location {location} is not mapped to a Shopify "
                                    "location."),
    "SHOPIFY_RETURN_MISMATCH": N_("Shopify's return does not match the exchange."),
    "SHOPIFY_UNREACHABLE": N_("Shopify cannot be reached; the exchange is sent again later."),
    "SHOPIFY_THROTTLED": N_("Shopify is throttling this app; the same request is sent again "
                            "later."),
    "SHOPIFY_ERROR": N_("Shopify answered {status}; the exchange is sent again later."),
    "SHOPIFY_TOKEN_REFUSED": N_("Shopify refused the access token ({status}): IT must check "
                                "the app's token and scopes."),
    "SHOPIFY_REJECTED": N_("Shopify refused the request ({status})."),
    "SHOPIFY_GRAPHQL_ERROR": N_("Shopify: {detail}"),
    "SHOPIFY_EMPTY": N_("Shopify returned no {root} result."),
    "SHOPIFY_USER_ERROR": N_("Shopify refused {root}: {detail}"),
    # ---------------------------------------------------------------- the hub's flags
    # Reconciliation details: lower-case fragments, amounts in the record's plain figures.
    "TAX_MISMATCH:recomputed": N_("{what} is {claimed} but recomputes to {actual}"),
    "TOTAL_MISMATCH:recomputed": N_("{what} is {claimed} but recomputes to {actual}"),
    "CREDIT_MISMATCH:recomputed": N_("{what} is {claimed} but recomputes to {actual}"),
    "GAP_MISMATCH:recomputed": N_("{what} is {claimed} but recomputes to {actual}"),
    "GAP_MISMATCH:kind": N_("{what} is {claimed} but a gap of {gap} makes it {kind}"),
    "MONEY_NOT_CONSERVED:cancelled": N_("a cancelled exchange has tenders: money moved "
                                        "although nothing was exchanged"),
    "MONEY_NOT_CONSERVED:record": N_("returned credit {credit} + payments {paid} − refunds "
                                     "{refunded} − rounding {rounding} = {left}, but the new "
                                     "items total {right}"),
    "MONEY_NOT_CONSERVED:void": N_("payment {payment} of {paid} was given back {given} by the "
                                   "void"),
    "CREDIT_MISMATCH:drawn": N_("the credit drawn from the original tenders is {drawn}, but "
                                "the returned credit is {credit}"),
    "REFUND_EXCEEDS_PAYMENT:void": N_("the void gives back {amount} to payment {payment}, "
                                      "which paid {paid}"),
    "REFUND_EXCEEDS_PAYMENT": N_("refunds of {amount} to payment {payment} exceed the {drawn} "
                                 "drawn from it for refund"),
    "STOCK_UNCONFIRMED:record": N_("stock was decided offline on the local snapshot: confirm "
                                   "the requested items were really available"),
    "STOCK_UNCONFIRMED": N_("Stock was decided offline on the local snapshot."),
    "TAX_MISMATCH": N_("A tax amount does not recompute."),
    "TOTAL_MISMATCH": N_("A total does not recompute."),
    "CREDIT_MISMATCH": N_("A returned credit does not recompute."),
    "GAP_MISMATCH": N_("The difference does not recompute."),
    "LIFECYCLE_CONFLICT": N_("Message {message_id} sent a {topic} record after {held} "
                             "(sha256 {digest}…); it was refused."),
    "JOURNAL_MISMATCH": N_("The record's journal entry {seq} differs from the register's "
                           "journal anchored at the hub."),
    "CONTENT_CONFLICT": N_("Message {message_id} sent other content (sha256 {digest}…) for "
                           "this exchange; the first version was kept."),
    # ---------------------------------------------------------------- the hub's refusals
    "WRONG_REGISTER": N_("This token belongs to {store}/{register}; it cannot send an exchange "
                         "of {their_store}/{their_register}."),
    "CONTENT_CHANGED": N_("Exchange {uuid} was already received as {topic} with different "
                          "content; the hub keeps the first version and changed nothing."),
    "UUID_TAKEN": N_("Exchange {uuid} was already recorded by another register; nothing was "
                     "changed."),
    "UUID_TAKEN:reservation": N_("Exchange {uuid} holds a reservation of another store; "
                                 "nothing was changed."),
    "JOURNAL_REWOUND": N_("journal truncated or rewound: the hub holds seq {held} for "
                          "{store}/{register}, this register sent seq {sent}."),
    "JOURNAL_REWRITTEN": N_("journal rewritten: seq {seq} is anchored with another hash."),
    "JOURNAL_REWRITTEN:record": N_("journal rewritten: entry {seq} differs from the one "
                                   "exchange {number} carried to the hub."),
    "JOURNAL_GAP": N_("The hub holds this register's journal up to entry {held}: send the "
                      "entries from {from_seq} on."),
    "JOURNAL_BROKEN": N_("The journal sent is not a chain at entry {seq}."),
    "JOURNAL_BROKEN:order": N_("journal broken: entry {seq} was sent where entry {expected} "
                               "belongs."),
    "JOURNAL_BROKEN:unlinked": N_("journal broken: entry {seq} does not link to entry "
                                  "{prev}."),
    "JOURNAL_BROKEN:altered": N_("journal broken: entry {seq} does not match its hash."),
    "JOURNAL_BROKEN:head": N_("journal broken: the entries end at {last}, not at the "
                              "anchored head {seq}."),
    "NUMBER_TAKEN": N_("Exchange number {number} already names another exchange of {store}; "
                       "nothing was changed."),
    "NUMBER_TAKEN:changed": N_("Exchange {uuid} is {number} at the hub; it cannot become "
                               "{sent}. Nothing was changed."),
    "LIFECYCLE_ORDER": N_("A {topic} record cannot follow the {held} record of this exchange; "
                          "nothing was changed."),
    "NO_ANCHOR": N_("No journal head was anchored for {store}/{register} yet."),
    "UNKNOWN_ORDER": N_("The hub knows no order {order} at {store}."),
    "NOTHING_FLAGGED": N_("No flagged record of exchange {uuid} in store {store}."),
    "ALREADY_RESOLVED": N_("Exchange {uuid} is already reconciled."),
    "OUT_OF_STOCK:hold": N_("Only {available} of {sku} available at {store}; {asked} asked. "
                            "Nothing was reserved."),
    "RESERVATION_MISMATCH": N_("Exchange {uuid} already took its stock (reservation "
                               "{reservation} is committed); its lines cannot change."),
    "UNKNOWN_RESERVATION": N_("There is no reservation {reservation} at {store}."),
    "RESERVATION_COMMITTED": N_("Reservation {reservation} was already committed: its units "
                                "left the stock."),
    "UNKNOWN_TOKEN": N_("There is no token {token}."),
    "TOKEN_ALREADY_REVOKED": N_("Token {token} was already revoked on {at}."),
    "TOKEN_MISSING": N_("Missing bearer token: send 'Authorization: Bearer <register "
                        "token>'."),
    "TOKEN_UNKNOWN": N_("Unknown token."),
    "TOKEN_REVOKED": N_("This token was revoked: ask for a new one."),
    "SERVE_FAILED": N_("The hub could not listen on {host} port {port} (the log says why: "
                       "an address in use or unknown)."),
    "HUB_DB_NOT_INITIALIZED": N_("No hub database at {path}: run `pos-exchange-hub db "
                                 "upgrade` first."),
    "HUB_DB_NOT_INITIALIZED:empty": N_("The hub database is empty: run `pos-exchange-hub db "
                                       "upgrade` first."),
    "HUB_DB_UNKNOWN_REVISION": N_("The hub database is at revision {revision}, which this "
                                  "version does not know: it was written by a newer version. "
                                  "Nothing was changed."),
    "HUB_DB_OUTDATED": N_("The hub database is at revision {revision}: run `pos-exchange-hub "
                          "db upgrade`."),
    # ---------------------------------------------------------------- people at the hub
    "INVALID_USER_ID:account": N_("An account ID is 1 to 32 letters, digits, '.', '-' or '_', "
                             "starting with a letter or digit."),
    "WEAK_PASSWORD": N_("A password is {least} to {most} characters long."),
    "WEAK_PASSWORD:shape": N_("A password must not start or end with a space, and needs at "
                              "least 4 different characters."),
    "STORE_REQUIRED": N_("A store manager manages one store: give --store."),
    "NO_STORE_FOR_HEAD_OFFICE": N_("Head office acts on every store: leave --store out."),
    "UNKNOWN_USER:account": N_("There is no account {user} at the hub."),
    "USER_EXISTS:account": N_("The account {user} already exists."),
    "USER_ALREADY_DISABLED": N_("The account {user} is already disabled."),
    "INVALID_NAME": N_("A name is 1 to {most} characters."),
    "PASSWORD_REQUIRED": N_("No terminal to ask for the password: pass --password-stdin."),
    "PASSWORD_MISMATCH": N_("The two passwords differ; nothing was changed."),
    "ACCOUNT_LOCKED:password": N_("Too many wrong passwords: this account is locked until "
                                  "{until}."),
    "BAD_CREDENTIALS:password": N_("Unknown account or wrong password."),
    "SESSION_ENDED": N_("This session has ended (signed out, password changed or account "
                        "disabled): sign in again."),
    "SESSION_ENDED:disabled": N_("This account is disabled."),
    "SESSION_EXPIRED": N_("Your session expired: sign in again."),
    "NOT_A_PERSON": N_("This needs a person signed in (head office or the store's manager): a "
                       "register token is a machine and never acts as a person."),
    "CROSS_SITE_REQUEST": N_("A request from another site cannot use the console's session."),
    "OTHER_STORE": N_("You can only see store {store}'s records."),
    "NOT_YOUR_STORE": N_("You manage store {store} only."),
    "REASON_REQUIRED": N_("Say why the record is reconciled: the reason is kept in the hub's "
                          "journal."),
    "NOTHING_FLAGGED:anywhere": N_("No flagged record of exchange {uuid}."),
    "INVALID_SINCE": N_("--since {since} is not a date or time (2026-11-21 or "
                        "2026-11-21T09:00)."),
    "INVALID_TIME": N_("{what}: {moment} is out of range."),
    # ---------------------------------------------------------------- stock holds at the hub
    "OTHER_REGISTER": N_("Reservation {reservation} belongs to register {register}: only it "
                         "can release or commit it."),
    "UUID_TAKEN:register": N_("Exchange {uuid} holds a reservation of another register "
                              "({register}); nothing was changed."),
    "INVALID_HOLD_LIMITS": N_("Hold limits are positive numbers."),
    "HOLD_TOO_LONG": N_("A hold lasts at most {most} s ({minutes} min); {asked} s asked. "
                        "Nothing was reserved."),
    "HOLD_TOO_LARGE": N_("A hold takes at most {most} units; {asked} asked. Nothing was "
                         "reserved."),
    "HOLD_TOO_LARGE:sku": N_("A register holds at most {most} units of one item; {asked} of "
                             "{sku} asked. Nothing was reserved."),
    "HOLD_LIMIT_REACHED": N_("{register} already holds {held} of {sku} for other exchanges; a "
                             "register holds at most {most} at once. Nothing was reserved."),
    # ---------------------------------------------------------------- the back office
    "EMPTY_PERIOD": N_("The period from {start} to {end} is empty: its first day is after "
                       "its last."),
    "NO_EXCHANGES": N_("No exchange was closed from {start} to {end}: there are no figures "
                       "to show."),
    "ONLY_VOIDS": N_("The {count} exchanges from {start} to {end} were all voided: there are "
                     "no figures to show, only the voids."),
    "MIXED_CURRENCIES": N_("These exchanges are in several currencies ({currencies}): choose "
                           "one store, or stores with one currency."),
    "INVALID_PERIOD": N_("{text} is not a date (2026-11-21)."),
    "INVALID_PERIOD:days": N_("Choose today, the last 7 or 30 days, or two dates."),
    "DAY_ALREADY_CLOSED": N_("{day} is already closed (Z {z}): a closed day cannot change; "
                             "corrections go on the next day."),
    "PERIOD_SPANS_CLOSED_DAY": N_("The period includes {day}, which is closed (Z {z}): its "
                                  "figures are in that Z-report; choose days after it."),
    "DAY_BEFORE_LAST_CLOSE": N_("{day} comes before the last closed day, {last} (Z {z}): "
                                "days close in order."),
    "DAY_IN_FUTURE": N_("{day} has not begun yet: only today or an earlier day can be "
                        "closed."),
    "COUNT_NOT_A_NUMBER": N_("The count of {denomination} must be a whole number of notes or "
                             "coins, not “{value}”."),
    "UNKNOWN_DENOMINATION": N_("{denomination} is not a {currency} note or coin."),
    "NOT_A_MANAGER": N_("{user} cannot close the day: a manager must."),
    "UNKNOWN_Z": N_("There is no Z-report number {z}."),
    "PDF_UNAVAILABLE": N_("PDF export needs the fpdf2 library (pos-exchange[counter])."),
    "CONSOLE_FORBIDDEN": N_("Your role ({role}) cannot open this page."),
    "UNKNOWN_EXCHANGE:hub": N_("No exchange {key} was received by the hub in the stores you "
                               "can see."),
    "UNKNOWN_GROUPING": N_("Figures can be grouped by {choices}, not {by}."),
    # ---------------------------------------------------------------- one truth: sales
    "PRICE_MISMATCH:history": N_("{item} was charged {charged}, but the hub's prices from "
                                 "{since} to {until} were {prices}"),
    "PRICE_MISMATCH:no_price": N_("{item} was charged {charged}, but the hub had no "
                                  "price for it from {since} to {until}"),
    "PRICE_MISMATCH:audit": N_("{item} is {qty} at {charged} in the record, but its own "
                               "journal scanned {journal_qty} at {journal}"),
    "PRICE_MISMATCH:unaudited": N_("{item} has no journal entry of its scan: its price "
                                   "cannot be traced"),
    "PRICE_MISMATCH": N_("A price does not match the hub's prices or the record's journal."),
    "CREDIT_MISMATCH:audit": N_("{item} is returned {qty} for {credit} in the record, but its "
                                "own journal says {journal_qty} for {journal}"),
    "CREDIT_MISMATCH:unaudited": N_("{item} has no journal entry of its return: its credit "
                                    "cannot be traced"),
    "CREDIT_MISMATCH:sale": N_("{qty} × {item} are credited {credit}, but sale {sale} paid "
                               "{paid} for them"),
    "CREDIT_MISMATCH:line": N_("line {line} of sale {sale} is {item} at tax {sale_rate}, but "
                               "the record returns {sku} at {rate}"),
    "OVER_RETURN": N_("{qty} × {item} returned from sale {sale}, line {line}: {bought} bought, "
                      "{before} already returned elsewhere, so {over} too many"),
    "OVER_REFUND": N_("{tender} paid {paid} on sale {sale}; other exchanges already drew "
                      "{before} and this one drew {drawn}: {excess} more than it paid"),
    "CUSTOMER_DAILY_LIMIT:hub": N_("customer {customer} already had {count} other exchanges "
                                   "that day across the chain (limit {limit}), without a "
                                   "manager's approval"),
    "CSR_REFUND_LIMIT:hub": N_("{user} refunded {refund} on top of {before} that day across "
                               "the chain (limit {limit}), without a manager's approval"),
    "SALE_FROM_EXCHANGE": N_("Order {order} is an exchange's sale: it comes from the "
                             "exchange's record and cannot be fed."),
    "RECEIPT_TAKEN": N_("Receipt {receipt} already belongs to order {other}; nothing was "
                        "stored."),
    "IMPORT_INVALID": N_("{file}: {count} bad rows (listed above); nothing was imported."),
    "IMPORT_INVALID:header": N_("The CSV header lacks {columns}; nothing was imported."),
    "IMPORT_UNREADABLE": N_("{file} cannot be read as UTF-8 text ({error})."),
    "IMPORT_FORMAT": N_("{file}: import reads .csv or .jsonl files."),
    # ---------------------------------------------------------------- the new shipment
    "SHIPMENT_TRANSITION": N_("Shipment {shipment} is {shipment_state}; it cannot become "
                              "{shipment_target}."),
    "SHIPMENT_TRANSITION:dispatch": N_("Shipment {shipment} is {shipment_state}: it can be "
                                       "dispatched only once, after it was released."),
    "SHIPMENT_TRANSITION:deliver": N_("Shipment {shipment} is {shipment_state}: mark it "
                                      "dispatched before delivered."),
    "SHIPMENT_TRANSITION:unfulfillable": N_("Shipment {shipment} is {shipment_state}: only a "
                                            "shipment waiting to leave can be marked "
                                            "unfulfillable."),
    "SHIPMENT_TRANSITION:release": N_("Shipment {shipment} is {shipment_state}: it goes to "
                                      "its source only once, when the exchange is paid."),
    "SHIPMENT_TRANSITION:resource": N_("Shipment {shipment} is {shipment_state}: only a "
                                       "shipment waiting to leave can move to another "
                                       "source."),
    "SHIPMENT_RESOURCE": N_("Shipment {shipment} cannot be re-sourced."),
    "SHIPMENT_RESOURCE:same": N_("Shipment {shipment} already ships from {source}: choose "
                                 "another location."),
    "SHIPMENT_RESOURCE:refunded": N_("Shipment {shipment} is being refunded to the "
                                     "customer: it can no longer be re-sourced."),
    "SHIPMENT_RESOURCE:state": N_("Shipment {shipment} is {shipment_state}: only a shipment "
                                  "waiting to leave, or one just marked unfulfillable, can "
                                  "be re-sourced."),
    "SHIPMENT_RESOURCE:moved": N_("Shipment {shipment} ships from {source} now, not from "
                                  "{expected}: someone re-sourced it meanwhile. Look again "
                                  "before you change it."),
    "SHIPMENT_REFUNDED": N_("Shipment {shipment} was refunded once already ({total}); a "
                            "different refund for it is refused."),
    "SHIPMENT_REFUND_STATE": N_("Shipment {shipment} is {shipment_state} at {source}: it was "
                                "not given up for a refund, so none is recorded."),
    "SHIPMENT_REFUND_EXCEEDS": N_("The refund of shipment {shipment} is refused: it gives "
                                  "back more than the shipment owes."),
    "SHIPMENT_REFUND_EXCEEDS:line": N_("The refund of shipment {shipment} gives back {refund} "
                                       "for line {line}, which owes {owed} at most; nothing "
                                       "was stored."),
    "SHIPMENT_REFUND_EXCEEDS:line_unknown": N_("Line {line} is not part of shipment "
                                               "{shipment}: its refund is refused."),
    "SHIPMENT_REFUND_EXCEEDS:payment": N_("The refund of shipment {shipment} goes back to "
                                          "{payment}, which did not pay for this exchange; "
                                          "nothing was stored."),
    "SHIPMENT_REFUND_EXCEEDS:tender": N_("The refund of shipment {shipment} gives {refund} "
                                         "back to payment {payment}, which has only {left} "
                                         "left to give back; nothing was stored."),
    "SHIPMENT_REFUND_EXCEEDS:currency": N_("The refund of shipment {shipment} is in "
                                           "{currency}, but the exchange was paid in "
                                           "{expected}; nothing was stored."),
    "SHIPMENT_UNPAID": N_("Shipment {shipment} belongs to an exchange that is not fully "
                          "paid: it stays held and does not go to {source}."),
    "SHIPMENT_NOT_HELD": N_("Shipment {shipment} was never held at its source: it cannot be "
                            "sent."),
    "ADDRESS_INVALID": N_("The shipping address is not valid for {country}."),
    "ADDRESS_INVALID:required": N_("The shipping address needs {field} for {country}."),
    "ADDRESS_INVALID:invalid": N_("The shipping address's {field} is not valid for "
                                  "{country}."),
    "SHIPPING_OFFLINE": N_("Shipping is unavailable: the hub cannot be reached. Hand the items "
                           "over at the counter, or ship them when the hub is back."),
    "SHIP_FROM_HERE": N_("Items from this store ({store}) are taken now, not shipped."),
    "UNKNOWN_SHIPMENT": N_("Shipment {shipment} is not part of exchange {number}."),
    "UNKNOWN_SHIPMENT:hub": N_("There is no shipment {shipment}."),
    "UNKNOWN_LOCATION": N_("There is no location {location}."),
    "INVALID_LOCATION_KIND": N_("A location is one of {kinds}, not {kind}."),
    "INVALID_SHIPPING_FEES": N_("Shipping fee entry {entry} is not COUNTRY=amount in minor "
                                "units."),
    "OUT_OF_STOCK:source": N_("Only {available} of {sku} available at {source}; {asked} asked. "
                              "Nothing was held."),
    "DISPATCH_DETAILS_REQUIRED": N_("Dispatching needs a carrier and a tracking reference."),
    "UNFULFILLABLE_REASON_REQUIRED": N_("Say why the shipment cannot be fulfilled."),
    "NOT_THE_SOURCE": N_("Shipment {shipment} ships from {source}, not from {location}."),
}

# Enumerated parameter values and the words a person reads for them.
WORDS: dict[tuple[str, str], str] = {
    **{(name, state): N_(words) for name in ("state", "target") for state, words in (
        ("DRAFT", "a draft"), ("PENDING_APPROVAL", "waiting for a manager"),
        ("AWAITING_PAYMENT", "waiting for payment"), ("PAID", "paid"),
        ("AWAITING_FULFILMENT", "waiting to ship"), ("IN_TRANSIT", "settled"),
        ("COMPLETED", "completed"), ("CANCELLED", "cancelled"), ("VOIDED", "voided"))},
    **{("what", key): N_(words) for key, words in (
        ("window", "The counter window"), ("drawer", "The cash drawer"),
        ("printer", "The receipt printer"), ("printing", "Printing a receipt"),
        ("hub_server", "The hub server"), ("terminal", "The card terminal"),
        ("stripe_reader", "The Stripe card reader"))},
    **{("action", key): N_(words) for key, words in (
        ("change_items", "change the items"), ("attach_receipt", "attach a receipt"),
        ("lock_in", "lock in the exchange"), ("approve", "approve"),
        ("take_payment", "take a payment"), ("finalize_unpaid", "finalize before payment"),
        ("finalize", "finalize"), ("hand_over", "hand over the items"),
        ("complete", "complete"), ("cancel", "cancel"), ("void", "void"),
        ("release_shipment", "send the shipment"),
        ("shipment_update", "follow the shipment"))},
    **{(name, state): N_(words) for name in ("shipment_state", "shipment_target")
       for state, words in (
        ("PENDING", "not paid yet"), ("AWAITING_FULFILMENT", "waiting to ship"),
        ("IN_TRANSIT", "on its way"), ("COMPLETED", "delivered"),
        ("UNFULFILLABLE", "unfulfillable"))},
    # The address field a shipping address is refused for (services/addresses.py).
    **{("field", key): N_(words) for key, words in (
        ("name", "name"), ("line1", "street and number"), ("city", "city"),
        ("postal_code", "postal code"), ("region", "state or region"),
        ("country", "country"))},
    # Why an upgrade was not fully paid (services/metrics.py).
    **{("reason", key): N_(words) for key, words in (
        ("uncertain_card", "card payment uncertain"), ("voided", "voided"),
        ("cancelled_after_payment", "cancelled after a payment was started"),
        ("underpaid", "settled with less paid than the gap"))},
    # Card payments and refunds as the command line reports them (services/card_payments.py).
    **{("payment_status", key): N_(words) for key, words in (
        ("created", "not started"), ("processing", "in progress"),
        ("uncertain", "uncertain: recovery asks Stripe"), ("succeeded", "approved"),
        ("declined", "declined"), ("canceled", "cancelled"), ("failed", "failed"))},
    **{("refund_status", key): N_(words) for key, words in (
        ("succeeded", "refunded"), ("failed", "failed"), ("queued", "queued"),
        ("needs_customer", "needs the customer's card"))},
    **{("role", key): N_(words) for key, words in (("csr", "CSR"), ("manager", "manager"))},
}
