"""What Palabre holds about one person, as plain data they can download (GDPR, art. 15 and 20).

This app sits at the top of the stack, like `demo`: it reads every app's tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from palabre.accounts.models import User
from palabre.contributions.models import Contribution, MeToo
from palabre.contributions.queries import by_follow_token
from palabre.initiatives.models import Initiative, Volunteer
from palabre.links import queries as links
from palabre.links.models import AccessLink
from palabre.official_requests.models import ContactFollower, Follower, Reply
from palabre.workshops.models import Registration

Data = dict[str, Any]


def _when(value: date | datetime | None) -> str | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat() if value else None


def _link(link: AccessLink | None) -> Data | None:
    if link is None:
        return None
    return {
        "reference": link.reference,
        "email": link.email,
        "phone": link.phone,
        "expires_at": _when(link.expires_at),
        "revoked_at": _when(link.revoked_at),
    }


def _registration(item: Registration) -> Data:
    return {
        "workshop": item.workshop.title,
        "starts_at": _when(item.workshop.starts_at),
        "name": item.name,
        "email": item.email,
        "phone": item.phone,
        "needs": [str(need) for need in item.needs()],
        "lives_in": item.home_city,
        "status": item.status,
        "registered_at": _when(item.created_at),
        "arrived_at": _when(item.checked_in_at),
        "private_link": _link(item.link),
    }


def _contribution(item: Contribution) -> Data:
    return {
        "neighbourhood": item.neighbourhood.name,
        "said": item.text,
        "published_as": item.public_text,
        "nickname": item.author_name,
        "contact_email": item.contact_email,
        "status": item.status,
        "written_at": _when(item.created_at),
        "moderation_note": item.hidden_note,
        "private_link": _link(item.link),
        "appeals": [
            {"text": appeal.text, "status": appeal.status, "answer": appeal.answer}
            for appeal in item.appeals.all()
        ],
    }


def _volunteer(item: Volunteer) -> Data:
    return {
        "action": item.initiative.title,
        "name": item.name,
        "email": item.email,
        "signed_up_at": _when(item.created_at),
        "private_link": _link(item.link),
        "tasks_taken": [
            {"title": task.title, "due_on": _when(task.due_on), "done_at": _when(task.done_at)}
            for task in item.tasks.all()
        ],
    }


def account_data(user: User) -> Data:
    """Return everything tied to an account."""
    registrations = Registration.objects.filter(user=user).select_related("workshop", "link")
    contributions = (
        Contribution.objects.filter(author=user)
        .select_related("neighbourhood", "link")
        .prefetch_related("appeals")
    )
    volunteers = (
        Volunteer.objects.filter(user=user)
        .select_related("initiative", "link")
        .prefetch_related("tasks")
    )
    return {
        "account": {
            "name": user.display_name,
            "email": user.email,
            "role": user.role,
            "language": user.preferred_language,
            "request_news": user.request_news,
            "neighbourhood": user.home_neighbourhood.name if user.home_neighbourhood else None,
            "joined_at": _when(user.date_joined),
        },
        "workshop_registrations": [_registration(item) for item in registrations],
        "contributions": [_contribution(item) for item in contributions],
        "me_too": [
            item.contribution.public_text
            for item in MeToo.objects.filter(user=user).select_related("contribution")
        ],
        "requests_followed": [
            item.request.title
            for item in Follower.objects.filter(user=user).select_related("request")
        ],
        # Followed by email with the account's address, without signing in.
        "requests_followed_by_email": [
            {"request": item.request.title, "confirmed": item.confirmed_at is not None}
            for item in ContactFollower.objects.filter(email=user.email.lower()).select_related(
                "request"
            )
        ],
        "replies_to_questions": [
            {"question": item.question.note, "reply": item.text, "at": _when(item.created_at)}
            for item in Reply.objects.filter(author=user).select_related("question")
        ],
        "citizen_actions": [_volunteer(item) for item in volunteers],
        "citizen_actions_led": [
            item.title for item in Initiative.objects.filter(leads=user).order_by("pk")
        ],
    }


def link_data(token: str) -> Data | None:
    """Return what the private link holding `token` opens (None for no live link)."""
    registration = links.holding(
        Registration.objects.select_related("workshop", "link"), token
    ).first()
    if registration is not None:
        return {"workshop_registration": _registration(registration)}
    volunteer = (
        links.holding(Volunteer.objects.select_related("initiative", "link"), token)
        .prefetch_related("tasks")
        .first()
    )
    if volunteer is not None:
        return {"citizen_action": _volunteer(volunteer)}
    # Found the way the contribution's follow-up page finds it.
    contribution = by_follow_token(token).prefetch_related("appeals").first()
    if contribution is not None:
        return {"contribution": _contribution(contribution)}
    return None
