"""Who may erase what. Pure predicates, one condition per line."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import is_signed_in


def can_erase_account(user: Any, account: Any) -> bool:
    """Whether `user` may erase `account`: its owner, when it is a resident's account."""
    # Staff accounts carry the city's work (answers, moderation): the administrator closes them.
    return is_signed_in(user) and user.pk == account.pk and account.role == Role.RESIDENT
