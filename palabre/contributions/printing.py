"""The neighbourhood report as PDF (WeasyPrint; it may fetch nothing but data: URIs)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def report_pdf(context: dict[str, Any]) -> bytes:
    """Return the synthesis of a neighbourhood as an A4 PDF (same body as the web page)."""
    html = render_to_string("contributions/print/report.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    return pdf
