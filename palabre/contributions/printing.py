"""The neighbourhood report as PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from palabre.core.pdf import public_pdf


def report_pdf(context: dict[str, Any]) -> bytes:
    """Return the synthesis of a neighbourhood as an A4 PDF (same body as the web page)."""
    return public_pdf(render_to_string("contributions/print/report.html", context))
