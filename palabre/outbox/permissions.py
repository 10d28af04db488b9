"""Who may see the emails Palabre sends. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.permissions import is_staff_member


def can_see_outbox(user: Any) -> bool:
    """Whether `user` may see failed emails and send them again (the service)."""
    return is_staff_member(user)
