"""Who runs the network of cities. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role


def can_manage_network(user: Any) -> bool:
    """Whether `user` chooses what the city shares, follows cities and imports from them (the
    service: coordinators and administrators)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)
