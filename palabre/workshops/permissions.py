"""Who may see and change workshops and registrations. Pure predicates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_staff_member
from palabre.workshops.models import Workshop


def can_manage_workshops(user: Any) -> bool:
    """Whether `user` plans cycles and workshops (the social-cohesion service)."""
    return is_staff_member(user)


def facilitates(user: Any, workshop: Workshop) -> bool:
    """Whether `user` is one of the facilitators of `workshop` (and still a facilitator; the
    service's own rights come from `can_manage_workshops`)."""
    return has_role(user, Role.FACILITATOR) and any(
        person.pk == user.pk for person in workshop.facilitators.all()
    )


def hosts(user: Any, workshop: Workshop) -> bool:
    """Whether `user` acts for a partner organisation of `workshop`."""
    return has_role(user, Role.PARTNER) and any(
        partner.pk == user.organisation_id for partner in workshop.partners.all()
    )


def can_view_registrations(user: Any, workshop: Workshop) -> bool:
    """Whether `user` may see who registered, with their contact details and needs."""
    return can_manage_workshops(user) or facilitates(user, workshop) or hosts(user, workshop)


def can_print_invitations(user: Any, workshop: Workshop) -> bool:
    """Whether `user` may print invitations for `workshop` (the service and its host)."""
    return can_manage_workshops(user) or facilitates(user, workshop) or hosts(user, workshop)


def can_check_in(user: Any, workshop: Workshop) -> bool:
    """Whether `user` welcomes people at `workshop` (its facilitators and the service)."""
    return can_manage_workshops(user) or facilitates(user, workshop)


def can_write_minutes(user: Any, workshop: Workshop) -> bool:
    """Whether `user` drafts and publishes the minutes of `workshop`."""
    return can_manage_workshops(user) or facilitates(user, workshop)


def can_see_own_workshops(user: Any) -> bool:
    """Whether `user` has a "my workshops" page (facilitators, and the service's staff, who
    facilitate too)."""
    return has_role(user, Role.FACILITATOR) or is_staff_member(user)


def has_started(workshop: Workshop) -> bool:
    """Whether `workshop` has begun: its start time is past."""
    return workshop.starts_at is not None and workshop.starts_at <= timezone.now()


def can_record_held(user: Any, workshop: Workshop) -> bool:
    """Whether `user` records `workshop` as held, or undoes it the same day: the service (on
    the workshop's day or after), or its facilitator once it has started."""
    if can_manage_workshops(user):
        return True
    return facilitates(user, workshop) and has_started(workshop)
