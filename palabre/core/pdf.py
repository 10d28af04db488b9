"""HTML to PDF with WeasyPrint, which fetches nothing but data: URIs (no file, no network)."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

from palabre.core.caching import remembered


def layout(html: str) -> Document:
    """Lay `html` out on pages (the slow part of making a PDF)."""
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()


def pdf(html: str) -> bytes:
    """Return `html` as a PDF."""
    made: bytes = layout(html).write_pdf()
    return made


def repeated(html: str, times: int) -> bytes:
    """Return `html`, one page, as a PDF of `times` identical pages (a batch of flyers).

    The page is laid out and painted once; the copies share its content in the file (pypdf,
    ADR 0084). WeasyPrint's own copies are painted one by one: 250 sheets took 40 s and 2.8 MB
    against 2.4 s and 0.1 MB this way (benchmarks/workshops_speed.py)."""
    reader = PdfReader(io.BytesIO(pdf(html)))
    writer = PdfWriter()
    for _ in range(times):
        for page in reader.pages:
            writer.add_page(page)
    made = io.BytesIO()
    writer.write(made)
    return made.getvalue()


def public_pdf(html: str) -> bytes:
    """Return `html` as a PDF, made once for the same HTML (palabre.core.caching).

    Only for documents anyone may download again and again (reports, minutes, the sheet of
    requests): a change to what they show changes the HTML, hence the key. Never for documents
    with contact details (sign-in sheets), which must not sit in a cache.
    """
    return remembered("pdf", (html,), lambda: pdf(html))


def qr_code(url: str) -> str:
    """A QR code of `url` for printed matter, as an inline SVG (medium error correction: it
    still reads when a corner is folded or smudged)."""
    return str(segno.make(url, error="m").svg_data_uri(border=0, dark="#1c2529"))


def data_uri(file: Any, mime: str = "image/png") -> str | None:
    """Return an image file inline (a PDF may fetch nothing), or None without one. Uploads are
    re-encoded as PNG (core.images)."""
    if not file:
        return None
    try:
        with file.open("rb") as opened:
            return f"data:{mime};base64," + base64.b64encode(opened.read()).decode("ascii")
    except OSError:
        return None  # a missing file must not stop the printing
