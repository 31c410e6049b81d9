"""Every reason code the code base raises has a sentence, in English and in German.

The scan reads the source: any ``SomeError("CODE", ...)`` or ``Finding("CODE", ...)``
call, with its ``variant=`` when it gives one as a literal. A code raised without a
template would reach a CSR as a bare code; a template without a German translation would
reach a German store in English.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_exchange.domain.errors import BadInput, Refused
from pos_exchange.domain.money import Money
from pos_exchange.domain.policy import Finding, Severity
from pos_exchange.message_catalogue import CATALOGUE, WORDS
from pos_exchange.messages import Renderer, render, translations

ROOT = Path(__file__).resolve().parents[2] / "pos_exchange"
EXTRACT = ROOT.parent / "scripts" / "extract-messages.py"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
RAISE = re.compile(
    r"\b(?:[A-Z][A-Za-z]*(?:Error|Refused|NotFound|BadInput|Unavailable|Transition|Rejected|"
    r"Stock|Forbidden|Unauthorized|Conflict)|Refused|NotFound|BadInput|Unavailable|Finding|"
    r"Forbidden|Unauthorized|Conflict|Flag)"
    r"\(\s*\"([A-Z][A-Z0-9_]+)\"(?P<rest>[^)]{0,200})")
VARIANT = re.compile(r"variant=\"([a-z_]+)\"")


def raised_codes() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path.name in ("message_catalogue.py",):
            continue
        for match in RAISE.finditer(path.read_text(encoding="utf-8")):
            code, rest = match.group(1), match.group("rest")
            variant = VARIANT.search(rest)
            found.add(f"{code}:{variant.group(1)}" if variant else code)
    return found


def test_every_raised_code_has_a_sentence() -> None:
    missing = sorted(code for code in raised_codes()
                     if code not in CATALOGUE and code.split(":")[0] not in CATALOGUE)
    assert not missing, f"reason codes without a sentence in message_catalogue.py: {missing}"


def test_every_sentence_and_word_has_a_german_translation() -> None:
    german = translations("de")
    untranslated = sorted(text for text in [*CATALOGUE.values(), *WORDS.values()]
                          if text not in german)
    assert not untranslated, f"{len(untranslated)} sentences lack German: {untranslated[:5]}"


def _extracted_msgids() -> set[str]:
    """What scripts/extract-messages.py puts in the template: the catalogue, and every
    ``_("…")`` of the command line, receipts, Z-report and hub console templates."""
    spec = importlib.util.spec_from_file_location("extract_messages", EXTRACT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {str(m.id) for m in module.template() if m.id}


def test_the_extraction_reaches_every_source_of_words() -> None:
    # One word of each source: the extraction once read none of the _() calls (babel
    # yields (lineno, message, comments, context)), so receipts printed English in German.
    extracted = _extracted_msgids()
    for word in ("No exchanges.", "Returned credit", "Upgrades", "Hub console",
                 "Reconciliation queue"):
        assert word in extracted, word


def test_every_extracted_word_has_a_german_translation() -> None:
    german = translations("de")
    untranslated = sorted(_extracted_msgids() - set(german))
    assert not untranslated, (f"{len(untranslated)} words lack German (run "
                              f"scripts/extract-messages.py, then translate): "
                              f"{untranslated[:5]}")


def test_german_keeps_every_placeholder() -> None:
    wrong = [(english, german) for english, german in translations("de").items()
             if sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(german))]
    assert not wrong, f"placeholders changed in German: {wrong[:3]}"


def test_money_is_rendered_in_the_readers_format() -> None:
    exc = Refused("PAYMENT_INCOMPLETE", due=Money(5515, "USD"))
    assert render(exc) == "$55.15 is still due: take the payment before finalizing."
    german = Renderer("de_DE")(exc)
    assert "55,15" in german and "$" in german


def test_variants_and_words() -> None:
    exc = Refused("ILLEGAL_TRANSITION", variant="action", action="take_payment",
                  number="EX-S001-R01-000001-V", state="DRAFT")
    assert render(exc) == "Cannot take a payment: exchange EX-S001-R01-000001-V is a draft."
    assert render(BadInput("INVALID_AMOUNT", variant="decimals", amount="1.001",
                           currency="USD")) == "1.001 has more decimal places than USD allows."


def test_findings_render_like_errors() -> None:
    finding = Finding("APPROVAL_GAP", Severity.APPROVAL, {"gap": Money(19658, "USD"),
                                                           "limit": Money(10000, "USD")})
    assert render(finding) == "A difference of $196.58 needs a manager's approval."
    assert Finding.from_dict(finding.as_dict()) == finding


def test_times_are_the_stores_local_time() -> None:
    from zoneinfo import ZoneInfo

    until = datetime(2026, 11, 20, 16, 5, tzinfo=UTC)
    text = Renderer("en_US", ZoneInfo("America/Chicago"))(Refused("ACCOUNT_LOCKED", until=until))
    assert "10:05" in text and "UTC" not in text


@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
def test_an_unknown_code_is_shown_as_itself(locale: str) -> None:
    assert Renderer(locale)(Refused("NO_SUCH_CODE_X")) == "NO_SUCH_CODE_X"
