"""Scanner input: burst detection, the application-wide wedge, serial scanners, codes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Iterator

import pytest
import shiboken6
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.domain.scan_codes import Classified, classify
from pos_exchange.gui.scanner import (
    BurstDetector,
    Event,
    Replay,
    Scan,
    ScannerConfig,
    SerialScanner,
    WedgeScanner,
)
from pos_exchange.messages import render

EAN13 = "4006381333931"


def feed_all(detector: BurstDetector, text: str, step_ms: float,
             start_ms: float = 0.0) -> tuple[list[Event], float]:
    events: list[Event] = []
    t = start_ms
    for char in text:
        t += step_ms
        events += detector.feed(char, t)
    return events, t


def replayed(events: list[Event]) -> str:
    return "".join(e.chars for e in events if isinstance(e, Replay))


# -- BurstDetector ---------------------------------------------------------------------


def test_fast_burst_with_suffix_is_one_scan_and_nothing_leaks_before() -> None:
    detector = BurstDetector()
    t = 0.0
    for char in EAN13:
        t += 5
        assert detector.feed(char, t) == []  # held, not typed, while the burst runs
    assert detector.feed("\r", t + 5) == [Scan(EAN13, EAN13 + "\r")]
    assert detector.pending == ""
    assert detector.flush() == []


def test_slow_typing_is_replayed_char_by_char_in_order() -> None:
    detector = BurstDetector()
    events, t = feed_all(detector, "hello 42", step_ms=200)
    # Each key releases the one before it; only the last waits for the timeout.
    assert events == [Replay(c) for c in "hello 4"]
    assert detector.pending == "2"
    assert detector.flush(t + 10) == []
    events += detector.flush(t + 200)
    events += detector.feed("\r", t + 400)  # Enter after typing needs no wait
    assert events == [Replay(c) for c in "hello 42\r"]
    assert detector.pending == ""


def test_enter_alone_is_released_at_once() -> None:
    detector = BurstDetector()
    assert detector.feed("\r", 1000) == [Replay("\r")]
    assert detector.pending == ""


def test_fast_but_short_burst_is_typing() -> None:
    detector = BurstDetector()
    events, _ = feed_all(detector, "ok\r", step_ms=5)
    assert events == [Replay("ok\r")]


def test_burst_without_suffix_is_replayed_after_the_timeout() -> None:
    detector = BurstDetector()
    events, t = feed_all(detector, "12345678", step_ms=5)
    assert events == []
    assert detector.deadline() == t + 35
    assert detector.flush(t + 35) == []  # the gap may still be closed by a next key
    assert detector.flush(t + 36) == [Replay("12345678")]
    assert detector.deadline() is None


def test_forced_flush_and_abort_release_everything() -> None:
    detector = BurstDetector()
    feed_all(detector, "123", step_ms=5)
    assert detector.flush() == [Replay("123")]
    feed_all(detector, "456", step_ms=5, start_ms=100)
    assert detector.abort() == [Replay("456")]
    assert detector.abort() == []


def test_prefix_is_required_and_stripped() -> None:
    detector = BurstDetector(ScannerConfig(prefix="]E0"))
    events, t = feed_all(detector, "]E0" + EAN13 + "\r", step_ms=4)
    assert events == [Scan(EAN13, "]E0" + EAN13 + "\r")]
    # A key that cannot begin the prefix is typing at once: no wait at all.
    assert detector.feed("a", t + 500) == [Replay("a")]
    # A prefix that goes wrong half-way gives the keys back.
    events, _ = feed_all(detector, "]Ex", step_ms=4, start_ms=t + 1000)
    assert events == [Replay("]Ex")]
    # A fast burst without the prefix is not a scan.
    events, _ = feed_all(detector, "12345678\r", step_ms=4, start_ms=t + 2000)
    assert replayed(events) == "12345678\r"
    assert detector.pending == ""


def test_burst_immediately_followed_by_typing() -> None:
    detector = BurstDetector()
    events, t = feed_all(detector, EAN13 + "\r", step_ms=5)
    assert events == [Scan(EAN13, EAN13 + "\r")]
    events = detector.feed("x", t + 10)  # the cashier starts typing right away
    assert events == []
    events += detector.feed("y", t + 300)
    events += detector.flush(t + 400)
    assert events == [Replay("x"), Replay("y")]
    events, _ = feed_all(detector, "96385074\r", step_ms=5, start_ms=t + 1000)
    assert events == [Scan("96385074", "96385074\r")]


def test_slow_key_inside_a_burst_breaks_it() -> None:
    detector = BurstDetector()
    events, t = feed_all(detector, "1234", step_ms=5)
    events += detector.feed("5", t + 100)  # a person, not a scanner
    events += detector.feed("\r", t + 105)
    assert events == [Replay("1234"), Replay("5\r")]


def test_suffixless_scanner_ends_codes_with_the_pause() -> None:
    detector = BurstDetector(ScannerConfig(suffix=""))
    events, t = feed_all(detector, EAN13, step_ms=5)
    assert events == []
    assert detector.flush(t + 50) == [Scan(EAN13, EAN13)]
    feed_all(detector, "ab", step_ms=5, start_ms=t + 100)
    assert detector.flush() == [Replay("ab")]  # too short to be a code


def test_overlong_burst_without_suffix_is_given_back() -> None:
    detector = BurstDetector(ScannerConfig(max_length=10))
    events, _ = feed_all(detector, "x" * 12, step_ms=1)
    assert events == [Replay("x" * 12)]
    assert detector.pending == ""


def test_other_suffixes() -> None:
    detector = BurstDetector(ScannerConfig(suffix="\r\n"))
    events, _ = feed_all(detector, EAN13 + "\r\n", step_ms=5)
    assert events == [Scan(EAN13, EAN13 + "\r\n")]
    detector = BurstDetector(ScannerConfig(suffix="\t"))
    events, _ = feed_all(detector, "S001-000001\t", step_ms=5)
    assert events == [Scan("S001-000001", "S001-000001\t")]


def test_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="gap"):
        ScannerConfig(max_gap_ms=0)
    with pytest.raises(ValueError, match="shortest"):
        ScannerConfig(min_length=0)
    with pytest.raises(ValueError, match="one character"):
        BurstDetector().feed("ab", 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("0123456789ab]\r"), st.integers(0, 120)),
                max_size=60),
       st.sampled_from(["", "]"]), st.sampled_from(["\r", ""]))
def test_every_character_comes_back_exactly_once_in_order(
        keys: list[tuple[str, int]], prefix: str, suffix: str) -> None:
    detector = BurstDetector(ScannerConfig(prefix=prefix, suffix=suffix))
    out: list[str] = []
    t = 0.0
    for char, gap in keys:
        t += gap
        for ev in detector.feed(char, t):
            out.append(ev.raw if isinstance(ev, Scan) else ev.chars)
    for ev in detector.flush():
        out.append(ev.raw if isinstance(ev, Scan) else ev.chars)
    assert "".join(out) == "".join(char for char, _ in keys)
    assert detector.pending == ""


# -- WedgeScanner ----------------------------------------------------------------------


class FakeClock:
    """Milliseconds that only move when the test says so."""

    def __init__(self) -> None:
        self.ms = 1_000.0

    def __call__(self) -> float:
        return self.ms


def send(widget: QWidget, text: str, clock: FakeClock, step_ms: float) -> None:
    """Press and release each key like a keyboard (Shift for capitals), `step_ms` apart."""
    for char in text:
        clock.ms += step_ms
        if char == "\r":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif char == "\b":
            QTest.keyClick(widget, Qt.Key.Key_Backspace)
        elif char.isupper():
            QTest.keyClick(widget, char, Qt.KeyboardModifier.ShiftModifier)
        else:
            QTest.keyClick(widget, char)


class Counter:
    def __init__(self) -> None:
        self.dialog = QDialog()
        self.line = QLineEdit(self.dialog)
        self.ok = QPushButton("OK", self.dialog)
        self.ok.setAutoDefault(True)
        self.ok.setDefault(True)
        layout = QVBoxLayout(self.dialog)
        layout.addWidget(self.line)
        layout.addWidget(self.ok)
        self.clicks = 0
        self.returns = 0
        self.ok.clicked.connect(self._click)
        self.line.returnPressed.connect(self._return)

    def _click(self) -> None:
        self.clicks += 1

    def _return(self) -> None:
        self.returns += 1


@pytest.fixture
def fake_ms() -> FakeClock:
    return FakeClock()


@pytest.fixture
def wedge(qapp: QApplication, fake_ms: FakeClock) -> Iterator[WedgeScanner]:
    scanner = WedgeScanner(clock=fake_ms)
    qapp.installEventFilter(scanner)
    yield scanner
    scanner.uninstall(qapp)
    assert not scanner._timer.isActive()
    shiboken6.delete(scanner)  # with its timer, now rather than at some later loop


@pytest.fixture
def counter(qtbot) -> Counter:
    window = Counter()
    qtbot.addWidget(window.dialog)  # closed and deleted after the test
    window.dialog.show()
    qtbot.waitExposed(window.dialog)
    window.dialog.activateWindow()
    window.line.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.line)
    return window


def scans_of(wedge: WedgeScanner) -> list[str]:
    codes: list[str] = []
    wedge.scanned.connect(codes.append)
    return codes


def settle(qtbot, wedge: WedgeScanner) -> None:
    """Wait for the hold timer to hand back what it holds."""
    qtbot.waitUntil(lambda: wedge.pending == "" and not wedge._timer.isActive(),
                    timeout=1000)


def test_scan_is_emitted_and_the_focused_field_stays_empty(qtbot, wedge, counter,
                                                           fake_ms) -> None:
    codes = scans_of(wedge)
    send(counter.line, EAN13 + "\r", fake_ms, step_ms=5)
    assert codes == [EAN13]
    settle(qtbot, wedge)
    qtbot.wait(60)  # past the hold time: nothing arrives late either
    assert counter.line.text() == ""
    assert counter.clicks == 0  # the scan's Enter did not press the default button
    assert counter.returns == 0


def test_text_code_with_capitals_and_dashes_is_scanned(qtbot, wedge, counter,
                                                       fake_ms) -> None:
    codes = scans_of(wedge)
    send(counter.line, "EX-S001-R01-000042-D\r", fake_ms, step_ms=3)
    assert codes == ["EX-S001-R01-000042-D"]
    settle(qtbot, wedge)
    assert counter.line.text() == ""
    assert counter.clicks == 0


def test_slow_typing_reaches_the_field_unchanged(qtbot, wedge, counter, fake_ms) -> None:
    codes = scans_of(wedge)
    send(counter.line, "Hello 42", fake_ms, step_ms=200)
    settle(qtbot, wedge)
    assert counter.line.text() == "Hello 42"
    assert codes == []
    # A typed Enter still does what Enter does: the line edit and the default button.
    send(counter.line, "\r", fake_ms, step_ms=200)
    assert counter.returns == 1
    assert counter.clicks == 1
    assert codes == []


def test_fast_short_word_with_enter_is_typing(qtbot, wedge, counter, fake_ms) -> None:
    codes = scans_of(wedge)
    send(counter.line, "ok\r", fake_ms, step_ms=5)
    settle(qtbot, wedge)
    assert codes == []
    assert counter.line.text() == "ok"
    assert counter.returns == 1
    assert counter.clicks == 1


def test_scan_then_immediate_typing(qtbot, wedge, counter, fake_ms) -> None:
    codes = scans_of(wedge)
    send(counter.line, EAN13 + "\r", fake_ms, step_ms=5)
    send(counter.line, "ab", fake_ms, step_ms=10)  # fast, but no Enter: typing
    assert counter.line.text() == ""  # still held
    settle(qtbot, wedge)
    assert codes == [EAN13]
    assert counter.line.text() == "ab"


def test_held_keys_come_before_an_editing_key(qtbot, wedge, counter, fake_ms) -> None:
    send(counter.line, "abc", fake_ms, step_ms=200)
    send(counter.line, "\b", fake_ms, step_ms=5)  # Backspace right after the "c"
    settle(qtbot, wedge)
    assert counter.line.text() == "ab"


def test_scan_while_a_button_has_focus_does_not_press_it(qtbot, wedge, counter,
                                                         fake_ms) -> None:
    codes = scans_of(wedge)
    counter.ok.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.ok)
    send(counter.ok, "96385074\r", fake_ms, step_ms=5)
    settle(qtbot, wedge)
    assert codes == ["96385074"]
    assert counter.clicks == 0
    # A typed space on the button is replayed press-then-release, so it clicks once.
    send(counter.ok, " ", fake_ms, step_ms=200)
    settle(qtbot, wedge)
    assert counter.clicks == 1
    assert not counter.ok.isDown()


def test_scan_does_not_fire_an_enter_shortcut(qtbot, wedge, fake_ms) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    line = QLineEdit(window)
    fired: list[bool] = []
    action = QAction("Pay", window)
    action.setShortcut(QKeySequence(Qt.Key.Key_Return))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    line.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    codes = scans_of(wedge)
    send(line, EAN13 + "\r", fake_ms, step_ms=5)
    settle(qtbot, wedge)
    assert codes == [EAN13]
    assert fired == []
    send(line, "\r", fake_ms, step_ms=200)  # a person pressing Enter gets the shortcut
    assert fired == [True]


def test_default_monotonic_clock(qtbot, qapp: QApplication, counter) -> None:
    scanner = WedgeScanner()  # real clock: keys sent back to back are a burst
    codes = scans_of(scanner)
    qapp.installEventFilter(scanner)
    try:
        for char in "96385074":
            QTest.keyClick(counter.line, char)
        QTest.keyClick(counter.line, Qt.Key.Key_Return)
        assert codes == ["96385074"]
        QTest.keyClick(counter.line, "z")
        settle(qtbot, scanner)  # released by the real 35 ms timer
        assert counter.line.text() == "z"
    finally:
        scanner.uninstall(qapp)
        shiboken6.delete(scanner)


def test_disabled_wedge_lets_everything_through(qtbot, wedge, counter, fake_ms) -> None:
    codes = scans_of(wedge)
    wedge.enabled = False
    assert not wedge.isEnabled()
    send(counter.line, "12345678", fake_ms, step_ms=5)
    assert counter.line.text() == "12345678"  # at once, nothing held
    assert codes == []
    wedge.setEnabled(True)
    counter.line.clear()
    send(counter.line, "12345678\r", fake_ms, step_ms=5)
    assert codes == ["12345678"]
    assert counter.line.text() == ""


def test_disabling_releases_held_keys(qtbot, wedge, counter, fake_ms) -> None:
    send(counter.line, "12", fake_ms, step_ms=5)
    assert wedge.pending == "12"
    wedge.setEnabled(False)
    assert wedge.pending == ""
    assert counter.line.text() == "12"


# -- SerialScanner ---------------------------------------------------------------------


@pytest.fixture
def serial(qapp: QApplication) -> Iterator[tuple[SerialScanner, list[str], list[str]]]:
    scanner = SerialScanner("/dev/ttyTEST0")
    codes: list[str] = []
    errors: list[str] = []
    scanner.scanned.connect(codes.append)
    scanner.error.connect(errors.append)
    yield scanner, codes, errors
    scanner.close()
    shiboken6.delete(scanner)


def test_serial_splits_on_cr_lf_and_ignores_empty_lines(serial) -> None:
    scanner, codes, errors = serial
    scanner.feed_bytes(b"4006381333931\r\n96385074\n\r\n\rRCPT-000001\r")
    assert codes == [EAN13, "96385074", "RCPT-000001"]
    assert errors == []


def test_serial_joins_chunks_across_reads(serial) -> None:
    scanner, codes, _ = serial
    scanner.feed_bytes(b"40063813")
    assert codes == []
    scanner.feed_bytes(b"33931\r")
    scanner.feed_bytes(b"\nS001-0")
    scanner.feed_bytes(b"00001\r\n")
    assert codes == [EAN13, "S001-000001"]


def test_serial_strips_prefix_and_noise(qapp: QApplication) -> None:
    scanner = SerialScanner("COM3", config=ScannerConfig(prefix="]E0"))
    codes: list[str] = []
    scanner.scanned.connect(codes.append)
    scanner.feed_bytes(b"]E04006381333931\r\n\x00 96385074 \r\n\xff\xfeA\r")
    assert codes == [EAN13, "96385074", "\xff\xfeA"]  # odd bytes decode, never raise
    shiboken6.delete(scanner)


def test_serial_custom_suffix(qapp: QApplication) -> None:
    scanner = SerialScanner("COM3", config=ScannerConfig(suffix="\t"))
    codes: list[str] = []
    scanner.scanned.connect(codes.append)
    scanner.feed_bytes(b"BADGE-MGR1\tAPP-TSHIRT-G-001\r\n")
    assert codes == ["BADGE-MGR1", "APP-TSHIRT-G-001"]
    shiboken6.delete(scanner)


def test_serial_drops_garbage_without_terminator(serial) -> None:
    scanner, codes, errors = serial
    scanner.feed_bytes(b"x" * 200)
    assert errors == []
    scanner.feed_bytes(b"x" * 100)
    assert len(errors) == 1
    assert "/dev/ttyTEST0" in errors[0] and "300 characters" in errors[0]
    scanner.feed_bytes(b"y" * 400)  # the same run: no second message
    assert len(errors) == 1
    scanner.feed_bytes(b"tail\r\n96385074\r\n")  # the garbage's tail is not a code
    assert codes == ["96385074"]


def test_serial_open_failure_names_the_port(tmp_path, qapp: QApplication) -> None:
    missing = str(tmp_path / "ttyUSB9")
    scanner = SerialScanner(missing)
    errors: list[str] = []
    scanner.error.connect(errors.append)
    assert scanner.open() is False
    assert not scanner.is_open()
    assert len(errors) == 1
    assert errors[0].startswith(f"The scanner on {missing} cannot be opened: ")
    assert errors[0].endswith("Check the cable and the port in the configuration.")
    shiboken6.delete(scanner)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
def test_serial_reads_a_real_pseudo_terminal(qtbot) -> None:
    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), baud=115200)
    try:
        codes: list[str] = []
        errors: list[str] = []
        scanner.scanned.connect(codes.append)
        scanner.error.connect(errors.append)
        assert scanner.open(), errors
        assert scanner.open()  # opening twice is harmless
        with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
            os.write(master, b"4006381333931\r\n")
        assert blocker.args == [EAN13]
        os.write(master, b"EX-S001-R01-0")
        os.write(master, b"00042-D\r\n96385074\r\n")
        qtbot.waitUntil(lambda: len(codes) == 3, timeout=2000)
        assert codes == [EAN13, "EX-S001-R01-000042-D", "96385074"]
        assert errors == []
        scanner.close()
        assert not scanner.is_open()
    finally:
        scanner.close()
        shiboken6.delete(scanner)
        os.close(master)
        os.close(slave)


# -- classify --------------------------------------------------------------------------


@pytest.mark.parametrize("code", [EAN13, "036000291452", "96385074", "10012345678902"])
def test_valid_product_codes(code: str) -> None:
    assert classify(code) == Classified("product", code)


def test_product_code_whitespace_is_normalised() -> None:
    assert classify(" 4 006381 333931\r\n") == Classified("product", EAN13)
    assert classify("４００６３８１３３３９３１") == Classified("product", EAN13)  # full width


def test_wrong_check_digit() -> None:
    result = classify("4006381333932")
    assert result.kind == "invalid"
    assert result.code == "4006381333932"
    assert render(result.reason, result.params) == \
        "Invalid check digit in 4006381333932: scan again or type the code."
    assert classify("036000291453").kind == "invalid"
    assert classify("96385075").kind == "invalid"


@pytest.mark.parametrize("code", ["1234", "1234567", "12345678901", "123456789012345"])
def test_digits_of_the_wrong_length(code: str) -> None:
    result = classify(code)
    assert result.kind == "invalid"
    assert "not a valid EAN/UPC length" in render(result.reason, result.params)
    assert code in render(result.reason, result.params)


@pytest.mark.parametrize("code", ["RCPT-000001", "S001-000001", "APP-TSHIRT-G-001",
                                  "BADGE-MGR1", "EX-S001-R01-000042-D", "978-0-471-11709-4"])
def test_text_codes_pass_through(code: str) -> None:
    assert classify(f"  {code}\r") == Classified("text", code)


def test_nothing_scanned() -> None:
    assert classify("") == Classified("invalid", "", "EMPTY_SCAN")
    assert classify(" \r\n") == Classified("invalid", "", "EMPTY_SCAN")
    assert render(classify("").reason) == "Nothing was scanned."
