"""Who starts and steers citizen actions. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_signed_in, is_staff_member
from palabre.contributions.permissions import can_start_action_from
from palabre.initiatives.models import Initiative
from palabre.workshops.models import Workshop


def can_edit_playbooks(user: Any) -> bool:
    """Whether `user` edits, imports and exports playbooks (the service)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_start_initiative(user: Any) -> bool:
    """Whether `user` turns an idea into an initiative (facilitators and the service)."""
    return can_start_action_from(user)


def leads(user: Any, initiative: Initiative) -> bool:
    """Whether `user` is one of the initiative's leads."""
    return is_signed_in(user) and any(lead.pk == user.pk for lead in initiative.leads.all())


def works_in(user: Any, neighbourhood_id: int) -> bool:
    """Whether `user` is a facilitator of a workshop in the neighbourhood (their patch)."""
    return (
        has_role(user, Role.FACILITATOR)
        and Workshop.objects.filter(neighbourhood_id=neighbourhood_id, facilitators=user).exists()
    )


def started(user: Any, initiative: Initiative) -> bool:
    """Whether `user` is the facilitator who started the initiative."""
    return has_role(user, Role.FACILITATOR) and initiative.created_by_id == user.pk


def can_steer(user: Any, initiative: Initiative) -> bool:
    """Whether `user` manages the initiative — status, tasks, needs, budget, photos, report —
    and sees its volunteers' contact details and receipts: its leads, the facilitator who
    started it or works in its neighbourhood, the service. Keep `steerable_initiatives` (in
    queries.py) in step."""
    return (
        is_staff_member(user)
        or leads(user, initiative)
        or started(user, initiative)
        or works_in(user, initiative.neighbourhood_id)
    )


def can_grant(user: Any) -> bool:
    """Whether `user` records the budget the city granted (the service)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)
