"""Who may do what with accounts. Pure predicates, one condition per line."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import STAFF_ROLES, Role


def is_signed_in(user: Any) -> bool:
    """Whether `user` is an active, signed-in account (`None` is nobody)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user: Any, *roles: Role) -> bool:
    """Whether `user` is signed in with one of `roles`."""
    return is_signed_in(user) and user.role in roles


def is_staff_member(user: Any) -> bool:
    """Whether `user` works in the back-office (coordinator or administrator)."""
    return is_signed_in(user) and user.role in STAFF_ROLES


def can_manage_accounts(user: Any) -> bool:
    """Whether `user` may create accounts and change roles."""
    return has_role(user, Role.ADMINISTRATOR)


def can_view_accounts(user: Any) -> bool:
    """Whether `user` may see the list of accounts and their contact details."""
    return is_staff_member(user)


def can_choose_request_news(user: Any) -> bool:
    """Whether `user` answers requests to officials (an official, or a member of a department)
    and so chooses how they hear of them."""
    if has_role(user, Role.OFFICIAL):
        return True
    # `departments`: the reverse side of official_requests' Department.members, read without
    # importing that app (it sits above accounts).
    return is_signed_in(user) and user.departments.exists()
