"""Labelled contributions: reading the `text,theme` CSV files and the shipped data set."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from palabre.themes.model import ThemesError

REQUIRED_COLUMNS = ("text", "theme")


@dataclass(frozen=True)
class LabelledSet:
    """Texts and their themes, in file order; `skipped` counts rows without text or theme."""

    texts: tuple[str, ...]
    themes: tuple[str, ...]
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.texts)

    def __add__(self, other: LabelledSet) -> LabelledSet:
        return LabelledSet(
            self.texts + other.texts, self.themes + other.themes, self.skipped + other.skipped
        )


def parse_labelled(content: str, name: str = "input") -> LabelledSet:
    """Parse CSV text with a header row holding (at least) the columns `text` and `theme`.

    Rows whose text or theme is blank are skipped and counted. Raise ThemesError, naming `name`,
    when the content has no header, lacks a column, has a malformed row or no labelled row.
    """
    if content.startswith("\ufeff"):
        content = content[1:]
    if not content.strip():
        raise ThemesError(f"{name}: the file is empty")
    try:
        reader = csv.reader(io.StringIO(content, newline=""), strict=True)
        header: list[str] = []
        for first in reader:  # the header is the first row that is not blank
            if any(cell.strip() for cell in first):
                header = [column.strip().lower() for column in first]
                break
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            found = ", ".join(repr(c) for c in header if c) or "none"
            raise ThemesError(
                f"{name}: missing column {' and '.join(repr(c) for c in missing)} "
                f"in the header row (found: {found}); the header needs 'text' and 'theme'"
            )
        text_at, theme_at = header.index("text"), header.index("theme")
        texts: list[str] = []
        themes: list[str] = []
        skipped = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank line
            text = row[text_at].strip() if text_at < len(row) else ""
            theme = row[theme_at].strip() if theme_at < len(row) else ""
            if text and theme:
                texts.append(text)
                themes.append(theme)
            else:
                skipped += 1
    except csv.Error as error:
        raise ThemesError(
            f"{name}: not a valid CSV file (line {reader.line_num}: {error})"
        ) from error
    if not texts:
        raise ThemesError(f"{name}: no row has both a text and a theme")
    return LabelledSet(tuple(texts), tuple(themes), skipped)


def read_labelled(path: Path) -> LabelledSet:
    """Read a UTF-8 CSV file of labelled texts (see :func:`parse_labelled`)."""
    try:
        content = path.read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise ThemesError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise ThemesError(f"{path}: is a folder, not a CSV file") from error
    except UnicodeDecodeError as error:
        raise ThemesError(
            f"{path}: not UTF-8 text (byte {error.start}); save the CSV as UTF-8"
        ) from error
    except OSError as error:
        raise ThemesError(f"{path}: cannot read ({error.strerror or error})") from error
    return parse_labelled(content, str(path))


def builtin(name: str = "train") -> LabelledSet:
    """The shipped labelled set: `train` (the platform's starting model) or `test` (held out)."""
    if name not in {"train", "test"}:
        raise ValueError(f"unknown shipped set {name!r}")
    resource = resources.files("palabre.themes") / "data" / f"{name}.csv"
    return parse_labelled(resource.read_text(encoding="utf-8"), f"{name}.csv")
