"""The sentences people read, rendered at the edge from a reason code and its parameters.

Errors and findings carry a stable code and parameters (``domain/errors.py``); nothing
below the edges holds a sentence. The window, the command line and the hub call
``Renderer(locale, tz)(error)`` to get the sentence in the reader's language, with money in
the locale's format and times in the store's zone. The English templates below are the
msgids of a gettext catalogue; translations live in
``pos_exchange/locale/<lang>/LC_MESSAGES/pos_exchange.po`` (read with babel, no compile
step). Like Electrum's ``i18n.py``, this module is Qt-free, and a template is never an
f-string: the words are looked up first, the values filled in after.

A code may have variants (``CODE:variant``), chosen by a ``variant`` parameter, where one
refusal needs different words in different places.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from string import Formatter
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.money import Money, to_major
from pos_exchange.domain.policy import Finding
from pos_exchange.message_catalogue import CATALOGUE, WORDS

log = logging.getLogger(__name__)
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "pos_exchange"


@functools.cache
def translations(language: str) -> dict[str, str]:
    """msgid → translated text for one language (empty for English or a missing file)."""
    if language == "en":
        return {}
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po  # only when a translation is in use

    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


@functools.lru_cache(maxsize=8192)
def format_money(minor: int, currency: str, locale: str) -> str:
    """Minor units as the locale writes money ("$86.60", "86,60 €"): the one money
    formatter of the window, the receipt, the command line and the hub. Cached: babel
    takes about 0.2 ms per amount, and a scan repaints about 18 of them."""
    return format_currency(to_major(minor, currency), currency, locale=locale)


class Renderer:
    """Sentences for one reader: language and money format from ``locale``, times in
    ``tz`` (the store's zone)."""

    def __init__(self, locale: str = "en_US", tz: tzinfo = UTC) -> None:
        self.locale, self.tz = locale, tz
        self.language = locale.split("_")[0].lower()

    def gettext(self, text: str) -> str:
        return translations(self.language).get(text, text)

    def value(self, name: str, value: Any) -> str:
        if isinstance(value, Money):
            return format_money(value.minor, value.currency, self.locale)
        if isinstance(value, bool):
            return self.gettext("yes" if value else "no")
        if isinstance(value, datetime):
            return format_datetime(value.astimezone(self.tz), "short", locale=self.locale)
        if isinstance(value, date):
            return format_date(value, "medium", locale=self.locale)
        if isinstance(value, Decimal):
            return format_decimal(value, locale=self.locale)
        if isinstance(value, str) and (name, value) in WORDS:
            return self.gettext(WORDS[(name, value)])
        return str(value)

    def template(self, code: str, params: Mapping[str, Any]) -> str:
        variant = params.get("variant")
        text = CATALOGUE.get(f"{code}:{variant}") if variant else None
        text = text or CATALOGUE.get(code)
        if text is None:
            log.warning("no sentence for reason code %s", code)
            return code
        return self.gettext(text)

    def __call__(self, what: PosError | Finding | str,
                 params: Mapping[str, Any] | None = None) -> str:
        if isinstance(what, PosError | Finding):
            code, params = what.code, what.params
        else:
            code, params = what, params or {}
        text = self.template(code, params)
        wanted = {field for _, field, _, _ in Formatter().parse(text) if field}
        values = {name: self.value(name, params.get(name, "?")) for name in wanted}
        return text.format(**values)


ENGLISH = Renderer()


def render(what: PosError | Finding | str, params: Mapping[str, Any] | None = None, *,
           locale: str = "en_US", tz: tzinfo = UTC) -> str:
    """One sentence, e.g. ``render(exc, locale="de_DE")``."""
    return (ENGLISH if locale == "en_US" and tz is UTC else Renderer(locale, tz))(what, params)
