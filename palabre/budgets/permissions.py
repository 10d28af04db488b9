"""Who runs participatory budgets. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role


def can_run_budgets(user: Any) -> bool:
    """Whether `user` prepares processes, freezes their rules, prints voting codes, closes the
    vote and publishes the results (the service)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_key_paper(user: Any) -> bool:
    """Whether `user` keys paper ballots (facilitators bring them back from the workshops)."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)
