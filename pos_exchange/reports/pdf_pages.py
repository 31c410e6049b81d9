"""PDF pages for the back office's documents, with fpdf2.

Why fpdf2: it is pure Python with no system libraries (weasyprint needs Pango and Cairo,
reportlab's C accelerator and larger API buy nothing here), small enough for a register,
and its ``table()`` lays out the Z-report's label/amount rows directly. Text is set in
DejaVu Sans when the system has it (Debian: fonts-dejavu-core), so "−", "—" and "€" print;
without it the PDF core font is used and those few characters are written in Latin-1
equivalents ("-", "EUR").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pos_exchange.domain.errors import ConfigError

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
    "C:/Windows/Fonts/DejaVuSans.ttf",
)
LATIN1 = str.maketrans({"−": "-", "—": "-", "–": "-", "€": "EUR", "•": "*", "…": "...",
                        "“": '"', "”": '"', "’": "'"})


def _font() -> tuple[str | None, str | None]:
    for path in FONT_PATHS:
        regular = Path(path)
        bold = regular.with_name("DejaVuSans-Bold.ttf")
        if regular.exists():
            return str(regular), str(bold) if bold.exists() else str(regular)
    return None, None


class Pages:
    """A4 pages of headed sections of (label, amount) rows."""

    def __init__(self, title: str) -> None:
        try:
            from fpdf import FPDF
        except ImportError:  # the [counter] extra
            raise ConfigError("PDF_UNAVAILABLE") from None
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("pos-exchange")
        regular, bold = _font()
        if regular:
            self.pdf.add_font("body", "", regular)
            self.pdf.add_font("body", "B", bold or regular)
            self.family, self.unicode = "body", True
        else:
            self.family, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: str) -> str:
        return value if self.unicode else value.translate(LATIN1).encode(
            "latin-1", "replace").decode("latin-1")

    def heading(self, value: str, size: int = 16) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def paragraph(self, value: str, size: int = 10) -> None:
        self.pdf.set_font(self.family, "", size)
        self.pdf.multi_cell(0, 5, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def rows(self, title: str, rows: Sequence[tuple[str, str, bool]]) -> None:
        self.pdf.ln(3)
        self.heading(title, 12)
        self.pdf.set_font(self.family, "", 10)
        with self.pdf.table(col_widths=(130, 50), first_row_as_headings=False,
                            borders_layout="HORIZONTAL_LINES", line_height=6,
                            text_align=("LEFT", "RIGHT")) as table:
            for label, amount, bold in rows:
                row = table.row()
                style = "B" if bold else ""
                self.pdf.set_font(self.family, style, 10)
                row.cell(self.text(label))
                row.cell(self.text(amount))

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())
