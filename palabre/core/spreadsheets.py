"""Text written into a CSV file that people open in a spreadsheet."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Return `text` so that a spreadsheet shows it and never runs it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
