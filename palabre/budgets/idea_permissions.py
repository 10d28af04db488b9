"""Who brings ideas to a participatory budget, who checks them, who asks for funding. Pure
predicates (the coordinators' own rights are `permissions.can_run_budgets`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role
from palabre.budgets.models import Idea, Phase, Process
from palabre.budgets.permissions import can_run_budgets
from palabre.initiatives.models import Initiative
from palabre.initiatives.permissions import can_steer
from palabre.official_requests.permissions import can_answer


def can_bring_ideas(user: Any) -> bool:
    """Whether `user` types in ideas written on paper and turns what residents said at a
    workshop into ideas (facilitators bring both back from the workshops, and the service)."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_estimate(user: Any, idea: Idea) -> bool:
    """Whether `user` says if `idea` is feasible and at what cost: whoever answers the request
    it was sent to (the department's members, the official it was passed on to), or the
    service recording an answer given outside Palabre."""
    if idea.review is None:
        return False
    return can_answer(user, idea.review) or can_run_budgets(user)


def can_ask_funding(user: Any, initiative: Initiative) -> bool:
    """Whether `user` asks a participatory budget to fund `initiative` (whoever steers it)."""
    return can_steer(user, initiative)


def is_taking_ideas(process: Process, now: datetime) -> bool:
    """Whether residents propose ideas to `process` at `now` (online or as a citizen action)."""
    return process.phase(now) == Phase.IDEAS and timezone.localdate(now) >= process.ideas_from


def is_before_vote(process: Process, now: datetime) -> bool:
    """Whether ideas may still be brought, merged and sent for review at `now` (until the
    vote)."""
    return process.phase(now) in (Phase.IDEAS, Phase.REVIEW)
