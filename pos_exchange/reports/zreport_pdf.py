"""The Z-report (or X-report) as a PDF page: the same document the printer gets."""

from __future__ import annotations

from pos_exchange.reports.pdf_pages import Pages
from pos_exchange.reports.zdocument import ZDocument


def pdf_bytes(doc: ZDocument) -> bytes:
    pages = Pages(doc.title)
    pages.heading(doc.title)
    for text in doc.header:
        pages.paragraph(text)
    for title, rows in doc.sections:
        pages.rows(title, [(row.left, row.right, row.bold) for row in rows])
    pages.pdf.ln(4)
    for text in doc.footer:
        pages.paragraph(text, 8)
    return pages.bytes()
