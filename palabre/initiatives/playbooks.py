"""Playbook files: a citizen action's template (steps, permits, checklist, budget) as TOML.

Cities share playbooks as files. Reading never trusts a file: every problem is reported with
its line and the reason, in the reader's language, and nothing is saved from a bad file. Pure
Python (no Django model); `tomllib` reads, `dump` writes the same layout back.

    kind = "street_party"
    title = "Fête de rue"
    description = "…"

    [[steps]]
    title = "Demander la fermeture de la rue"
    days_before = 42          # due this many days before the action's date
    permit = true             # a request the city must grant (goes through the follow-up)
    department = "voirie"     # optional: the department that grants it

    [[budget]]
    label = "Location de tables"
    amount = "120.00"         # euros, as text to keep the cents exact
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

KINDS = ("street_party", "beautification", "expression_board", "welcome", "other")
FORMAT = 1
MAX_AMOUNT = Decimal(10_000_000)  # the database keeps 9 digits, 2 after the point
LONGEST_DESCRIPTION = 5_000  # characters of a playbook's description
LONGEST_DETAILS = 2_000  # characters of a step's details


class PlaybookError(Exception):
    """A playbook file that cannot be read: the message names the line and the reason."""


@dataclass(frozen=True)
class Step:
    title: str
    days_before: int
    permit: bool = False
    department: str = ""
    description: str = ""


@dataclass(frozen=True)
class BudgetLine:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class PlaybookData:
    kind: str
    title: str
    description: str = ""
    steps: tuple[Step, ...] = field(default_factory=tuple)
    budget: tuple[BudgetLine, ...] = field(default_factory=tuple)


def _line_of(text: str, table: str, index: int) -> int:
    """The line of the `index`-th `[[table]]` header (1-based), or 1."""
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{table}]]"]
    return headers[index] if index < len(headers) else 1


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1


def _fail(line: int, reason: str) -> PlaybookError:
    return PlaybookError(_("Line %(line)d: %(reason)s") % {"line": line, "reason": reason})


def _text(value: object, *, line: int, name: str, required: bool = True, longest: int = 0) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(line, _("“%(name)s” must be a text.") % {"name": name})
    if longest and len(value.strip()) > longest:
        raise _fail(
            line,
            _("“%(name)s” has at most %(limit)d characters.") % {"name": name, "limit": longest},
        )
    return value.strip()


def _department(value: object, *, line: int) -> str:
    department = _text(value, line=line, name="department", required=False, longest=50)
    if not re.fullmatch(r"[-a-z0-9_]*", department):
        raise _fail(
            line, _("“department” is a short name in lower case without spaces, e.g. voirie.")
        )
    return department


def _tables(data: dict[str, object], text: str, name: str) -> list[dict[str, object]]:
    """The `[[name]]` tables of the file: anything else under that name is refused."""
    found = data.get(name, [])
    if isinstance(found, list) and all(isinstance(item, dict) for item in found):
        return found
    # Where the name is given: `name = …`, or a `[name]` header.
    pattern = rf"\s*(\[+\s*{re.escape(name)}\s*\]+|{re.escape(name)}\s*=)"
    line = next((n for n, row in enumerate(text.splitlines(), 1) if re.match(pattern, row)), 1)
    raise _fail(line, _("“%(name)s” must be a list of [[%(name)s]] tables.") % {"name": name})


def parse(text: str) -> PlaybookData:
    """Read a playbook file; refuse anything malformed with its line and reason."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else 1
        raise _fail(line, _("this is not valid TOML (%(detail)s).") % {"detail": error}) from None
    except RecursionError:
        # tomllib reads nested arrays by recursion: thousands of "[" exhaust Python's stack.
        raise _fail(1, _("values are nested too deeply for a playbook.")) from None
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(
            _key_line(text, "kind"),
            _("“kind” must be one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)},
        )
    title = _text(data.get("title"), line=_key_line(text, "title"), name="title", longest=150)
    description = _text(
        data.get("description"),
        line=_key_line(text, "description"),
        name="description",
        required=False,
        longest=LONGEST_DESCRIPTION,
    )
    steps = []
    for index, raw in enumerate(_tables(data, text, "steps")):
        line = _line_of(text, "steps", index)
        days = raw.get("days_before")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
            raise _fail(line, _("“days_before” must be a whole number of days from 0 to 365."))
        permit = raw.get("permit", False)
        if not isinstance(permit, bool):
            raise _fail(line, _("“permit” must be true or false."))
        steps.append(
            Step(
                title=_text(raw.get("title"), line=line, name="title", longest=200),
                days_before=days,
                permit=permit,
                department=_department(raw.get("department"), line=line),
                description=_text(
                    raw.get("description"),
                    line=line,
                    name="description",
                    required=False,
                    longest=LONGEST_DETAILS,
                ),
            )
        )
    budget = []
    for index, raw in enumerate(_tables(data, text, "budget")):
        line = _line_of(text, "budget", index)
        try:
            amount = Decimal(str(raw.get("amount", "")).replace(",", "."))
        except InvalidOperation:
            raise _fail(line, _('“amount” must be an amount in euros, e.g. "120.50".')) from None
        if (
            not amount.is_finite()
            or not 0 <= amount < MAX_AMOUNT
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise _fail(line, _('“amount” must be an amount in euros, e.g. "120.50".'))
        label = _text(raw.get("label"), line=line, name="label", longest=200)
        budget.append(BudgetLine(label, amount))
    return PlaybookData(kind, title, description, tuple(steps), tuple(budget))


ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in ESCAPES:
        return ESCAPES[char]
    return f"\\u{ord(char):04X}" if ord(char) < 0x20 or ord(char) == 0x7F else char


def _quote(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    return '"' + "".join(_escape(char) for char in value) + '"'


def dump(playbook: PlaybookData) -> str:
    """Write a playbook as the TOML `parse` reads (parse(dump(p)) == p)."""
    lines = [
        f"# Palabre playbook, format {FORMAT}",
        f"kind = {_quote(playbook.kind)}",
        f"title = {_quote(playbook.title)}",
        f"description = {_quote(playbook.description)}",
    ]
    for step in playbook.steps:
        lines += [
            "",
            "[[steps]]",
            f"title = {_quote(step.title)}",
            f"days_before = {step.days_before}",
            f"permit = {'true' if step.permit else 'false'}",
            f"department = {_quote(step.department)}",
            f"description = {_quote(step.description)}",
        ]
    for line in playbook.budget:
        lines += ["", "[[budget]]", f"label = {_quote(line.label)}", f'amount = "{line.amount}"']
    return "\n".join(lines) + "\n"
