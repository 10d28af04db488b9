"""Argument parsing shared by the engine commands: a mistake ends with a message and exit code 2,
never a traceback or an exit from inside a library. No Django import here."""

from __future__ import annotations

import argparse
from typing import NoReturn

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A command-line mistake; its text is the usage line and what is wrong."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of exiting the process."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """Return the parsed arguments, or the exit code when parsing ends the command (--help, or
    a mistake, whose message is written to standard error)."""
    import sys

    try:
        return parser.parse_args(argv)
    except UsageError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_BAD_INPUT
    except SystemExit as done:  # --help prints, then asks to exit
        return done.code if isinstance(done.code, int) else EXIT_OK
