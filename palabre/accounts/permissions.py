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
    """Whether `user` answers requests to officials (an official, a member of a department, a
    collaborator in an official's cabinet) and so chooses how they hear of them."""
    if has_role(user, Role.OFFICIAL):
        return True
    # `departments` and `cabinet_membership`: the reverse sides of official_requests'
    # Department.members and CabinetMember.collaborator, read without importing that app (it
    # sits above accounts).
    return is_signed_in(user) and (
        user.departments.exists() or hasattr(user, "cabinet_membership")  # a one-to-one
    )
