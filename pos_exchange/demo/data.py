"""Deterministic demo catalogue, staff, customers and past sales for the exchange app.

Pure data: no I/O, no database. Everything is derived from ``random.Random(seed)``
so the same arguments always give identical output, and tests and docs can cite
specific records. Money is ``int`` minor units (USD cents) throughout; tax rates
are ``Decimal`` and tax is computed with the domain's own ``line_tax`` so demo
sales agree to the cent with what the engine would compute.

Well-known records that docs and tests rely on:

* users ``csr1`` / ``csr2`` (PINs 1111 / 2222) and manager ``mgr1`` (PIN 9999);
* sale ``S001-000001``: 3 days before ``now``, customer ``C0001``, one good-tier
  standard-tax item (the first Apparel family, so better/best upgrades are in stock),
  qty 1, no discount, paid by card visa 4242, intent ``pi_demo_000001``;
* sale ``S001-000002``: 5 days before ``now``, customer ``C0002``, two lines
  (one standard, one reduced tax) with a 10% order discount, cash + mastercard 5555.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from stdnum import ean

from pos_exchange.domain.money import allocate, line_tax

DEMO_TAX_RATES: dict[str, Decimal] = {"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")}
DEMO_CURRENCY = "USD"

TIERS: tuple[str, ...] = ("good", "better", "best")
# SKU tier letters; "best" is P (premium) so it cannot collide with "better".
_TIER_LETTER = {"good": "G", "better": "B", "best": "P"}

# Store number used in order numbers ("S001-...") and receipt barcodes.
_STORE = 1


@dataclass(frozen=True)
class DemoItem:
    sku: str
    name: str
    category: str
    tier: str
    price_minor: int
    tax_class: str
    barcodes: tuple[str, ...]
    returnable: bool
    stock: int
    price_history: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class DemoUser:
    user_id: str
    name: str
    role: str
    pin: str
    badge: str


@dataclass(frozen=True)
class DemoCustomer:
    customer_id: str
    name: str
    phone: str


@dataclass(frozen=True)
class DemoSaleLine:
    line_no: int
    sku: str
    qty: int
    unit_price_minor: int
    discount_minor: int
    tax_rate: Decimal
    tax_minor: int

    @property
    def net_minor(self) -> int:
        return self.qty * self.unit_price_minor - self.discount_minor

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.tax_minor


@dataclass(frozen=True)
class DemoTender:
    method: str
    amount_minor: int
    card_brand: str | None
    card_last4: str | None
    payment_intent_id: str | None


@dataclass(frozen=True)
class DemoSale:
    order_number: str
    receipt_barcode: str
    sold_at: datetime
    customer_id: str | None
    lines: tuple[DemoSaleLine, ...]
    tenders: tuple[DemoTender, ...]
    order_discount_minor: int


# ---------------------------------------------------------------------------
# Catalogue definition
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Category:
    code: str
    name: str
    tax_class: str
    # Whole-dollar [low, high) price band per tier. Bands never overlap, so within a
    # family good < better < best always holds and an upgrade is always a price-up.
    bands: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    families: tuple[tuple[str, str], ...]  # (family code, base name)


_CATEGORIES: tuple[_Category, ...] = (
    _Category("APP", "Apparel", "standard", ((9, 40), (40, 150), (150, 400)), (
        ("TSHIRT", "Crew T-Shirt"), ("POLO", "Pique Polo Shirt"),
        ("OXFORD", "Oxford Button-Down Shirt"), ("HOODIE", "Pullover Hoodie"),
        ("JEANS", "Slim Straight Jeans"), ("CHINO", "Stretch Chino Pants"),
        ("JOGGER", "Fleece Joggers"), ("SHORTS", "Chino Shorts"), ("DRESS", "Wrap Dress"),
        ("SWEATER", "Crewneck Sweater"), ("CARDIGAN", "Knit Cardigan"),
        ("RAINJKT", "Rain Jacket"), ("PARKA", "Insulated Parka"),
        ("BLAZER", "Unstructured Blazer"), ("SOCKS", "Crew Socks 3-Pack"),
        ("BOXER", "Boxer Briefs 3-Pack"), ("EARRING", "Stud Earrings"),
    )),
    _Category("FTW", "Footwear", "standard", ((19, 40), (40, 150), (150, 400)), (
        ("RUNNER", "Road Running Shoe"), ("TRAIL", "Trail Running Shoe"),
        ("WALKER", "Walking Shoe"), ("CANVAS", "Canvas Low-Top Sneaker"),
        ("COURT", "Leather Court Sneaker"), ("LOAFER", "Penny Loafer"),
        ("DERBY", "Derby Dress Shoe"), ("CHELSEA", "Chelsea Boot"),
        ("HIKER", "Waterproof Hiking Boot"), ("WORKBT", "Steel-Toe Work Boot"),
        ("SANDAL", "Sport Sandal"), ("SLIDE", "Pool Slide"), ("FLAT", "Ballet Flat"),
        ("PUMP", "Block Heel Pump"), ("SLIPPER", "Shearling Slipper"),
        ("KIDSNKR", "Kids' Light-Up Sneaker"), ("INSOLE", "Cushioned Insoles"),
    )),
    _Category("ELE", "Electronics", "standard", ((9, 40), (40, 200), (200, 900)), (
        ("EARBUD", "Wireless Earbuds"), ("HEADPH", "Over-Ear Headphones"),
        ("SPEAKER", "Bluetooth Speaker"), ("SOUNDBAR", "Soundbar"),
        ("WEBCAM", "HD Webcam"), ("KEYBD", "Mechanical Keyboard"),
        ("MOUSE", "Wireless Mouse"), ("WATCH", "Fitness Smartwatch"),
        ("ROUTER", "Wi-Fi Router"), ("DASHCAM", "Dash Cam"), ("ACTCAM", "Action Camera"),
        ("SECCAM", "Home Security Camera"), ("MIC", "USB Microphone"),
        ("GAMEPAD", "Game Controller"), ("POWERBK", "Power Bank"),
        ("CHARGER", "Fast Charger"), ("TURNTBL", "Turntable"),
    )),
    _Category("HOM", "Home & Kitchen", "standard", ((9, 40), (40, 150), (150, 600)), (
        ("SKILLET", "Nonstick Skillet"), ("DUTCH", "Dutch Oven"), ("KNIFE", "Chef's Knife"),
        ("KNIFEST", "Knife Block Set"), ("CUTBRD", "Cutting Board"), ("BLENDER", "Blender"),
        ("KETTLE", "Electric Kettle"), ("COFFEE", "Drip Coffee Maker"),
        ("TOASTER", "Toaster"), ("MIXER", "Stand Mixer"), ("SHEETS", "Queen Sheet Set"),
        ("DUVET", "Down-Alternative Duvet"), ("PILLOW", "Bed Pillow"),
        ("TOWEL", "Bath Towel Set"), ("LAMP", "Table Lamp"), ("VACUUM", "Cordless Vacuum"),
        ("STORAGE", "Food Storage Set"),
    )),
    _Category("BKS", "Books", "reduced", ((4, 15), (15, 35), (35, 100)), (
        ("COOKBK", "Weeknight Cookbook"), ("ATLAS", "World Atlas"),
        ("MYSTERY", "Harbor Lights Mystery"), ("SCIFI", "Starfall Trilogy Book 1"),
        ("FANTASY", "The Ember Crown"), ("BIO", "Explorer's Biography"),
        ("HISTORY", "History of the Silk Road"), ("PICTURE", "Kids' Picture Book"),
        ("YA", "YA Adventure Novel"), ("POETRY", "Poetry Anthology"),
        ("GARDEN", "Garden Handbook"), ("TRAVEL", "City Travel Guide"),
        ("HABITS", "Habits Workbook"), ("SCIENCE", "Popular Science Primer"),
        ("ART", "Art Museum Companion"), ("GRAPHIC", "Graphic Novel Vol. 1"),
        ("DICT", "Desk Dictionary"),
    )),
    _Category("GRO", "Grocery & Snacks", "reduced", ((1, 8), (8, 25), (25, 80)), (
        ("COFFEE", "Whole Bean Coffee"), ("TEA", "Loose Leaf Tea"),
        ("CHOC", "Dark Chocolate Bar"), ("NUTS", "Mixed Nuts"), ("TRAILMX", "Trail Mix"),
        ("OLIVOIL", "Olive Oil"), ("PASTA", "Artisan Pasta"), ("SAUCE", "Pasta Sauce"),
        ("HONEY", "Raw Honey"), ("JAM", "Fruit Preserves"), ("CRACKER", "Sea Salt Crackers"),
        ("GRANOLA", "Granola"), ("CHIPS", "Kettle Chips"), ("COOKIE", "Butter Cookies Tin"),
        ("SPICE", "Spice Sampler"), ("GIFTBOX", "Snack Gift Box"),
        ("CAKE", "Bakery Celebration Cake"),
    )),
)

# Hygiene (underwear, pierced earrings) and perishables are final sale.
_NON_RETURNABLE_FAMILIES = frozenset({"APP-BOXER", "APP-EARRING", "GRO-CAKE"})

# Small-ticket families get their own lower bands; a $300 pack of socks would look
# wrong in a demo. Still non-overlapping, so the tier order within a family holds.
_BAND_OVERRIDES: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "APP-SOCKS": ((7, 15), (15, 30), (30, 60)),
    "APP-BOXER": ((12, 25), (25, 45), (45, 90)),
    "FTW-INSOLE": ((9, 20), (20, 45), (45, 90)),
    "FTW-SLIDE": ((12, 30), (30, 60), (60, 150)),
    "ELE-CHARGER": ((9, 25), (25, 60), (60, 150)),
    "ELE-POWERBK": ((12, 30), (30, 80), (80, 200)),
    "ELE-MOUSE": ((9, 30), (30, 80), (80, 160)),
    "GRO-CHOC": ((1, 4), (4, 9), (9, 25)),
}

# The first family of each category is kept well stocked so documented upgrade
# scenarios (e.g. sale S001-000001: Crew T-Shirt good -> better) never hit zero stock.
_PROTECTED_FAMILIES = frozenset(f"{c.code}-{c.families[0][0]}" for c in _CATEGORIES)


SHIPPING_DEMO_SKU = "APP-RAINJKT-B-035"


def family_key(sku: str) -> str:
    """The product family of a SKU ("APP-TSHIRT-G-001" -> "APP-TSHIRT"); tiers share it."""
    return "-".join(sku.split("-")[:2])


def price_on(item: DemoItem, day: date) -> int:
    """The price in effect on ``day``; the oldest known price if ``day`` predates history."""
    price = item.price_history[0][1]
    for valid_from, entry_price in item.price_history:
        if valid_from > day:
            break
        price = entry_price
    return price


def _shelf_price(rng: random.Random, band: tuple[int, int]) -> int:
    # Whole dollars in [low, high) plus a realistic ending; .99 dominates in retail.
    dollars = rng.randrange(band[0], band[1])
    ending = rng.choices((99, 49, 0), weights=(6, 2, 2))[0]
    return dollars * 100 + ending


def _marked_down(price: int, percent: int) -> int:
    # Round the reduced price down to a .49/.99 ending; always strictly below ``price``.
    return max(49, price * percent // 100 // 50 * 50 - 1)


def _price_history(
    rng: random.Random, today: date, price: int
) -> tuple[tuple[date, int], ...]:
    # The first entry is always older than 90 days so any recent sale has a known price.
    history: list[tuple[date, int]] = []
    start = today - timedelta(days=rng.randint(120, 720))
    # An older regular price changed 45-100 days ago: sales from before the change
    # were rung up at a different price than today's shelf price.
    old = price
    if rng.random() < 0.3:
        if rng.random() < 0.6:
            old = _marked_down(price, rng.randint(85, 95))
        else:
            old = _marked_down(price * rng.randint(110, 120) // 100, 100)
    if old != price:
        history.append((start, old))
        history.append((today - timedelta(days=rng.randint(45, 100)), price))
    else:
        history.append((start, price))
    if rng.random() < 0.25:
        # A short promotion that started 25-40 days ago and was over by 10 days ago,
        # so receipts from that window show a lower price than the shelf does now.
        promo_start = today - timedelta(days=rng.randint(25, 40))
        promo_end = min(promo_start + timedelta(days=rng.randint(7, 15)),
                        today - timedelta(days=10))
        history.append((promo_start, _marked_down(price, rng.randint(70, 85))))
        history.append((promo_end, price))
    return tuple(history)


def _ean13(prefix: str, rng: random.Random, used: set[str]) -> str:
    # Prefixes 20-29 are GS1's in-store range, so these never clash with real products.
    while True:
        body = prefix + "".join(str(rng.randrange(10)) for _ in range(12 - len(prefix)))
        code = body + ean.calc_check_digit(body)
        if code not in used:
            used.add(code)
            return code


def demo_items(today: date, seed: int = 7) -> list[DemoItem]:
    """306 items: 6 categories x 17 families x 3 tiers (good/better/best)."""
    rng = random.Random(seed)
    used_barcodes: set[str] = set()
    items: list[DemoItem] = []
    for cat in _CATEGORIES:
        for fam_code, base_name in cat.families:
            family = f"{cat.code}-{fam_code}"
            bands = _BAND_OVERRIDES.get(family, cat.bands)
            for tier, band in zip(TIERS, bands, strict=True):
                price = _shelf_price(rng, band)
                # Barcodes 20-28 for items; 29 is reserved for receipts.
                barcodes = [_ean13(f"2{rng.randrange(9)}", rng, used_barcodes)]
                if rng.random() < 0.2:  # e.g. a re-labelled case pack with its own code
                    barcodes.append(_ean13(f"2{rng.randrange(9)}", rng, used_barcodes))
                items.append(DemoItem(
                    sku=f"{family}-{_TIER_LETTER[tier]}-{len(items) + 1:03d}",
                    name=f"{base_name} ({tier.title()})",
                    category=cat.name,
                    tier=tier,
                    price_minor=price,
                    tax_class=cat.tax_class,
                    barcodes=tuple(barcodes),
                    returnable=family not in _NON_RETURNABLE_FAMILIES,
                    stock=rng.randint(3, 40),
                    price_history=_price_history(rng, today, price),
                ))

    # Some sold-out and nearly sold-out items so exchange flows meet stock limits.
    candidates = [i for i, item in enumerate(items)
                  if family_key(item.sku) not in _PROTECTED_FAMILIES]
    picked = rng.sample(candidates, 18)
    for i in picked[:6]:
        items[i] = replace(items[i], stock=0)
    for i in picked[6:]:
        items[i] = replace(items[i], stock=rng.randint(1, 2))
    # README's shipping walkthrough: the Rain Jacket (Better) is sold out in the store; only
    # the demo warehouse W1 at the hub has it, so the counter ships it (F7).
    return [replace(item, stock=0) if item.sku == SHIPPING_DEMO_SKU else item
            for item in items]


def demo_users() -> list[DemoUser]:
    """Two cashiers and one manager. Demo PINs are public: 1111, 2222, 9999."""
    return [
        DemoUser("csr1", "Alex Rivera", "csr", "1111", "BADGE-CSR1"),
        DemoUser("csr2", "Sam Chen", "csr", "2222", "BADGE-CSR2"),
        DemoUser("mgr1", "Morgan Patel", "manager", "9999", "BADGE-MGR1"),
    ]


_FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella",
    "Lucas", "Mia", "Mateo", "Amelia", "Ethan", "Harper", "Aiden", "Priya", "Kenji",
    "Fatima", "Diego", "Grace", "Omar", "Chloe", "Hiro", "Zoe", "Malik", "Nora",
)
_LAST_NAMES = (
    "Johnson", "Garcia", "Nguyen", "Smith", "Brown", "Martinez", "Kim", "Okafor",
    "Davis", "Rodriguez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Lee",
    "Patel", "Hernandez", "Clark", "Lewis", "Walker", "Young", "Khan", "Rossi",
)
_AREA_CODES = ("512", "737", "214", "713", "210", "469")


def demo_customers(seed: int = 7) -> list[DemoCustomer]:
    """25 customers C0001..C0025 with fictional 555-01xx phone numbers."""
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < 25:
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        if name not in names:
            names.append(name)
    # 555-0100..0199 is reserved for fiction, so demo data never dials a real person.
    suffixes = rng.sample(range(100), 25)
    return [
        DemoCustomer(f"C{i + 1:04d}", name, f"+1-{rng.choice(_AREA_CODES)}-555-01{sfx:02d}")
        for i, (name, sfx) in enumerate(zip(names, suffixes, strict=True))
    ]


# ---------------------------------------------------------------------------
# Sales
# ---------------------------------------------------------------------------

# Test-card style last-4s; only ever the last four digits, never a full number.
_CARDS: dict[str, tuple[str, ...]] = {
    "visa": ("4242", "1881", "0077"),
    "mastercard": ("5555", "4444", "8210"),
    "amex": ("0005", "8431"),
}

_SALE_COUNT = 50


def _order_number(seq: int) -> str:
    return f"S{_STORE:03d}-{seq:06d}"


def _receipt_barcode(seq: int) -> str:
    body = f"29{_STORE:04d}{seq:06d}"
    return body + ean.calc_check_digit(body)


def _card(brand: str, last4: str, intent: str, amount: int) -> DemoTender:
    return DemoTender("card", amount, brand, last4, intent)


def _cash(amount: int) -> DemoTender:
    return DemoTender("cash", amount, None, None, None)


def _random_card(rng: random.Random, amount: int, intent: str,
                 avoid: str | None = None) -> DemoTender:
    brand = rng.choice([b for b in _CARDS if b != avoid])
    return _card(brand, rng.choice(_CARDS[brand]), intent, amount)


def _first_part(gross: int, rng: random.Random) -> int:
    # The first tender of a split is whole dollars (cash in hand, or "put $40 on this
    # card"), strictly between 0 and the total so both tenders are positive.
    if gross < 200:
        return gross // 2
    part = gross * rng.randint(25, 60) // 100 // 100 * 100
    return min(max(part, 100), gross - 100)


def _build_lines(
    picks: list[tuple[DemoItem, int]],
    day: date,
    tax_rates: dict[str, Decimal],
    discount: int,
) -> tuple[DemoSaleLine, ...]:
    prices = [price_on(item, day) for item, _ in picks]
    amounts = [qty * price for (_, qty), price in zip(picks, prices, strict=True)]
    # Spread the order discount over lines by pre-discount amount; allocate() makes
    # the shares add up to the order discount exactly.
    shares = allocate(discount, amounts)
    lines = []
    for n, ((item, qty), price, amount, share) in enumerate(
        zip(picks, prices, amounts, shares, strict=True), start=1
    ):
        rate = tax_rates[item.tax_class]
        lines.append(DemoSaleLine(
            line_no=n, sku=item.sku, qty=qty, unit_price_minor=price,
            discount_minor=share, tax_rate=rate, tax_minor=line_tax(amount - share, rate),
        ))
    return tuple(lines)


def _percent_off(subtotal: int, percent: int) -> int:
    # Integer half-up rounding of subtotal * percent / 100.
    return (subtotal * percent + 50) // 100


def _first_item(items: list[DemoItem], category: str, tier: str) -> DemoItem:
    for item in items:
        if (item.category == category and item.tier == tier and item.returnable
                and item.stock > 0):
            return item
    raise ValueError(f"no returnable in-stock {tier} item in {category!r}")


def _well_known_sales(
    items: list[DemoItem], now: datetime, tax_rates: dict[str, Decimal]
) -> list[DemoSale]:
    sold_1 = now - timedelta(days=3)
    item_1 = _first_item(items, "Apparel", "good")
    lines_1 = _build_lines([(item_1, 1)], sold_1.date(), tax_rates, 0)
    gross_1 = sum(line.gross_minor for line in lines_1)
    sale_1 = DemoSale(
        order_number=_order_number(1), receipt_barcode=_receipt_barcode(1), sold_at=sold_1,
        customer_id="C0001", lines=lines_1,
        tenders=(_card("visa", "4242", "pi_demo_000001", gross_1),),
        order_discount_minor=0,
    )

    # One standard and one reduced-tax line, so this receipt exercises mixed tax rates.
    sold_2 = now - timedelta(days=5)
    picks_2 = [(_first_item(items, "Footwear", "good"), 1),
               (_first_item(items, "Books", "good"), 1)]
    subtotal_2 = sum(price_on(item, sold_2.date()) * qty for item, qty in picks_2)
    discount_2 = _percent_off(subtotal_2, 10)
    lines_2 = _build_lines(picks_2, sold_2.date(), tax_rates, discount_2)
    gross_2 = sum(line.gross_minor for line in lines_2)
    cash_2 = gross_2 // 2 // 100 * 100 or gross_2 // 2
    sale_2 = DemoSale(
        order_number=_order_number(2), receipt_barcode=_receipt_barcode(2), sold_at=sold_2,
        customer_id="C0002", lines=lines_2,
        tenders=(_cash(cash_2), _card("mastercard", "5555", "pi_demo_000002", gross_2 - cash_2)),
        order_discount_minor=discount_2,
    )
    return [sale_1, sale_2]


def demo_sales(
    items: list[DemoItem],
    customers: list[DemoCustomer],
    now: datetime,
    tax_rates: dict[str, Decimal] = DEMO_TAX_RATES,
    seed: int = 7,
) -> list[DemoSale]:
    """50 past sales over the last 75 days, ordered by order number.

    S001-000001 and S001-000002 are the documented well-known sales; S001-000003
    onwards are numbered oldest first.
    """
    if now.tzinfo is None:
        raise ValueError("demo_sales() needs a timezone-aware 'now'")
    now = now.astimezone(UTC)
    rng = random.Random(seed)
    sales = _well_known_sales(items, now, tax_rates)

    returnable = [i for i in items if i.returnable]
    final_sale = [i for i in items if not i.returnable]
    # Favour good and better tiers so most receipts leave room for an upgrade.
    tier_weight = {"good": 6, "better": 3, "best": 1}
    weights = [tier_weight[i.tier] for i in returnable]
    customer_ids = [c.customer_id for c in customers]

    # Fixed quotas per feature (rather than coin flips) so every seed gives the
    # scenarios tests and demos need; which sales get them is still random.
    count = _SALE_COUNT - len(sales)
    slots = list(range(count))
    old = set(rng.sample(slots, 12))          # outside a 30-day return window
    discounted = set(rng.sample(slots, 11))   # plus S001-000002 makes 12
    split = set(rng.sample(slots, 9))         # plus S001-000002 makes 10
    with_final_sale = set(rng.sample(slots, 3))
    multi_line = set(rng.sample(slots, 16))
    multi_qty = set(rng.sample(slots, 6))

    drafts: list[tuple[datetime, int]] = []
    for slot in slots:
        # Whole days plus under 10 hours keeps "old" sales strictly over 30 days
        # and recent ones strictly under, avoiding an ambiguous boundary.
        days = rng.randint(31, 74) if slot in old else rng.randint(1, 29)
        drafts.append((now - timedelta(days=days, minutes=rng.randint(0, 599)), slot))
    drafts.sort()

    for seq, (sold_at, slot) in enumerate(drafts, start=len(sales) + 1):
        n_lines = rng.choice((2, 2, 3)) if slot in multi_line else 1
        chosen: list[DemoItem] = []
        if slot in with_final_sale:
            chosen.append(rng.choice(final_sale))
        while len(chosen) < n_lines:
            item = rng.choices(returnable, weights=weights)[0]
            if item not in chosen:
                chosen.append(item)
        qtys = [rng.choices((1, 2), weights=(85, 15))[0] for _ in chosen]
        if slot in multi_qty:
            qtys[rng.randrange(len(qtys))] = rng.choice((2, 3))
        picks = list(zip(chosen, qtys, strict=True))

        day = sold_at.date()
        discount = 0
        if slot in discounted:
            subtotal = sum(price_on(item, day) * qty for item, qty in picks)
            coupons = [c for c in (500, 1000) if subtotal >= 4 * c]
            if coupons and rng.random() < 0.5:
                discount = rng.choice(coupons)  # "$5 off $20" / "$10 off $40" coupon
            else:
                discount = _percent_off(subtotal, rng.choice((10, 15, 20)))
        lines = _build_lines(picks, day, tax_rates, discount)
        gross = sum(line.gross_minor for line in lines)

        intent = f"pi_demo_{seq:06d}"
        if slot in split:
            first = _first_part(gross, rng)
            tenders: tuple[DemoTender, ...]
            if rng.random() < 0.5:
                tenders = (_cash(first), _random_card(rng, gross - first, intent))
            else:
                card_1 = _random_card(rng, first, intent)
                card_2 = _random_card(rng, gross - first, f"{intent}_2", avoid=card_1.card_brand)
                tenders = (card_1, card_2)
        elif rng.random() < 0.3:
            tenders = (_cash(gross),)
        else:
            tenders = (_random_card(rng, gross, intent),)

        # Roughly a third of shoppers don't give their details at the till.
        customer = rng.choice(customer_ids) if customer_ids and rng.random() < 0.7 else None
        sales.append(DemoSale(
            order_number=_order_number(seq), receipt_barcode=_receipt_barcode(seq),
            sold_at=sold_at, customer_id=customer, lines=lines, tenders=tenders,
            order_discount_minor=discount,
        ))
    return sales
