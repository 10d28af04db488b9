"""The neighbourhood report and a workshop's paper capture sheets, as PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from palabre.core.pdf import public_pdf
from palabre.workshops.models import Workshop

# Boxes on a capture sheet: one idea each, large enough to write two or three lines by hand.
BOXES_PER_SHEET = 8


def report_pdf(context: dict[str, Any]) -> bytes:
    """Return the synthesis of a neighbourhood as an A4 PDF (same body as the web page)."""
    return public_pdf(render_to_string("contributions/print/report.html", context))


def sheet_code(workshop: Workshop, index: int) -> str:
    """The code printed on the capture sheet of a question, and shown where it is typed in."""
    return f"A{workshop.pk}-Q{index + 1}"


def capture_sheets_pdf(workshop: Workshop) -> bytes:
    """Return one A4 capture sheet per guiding question of `workshop`, each with its code."""
    sheets = [
        {"question": question, "code": sheet_code(workshop, index), "number": index + 1}
        for index, question in enumerate(workshop.guiding_questions)
    ]
    html = render_to_string(
        "contributions/print/capture_sheets.html",
        {"workshop": workshop, "sheets": sheets, "boxes": range(1, BOXES_PER_SHEET + 1)},
    )
    return public_pdf(html)  # blank sheets: nothing personal, the same for everyone
