"""Code 128 for the exchange number: code sets chosen for the shortest symbol, its width.

The receipt printer draws the bars itself (ESC/POS ``GS k``) when the symbol fits the
paper at 2 dots or more per module; otherwise we draw them (module_pattern) at 1 dot.
Both come from the same symbol values, so the width we compute is the width printed.

Code set B carries the letters and dashes; runs of digits go in code set C (two digits
per symbol) where that saves symbols: 4+ digits at the start or the end, 6+ between
(a switch costs one symbol each way). ``EX-S001-R01-000001-V`` is then 244 modules,
not 255 in set B alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barcode.charsets.code128 import CODES, STOP  # type: ignore[import-untyped]  # bar patterns, python-escpos's dependency (python-barcode)

START = {"B": 104, "C": 105}
SWITCH = {"B": 100, "C": 99}
MODULES_PER_SYMBOL = 11
STOP_MODULES = len(STOP) + 2  # the stop pattern and its 2-module termination bar
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Code128:
    """The symbol for ``text``: its code set runs, values (start and check included)."""

    text: str
    runs: tuple[tuple[str, str], ...]   # (code set, characters), in order

    @property
    def values(self) -> list[int]:
        values: list[int] = []
        for code_set, chars in self.runs:
            values.append(START[code_set] if not values else SWITCH[code_set])
            if code_set == "C":
                values += [int(chars[i:i + 2]) for i in range(0, len(chars), 2)]
            else:
                values += [ord(c) - 32 for c in chars]
        check = (values[0] + sum(i * v for i, v in enumerate(values[1:], 1))) % 103
        return [*values, check]

    @property
    def modules(self) -> int:
        """Width in modules, quiet zones excluded."""
        return len(self.values) * MODULES_PER_SYMBOL + STOP_MODULES

    def escpos_data(self) -> bytes:
        """The ``GS k`` (m = 73) payload: ``{B``/``{C`` select the code set; in set C each
        byte is the value of a digit pair (Epson ESC/POS reference, GS k, CODE128)."""
        out = b""
        for code_set, chars in self.runs:
            out += b"{" + code_set.encode()
            if code_set == "C":
                out += bytes(int(chars[i:i + 2]) for i in range(0, len(chars), 2))
            else:
                out += chars.replace("{", "{{").encode("ascii")
        return out

    def module_pattern(self) -> str:
        """'1' for a bar module, '0' for a space, start to termination bar."""
        return "".join(CODES[v] for v in self.values) + STOP + "11"


def encode(text: str) -> Code128:
    """The shortest-symbol encoding of printable ASCII ``text`` (set B plus set C runs)."""
    if not text or any(not 32 <= ord(c) < 127 for c in text):
        raise ValueError(f"Code 128 set B/C cannot carry {text!r}")
    runs: list[tuple[str, str]] = []
    cursor = 0

    def add(code_set: str, chars: str) -> None:
        if not chars:
            return
        if runs and runs[-1][0] == code_set:
            runs[-1] = (code_set, runs[-1][1] + chars)
        else:
            runs.append((code_set, chars))

    for match in DIGITS.finditer(text):
        start, end = match.span()
        digits = match.group()
        at_start, at_end = start == 0, end == len(text)
        if len(digits) < (4 if at_start or at_end else 6):
            continue
        if len(digits) % 2:  # an odd digit stays in set B: before the run, or after at the start
            if at_start:
                end -= 1
            else:
                start += 1
        add("B", text[cursor:start])
        add("C", text[start:end])
        cursor = end
    add("B", text[cursor:])
    return Code128(text, tuple(runs))
