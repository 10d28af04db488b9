"""Text written into a CSV file that people open in a spreadsheet."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Return `text` so that a spreadsheet shows it and never runs it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str) -> tuple[HttpResponse, Any]:
    """An attachment named `filename` and a CSV writer into it; the file starts with a
    byte-order mark so that spreadsheets open the accents right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response)
