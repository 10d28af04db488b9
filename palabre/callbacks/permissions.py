from __future__ import annotations

from typing import Any

from palabre.accounts.permissions import is_staff_member


def can_handle_callbacks(user: Any) -> bool:
    """Whether `user` sees who asked to be called back, with their numbers, and calls them."""
    return is_staff_member(user)
