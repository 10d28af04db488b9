"""Who may see the evaluation. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.permissions import is_staff_member


def can_evaluate(user: Any) -> bool:
    """Whether `user` sees the service's figures and prepares the council's yearly report (the
    social-cohesion service: the figures name neighbourhoods and partners' channels)."""
    return is_staff_member(user)
