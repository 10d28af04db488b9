"""Who may see and change neighbourhoods, partners and venues. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_staff_member
from palabre.neighbourhoods.models import Partner


def can_see_unpublished(user: Any) -> bool:
    """Whether `user` sees neighbourhoods and venues that are not yet published."""
    return is_staff_member(user)


def can_manage_neighbourhoods(user: Any) -> bool:
    """Whether `user` may create and edit neighbourhoods, partners and venues."""
    return is_staff_member(user)


def can_view_partner_contacts(user: Any, partner: Partner) -> bool:
    """Whether `user` may see the contact people of `partner`."""
    if is_staff_member(user) or has_role(user, Role.FACILITATOR):
        return True
    return has_role(user, Role.PARTNER) and user.organisation_id == partner.pk
