"""What a keyboard-wedge scan is, decided from key timestamps alone (no Qt here, so it is
tested with explicit times): `BurstDetector` tells a scanner's burst of keys from a person
typing. gui/scanner.py applies it to the window's keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScannerConfig:
    """How the store's scanners are set up. The defaults match a factory-set scanner."""

    prefix: str = ""  # sent before the code; most scanners send nothing
    suffix: str = "\r"  # sent after the code; usually Enter. "" means: a pause ends it
    max_gap_ms: int = 35  # scanners type a key every 1-15 ms; people rarely below 50 ms
    min_length: int = 4  # a shorter fast burst is someone typing, not a barcode
    max_length: int = 256  # longer without a suffix is not a scan (garbage, a stuck key)

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0:
            raise ValueError("The scanner key gap must be more than 0 ms.")
        if self.min_length < 1:
            raise ValueError("The shortest scanned code must be at least 1 character.")
        if self.max_length < self.min_length:
            raise ValueError("The longest scanned code cannot be shorter than the shortest.")


@dataclass(frozen=True)
class Scan:
    """A completed burst: `code` without prefix and suffix, `raw` as it was typed."""

    code: str
    raw: str


@dataclass(frozen=True)
class Replay:
    """Characters that were typing after all, to hand back in this order."""

    chars: str


Event = Scan | Replay


class BurstDetector:
    """Decides, one character at a time, whether the keys are a scanner burst.

    Every character is held until the decision is made; each one comes back exactly
    once, either inside a `Scan` or a `Replay`, and always in the order it was fed.
    A burst is: every gap at most `max_gap_ms`, starting with the prefix, ending with
    the suffix, with at least `min_length` characters of code in between.
    """

    def __init__(self, config: ScannerConfig | None = None) -> None:
        self.config = config or ScannerConfig()
        self._held: list[str] = []
        self._last_ms = 0.0

    @property
    def pending(self) -> str:
        """The characters held while the decision is open."""
        return "".join(self._held)

    def deadline(self) -> float | None:
        """When the held characters are released if nothing else arrives (ms)."""
        return self._last_ms + self.config.max_gap_ms if self._held else None

    def feed(self, char: str, t_ms: float) -> list[Event]:
        if len(char) != 1:
            raise ValueError(f"Feed one character at a time, not {char!r}.")
        events: list[Event] = []
        if self._held and t_ms - self._last_ms > self.config.max_gap_ms:
            events += self._timeout()  # too slow to belong to the held burst
        self._held.append(char)
        self._last_ms = t_ms
        events += self._drop_unviable_start()
        text = self.pending
        prefix, suffix = self.config.prefix, self.config.suffix
        if suffix and text.endswith(suffix) and len(text) >= len(prefix) + len(suffix):
            self._held.clear()
            code = text[len(prefix):len(text) - len(suffix)]
            events.append(Scan(code, text) if len(code) >= self.config.min_length
                          else Replay(text))
        elif len(text) > len(prefix) + self.config.max_length + len(suffix):
            self._held.clear()
            events.append(Replay(text))
        return events

    def flush(self, t_ms: float | None = None) -> list[Event]:
        """The timeout path: release what is held once `max_gap_ms` has passed since
        the last key. Without `t_ms` the caller's timer says the time is up."""
        if not self._held:
            return []
        if t_ms is not None and t_ms - self._last_ms <= self.config.max_gap_ms:
            return []  # a next key may still come
        return self._timeout()

    def abort(self) -> list[Event]:
        """Give back everything held as typing (another key interrupted the burst)."""
        text, self._held = self.pending, []
        return [Replay(text)] if text else []

    def _timeout(self) -> list[Event]:
        text, self._held = self.pending, []
        prefix = self.config.prefix
        # Only a scanner set up without a suffix ends its codes with a pause.
        if (not self.config.suffix and text.startswith(prefix)
                and len(text) - len(prefix) >= self.config.min_length):
            return [Scan(text[len(prefix):], text)]
        return [Replay(text)]

    def _drop_unviable_start(self) -> list[Event]:
        # With a prefix, held keys that cannot begin it are typing: give them back at
        # once, so only keys that may open a burst wait.
        prefix = self.config.prefix
        dropped = []
        while self._held:
            text = self.pending
            if text.startswith(prefix) or prefix.startswith(text):
                break
            dropped.append(self._held.pop(0))
        return [Replay("".join(dropped))] if dropped else []
