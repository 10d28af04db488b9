"""What the pages of other apps show of participatory budgets: the ideas a contribution or a
citizen action became, the budgets taking ideas, the ideas and projects a request is about."""

from __future__ import annotations

from typing import Any

from django import template

from palabre.budgets import idea_queries
from palabre.budgets.models import Idea, Process, Project
from palabre.contributions.actions import MASK
from palabre.contributions.masking import find_personal_data, mask

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def budget_ideas_of(context: template.Context, item: Any, kind: str) -> list[Idea]:
    """The budget ideas made from a contribution (`kind` "contribution") or asked by a citizen
    action ("initiative"), in the budgets the reader may see."""
    return idea_queries.ideas_of(_user(context), **{kind: item})


@register.simple_tag(takes_context=True)
def budgets_taking_ideas(context: template.Context, before_vote: bool = False) -> list[Process]:
    """The budgets taking ideas now (or, `before_vote`, to which facilitators and the service
    still bring ideas)."""
    return idea_queries.processes_taking_ideas(_user(context), before_vote=before_vote)


@register.simple_tag(takes_context=True)
def budget_links_of(context: template.Context, request: Any) -> tuple[list[Idea], list[Project]]:
    """The budget ideas a request checks and the funded projects it carries out."""
    return idea_queries.reviews_and_follow_ups(_user(context), request)


@register.filter
def masked(text: str) -> str:
    """`text` with the personal data the contributions' masking finds (phone numbers, email
    addresses, bank accounts, street addresses with a number, neighbours' full names)
    replaced by "[…]", as published contributions show them. Ideas are public as soon as they
    are proposed: nobody reads them first."""
    return mask(text, find_personal_data(text), placeholder=lambda kind: MASK)
