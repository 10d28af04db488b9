"""Rows turned into the records the open data publishes (the API's items, the CSV's lines).

Only fields a public page shows are copied, never a person's name or contact (the one name
published is an elected official's, with their office, as the public follow-up shows it).
Every count goes through `suppress`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from palabre.budgets.models import Envelope
from palabre.conversations.models import Conversation
from palabre.core.suppression import suppress
from palabre.initiatives.models import Initiative
from palabre.official_requests.models import Request
from palabre.opendata.queries import ALL, MapTable, Votes
from palabre.workshops.models import PUBLIC_STATUSES, Status, Workshop
from palabre.workshops.queries import Attendance

Record = dict[str, Any]
HELD = (Status.HELD, Status.REPORTED)


def absolute(path: str) -> str:
    """The address of `path` on this site."""
    return f"{settings.SITE_URL}{path}"


def _place(neighbourhood: Any) -> Record:
    if neighbourhood is None:
        return {"neighbourhood": None, "neighbourhood_name": None}
    return {"neighbourhood": neighbourhood.slug, "neighbourhood_name": neighbourhood.name}


def _money(amount: Any) -> float | None:
    return None if amount is None else float(amount)


def workshop(item: Workshop, attendance: Attendance | None) -> Record:
    """A public workshop or event; people present only once held, and only from 5 up."""
    present = None
    if item.status in HELD and attendance is not None:
        present = suppress(attendance.present)
    return {
        "id": item.pk,
        "url": absolute(item.get_absolute_url()),
        "title": item.title,
        "theme": item.theme,
        "language": item.language,
        "kind": item.kind,
        "status": item.status,
        "cycle": item.cycle.name,
        **_place(item.neighbourhood),
        "venue": item.venue.name if item.venue and item.venue.is_published else None,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "present": present,
        "present_suppressed": item.status in HELD and present is None,
    }


def _addressee(item: Request) -> tuple[str | None, str | None]:
    if item.official is not None:
        office = item.official.official_title
        name = item.official.display_name
        return (f"{name}, {office}" if office else name), "official"
    if item.department is not None:
        return item.department.name, "department"
    return None, None


def public_request(item: Request) -> Record:
    """A request of the public follow-up with its answer."""
    addressed_to, kind = _addressee(item)
    present = None if item.residents_present is None else suppress(item.residents_present)
    shown_workshop = (
        item.workshop if item.workshop and item.workshop.status in PUBLIC_STATUSES else None
    )
    return {
        "id": item.pk,
        "url": absolute(reverse("official_requests:detail", kwargs={"pk": item.pk})),
        "title": item.title,
        "asked": item.asked,
        "why": item.why,
        "language": item.language,
        **_place(item.neighbourhood),
        "themes": [theme.name for theme in item.themes.all()],
        "status": item.status,
        "addressed_to": addressed_to,
        "addressee_kind": kind,
        "sent_at": item.sent_at,
        "acknowledge_by": item.acknowledge_by,
        "acknowledged_at": item.acknowledged_at,
        "answer_by": item.answer_by,
        "answered_at": item.answered_at,
        "answer_kind": item.answer_kind,
        "answer_text": item.answer_text,
        "answer_language": item.answer_language,
        "planned_for": item.planned_for,
        "done_at": item.done_at,
        "workshop": shown_workshop.pk if shown_workshop else None,
        "residents_present": present,
        "residents_present_suppressed": item.residents_present is not None and present is None,
    }


def citizen_action(item: Initiative) -> Record:
    """A citizen action of the public showcase; the number of volunteers from 5 up."""
    return {
        "id": item.pk,
        "url": absolute(reverse("initiatives:detail", kwargs={"pk": item.pk})),
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "status": item.status,
        **_place(item.neighbourhood),
        "starts_on": item.starts_on,
        "budget_requested": _money(item.budget_requested),
        "budget_granted": _money(item.budget_granted),
        "report": item.report,
        "reported_at": item.reported_at,
        "volunteers": suppress(item.volunteer_count),  # type: ignore[attr-defined]
    }


def budget_result(envelope: Envelope) -> Record:
    """A published envelope's result: each project's votes (from 5 up) and whether funded."""
    result = envelope.result or {}
    counted = result.get("projects", {})
    process = envelope.process
    return {
        "id": envelope.pk,
        "url": absolute(
            reverse("budgets:results", kwargs={"slug": process.slug, "envelope": envelope.pk})
        ),
        "process": process.slug,
        "process_title": process.title,
        **_place(envelope.neighbourhood),
        "amount": envelope.amount,
        "spent": int(result.get("spent", 0)),
        "rule": str(result.get("rule", process.rule)),
        "voters": suppress(int(result.get("voters", 0))),
        "published_at": process.published_at,
        "projects": [
            {
                "id": project.pk,
                "title": project.title,
                "summary": project.summary,
                "cost": project.cost,
                "votes": suppress(int(counted.get(str(project.pk), {}).get("votes", 0))),
                "funded": bool(counted.get(str(project.pk), {}).get("funded", False)),
            }
            for project in envelope.projects.all()
        ],
    }


def _votes(group: str, votes: Votes) -> Record:
    return {
        "group": group or "all",
        "agree": suppress(votes.agree),
        "disagree": suppress(votes.disagree),
        "passed": suppress(votes.passed),
    }


def opinion_map(conversation: Conversation, table: MapTable) -> Record:
    """A conversation's map: its groups' sizes and how each group voted on each statement."""
    computed = conversation.opinion_map.computed_at
    return {
        "id": conversation.pk,
        "slug": conversation.slug,
        "url": absolute(reverse("conversations:map", kwargs={"slug": conversation.slug})),
        "title": conversation.title,
        **_place(conversation.neighbourhood),
        "opens_at": conversation.opens_at,
        "closes_at": conversation.closes_at,
        "computed_at": computed,
        "participants": suppress(table.people),
        "votes": suppress(table.votes),
        "groups": [
            {"group": letter, "size": suppress(table.sizes[letter])} for letter in table.letters
        ],
        "statements": [
            {
                "id": pk,
                "text": text,
                "votes": [_votes(key, table.counts[pk][key]) for key in (ALL, *table.letters)],
            }
            for pk, text in table.statements
        ],
    }
