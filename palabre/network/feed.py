"""This city's feed: what the service chose to share, as one JSON document signed as sent
(ADR 0075). Reading another city's feed is palabre.network.reading."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation

from palabre.evaluation import figures as evaluation_figures
from palabre.initiatives import actions as initiative_actions
from palabre.network import signing
from palabre.network.models import Format, OpenEvent, SharedPlaybook
from palabre.network.reading import FORMAT, INTERFACE_LANGUAGES
from palabre.workshops.models import PUBLIC_STATUSES, Session


# Figures that count people: None among them means "fewer than 5" (palabre.core.suppression).
def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _playbooks() -> list[dict[str, Any]]:
    shared = SharedPlaybook.objects.select_related("playbook").prefetch_related(
        "playbook__steps", "playbook__budget"
    )
    return [
        {
            "key": f"playbook-{share.playbook.pk}",
            "title": share.playbook.title,
            "kind": share.playbook.kind,
            "language": share.language,
            "toml": initiative_actions.export_playbook(share.playbook),
        }
        for share in shared
    ]


def format_texts(item: Format) -> dict[str, dict[str, Any]]:
    """The format's texts per language: the original and each translation written."""
    texts = {item.language: {"title": item.title, "guiding_questions": item.guiding_questions}}
    for language, given in item.translations.items():
        if language != item.language and given.get("title"):
            texts[language] = {
                "title": given["title"],
                "guiding_questions": list(given.get("guiding_questions") or []),
            }
    return texts


def _formats() -> list[dict[str, Any]]:
    return [
        {
            "key": f"format-{item.pk}",
            "language": item.language,
            "duration_minutes": item.duration_minutes,
            "texts": format_texts(item),
        }
        for item in Format.objects.filter(shared=True, source_feed_url="")
    ]


def _translated(item: Any, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    texts = {item.language: {name: getattr(item, name) for name in names}}
    for language, given in item.translations.items():
        if language != item.language and language in dict(settings.LANGUAGES):
            kept = {name: given.get(name) or "" for name in names}
            if kept.get("title"):
                texts[language] = kept
    return texts


def _events() -> list[dict[str, Any]]:
    opened = (
        OpenEvent.objects.filter(
            workshop__status__in=PUBLIC_STATUSES, workshop__starts_at__gte=timezone.now()
        )
        .exclude(workshop__status="cancelled")
        .select_related("workshop__venue")
        .prefetch_related(
            Prefetch(
                "workshop__sessions",
                queryset=Session.objects.select_related("workshop").prefetch_related("speakers"),
            )
        )
    )
    events = []
    for opening in opened:
        event = opening.workshop
        venue = event.venue
        events.append(
            {
                "key": f"event-{event.pk}",
                "kind": event.kind,
                "language": event.language,
                "texts": _translated(event, ("title", "description")),
                "starts_at": _iso(event.starts_at),
                "ends_at": _iso(event.ends_at),
                "venue": (
                    f"{venue.name}, {venue.street} {venue.house_number}, {venue.postcode} "
                    f"{venue.locality}"
                    if venue
                    else ""
                ),
                "url": f"{settings.SITE_URL}{event.get_absolute_url()}",
                # The registration form of the event's page: a resident of a following city
                # registers here, saying where they live (issue 20, item 6).
                "register_url": f"{settings.SITE_URL}{event.get_absolute_url()}#registration",
                "sessions": [
                    {
                        "texts": _translated(session, ("title",)),
                        "starts_at": _iso(session.starts_at),
                        "ends_at": _iso(session.ends_at),
                        "speakers": [
                            {"name": s.name, "affiliation": s.affiliation, "city": s.city}
                            for s in session.speakers.all()
                        ],
                    }
                    for session in event.sessions.all()
                ],
            }
        )
    return events


def _figures(year: int) -> list[dict[str, Any]]:
    """The year's figures, computed once, with their labels in each interface language."""
    shared = evaluation_figures.shareable(year)
    labels: dict[str, list[str]] = {}
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            labels[language] = [str(figure.label) for figure in shared]
    return [
        {
            "key": figure.key,
            "value": figure.value,
            "suppressed": figure.suppressed,
            "labels": {language: labels[language][i] for language in labels},
        }
        for i, figure in enumerate(shared)
    ]


def document() -> dict[str, Any]:
    """The feed of this city as it stands now."""
    now = timezone.now()
    year = timezone.localdate(now).year
    return {
        "format": FORMAT,
        "city": settings.CITY_NAME,
        "site": settings.SITE_URL,
        "generated_at": now.isoformat(),
        "public_key": signing.public_key_text(),
        "items": {
            "playbooks": _playbooks(),
            "formats": _formats(),
            "figures": {str(y): _figures(y) for y in (year, year - 1)},
            "events": _events(),
        },
    }


def signed_body() -> tuple[bytes, str]:
    """The feed's bytes and the header that signs exactly them."""
    body = json.dumps(document(), ensure_ascii=False, indent=1).encode()
    return body, signing.signature_header(body)
