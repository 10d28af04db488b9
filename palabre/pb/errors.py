"""Errors raised by the participatory-budgeting engine."""

from __future__ import annotations


class PbError(Exception):
    """Base class of the engine's expected errors (bad input, unknown project, bad option)."""


class PbFormatError(PbError):
    """A pabulib file that cannot be read, with the line where the problem was found."""

    def __init__(self, line: int | None, message: str, path: str | None = None) -> None:
        self.line = line
        self.message = message
        self.path = path
        where = path or "<input>"
        prefix = f"{where}:{line}: " if line is not None else f"{where}: "
        super().__init__(prefix + message)
