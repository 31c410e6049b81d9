"""Refresh the message catalogue template and merge it into each translation.

    .venv/bin/python scripts/extract-messages.py

Reads every sentence of ``pos_exchange/message_catalogue.py`` (CATALOGUE and WORDS) and
every ``_("…")`` of the command line (``say.gettext`` aliased as ``_``), writes
``pos_exchange/locale/pos_exchange.pot``, and updates each
``pos_exchange/locale/<lang>/LC_MESSAGES/pos_exchange.po`` with babel: new msgids are added
untranslated, vanished ones are dropped, translations are kept. A test fails while any
msgid lacks a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pos_exchange.message_catalogue import CATALOGUE, WORDS  # noqa: E402

LOCALE = ROOT / "pos_exchange" / "locale"
SOURCES_WITH_UNDERSCORE = ["pos_exchange/cli.py", "pos_exchange/receipts.py",
                           "pos_exchange/reports/zdocument.py",
                           "pos_exchange/hub/console/pages.py"]
TEMPLATES = "pos_exchange/hub/console/templates"   # Jinja2 {% trans %} and _() calls


def template() -> Catalog:
    catalog = Catalog(project="pos-exchange", domain="pos_exchange")
    for key, text in CATALOGUE.items():
        catalog.add(text, locations=[("message_catalogue.py", 0)], auto_comments=[key])
    for (name, value), text in WORDS.items():
        catalog.add(text, locations=[("message_catalogue.py", 0)],
                    auto_comments=[f"{name}={value}"])
    for source in SOURCES_WITH_UNDERSCORE:
        for lineno, message, _comments, _context in extract_from_file(
                "python", str(ROOT / source), keywords={"_": None}):
            if isinstance(message, str):
                catalog.add(message, locations=[(source, lineno)])
    for template in sorted((ROOT / TEMPLATES).glob("*.html")):
        where = str(template.relative_to(ROOT))
        for lineno, message, _comments, _context in extract_from_file(
                "jinja2.ext:babel_extract", str(template), keywords={"_": None,
                                                                     "gettext": None}):
            if isinstance(message, str):
                catalog.add(message, locations=[(where, lineno)])
    return catalog


def main() -> int:
    pot = template()
    with (LOCALE / "pos_exchange.pot").open("wb") as out:
        write_po(out, pot, omit_header=False, sort_output=True, width=100)
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/pos_exchange.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as out:
            write_po(out, catalog, sort_output=True, width=100)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
