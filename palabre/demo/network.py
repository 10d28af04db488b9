"""The demo city's part in the network of cities: what it shares in its signed feed (a playbook,
a workshop format with its German texts for the cross-border partners, the round table open to
other cities). It follows no city: following needs another city's server (docs/network.md)."""

from __future__ import annotations

from palabre.accounts.models import User
from palabre.initiatives.models import Playbook
from palabre.network import actions
from palabre.workshops.models import EventKind, Status, Workshop

GERMAN = {
    "title": "Gut zusammenleben im Viertel — erstes Treffen",
    "guiding_questions": [
        "Wie erleben Sie Ihr Viertel?",
        "Was bedeutet für Sie „gut zusammenleben“?",
        "Was bräuchte es, um dahin zu kommen?",
        "Wie können Verbindungen zwischen den Bewohnerinnen und Bewohnern entstehen?",
        "Sind Sie bereit, sich in Ihrem Viertel zu engagieren?",
    ],
}


def load(coordinator: User) -> None:
    welcome = Playbook.objects.filter(kind="welcome").first()
    if welcome is not None:
        actions.share_playbook(by=coordinator, playbook=welcome, shared=True)
    first = (
        Workshop.objects.filter(
            neighbourhood__slug="bomel", status__in=[Status.HELD, Status.REPORTED]
        )
        .order_by("starts_at")
        .first()
    )
    if first is not None:
        item = actions.make_format(by=coordinator, workshop=first)
        texts = {
            item.language: {"title": item.title, "guiding_questions": item.guiding_questions},
            **item.translations,
        }
        if len(item.guiding_questions) == len(GERMAN["guiding_questions"]):
            texts["de"] = GERMAN
        actions.save_format(
            by=coordinator, item=item, duration_minutes=item.duration_minutes, texts=texts
        )
        actions.share_format(by=coordinator, item=item, shared=True)
    for event in Workshop.objects.filter(kind=EventKind.ROUND_TABLE):
        actions.open_event(by=coordinator, workshop=event, opened=True)
