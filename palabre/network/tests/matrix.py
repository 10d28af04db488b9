"""Permission-matrix rows of the network pages."""

from __future__ import annotations

from typing import Any

from palabre.core.testing import MatrixRow, World, everyone, only

SERVICE = ("coordinator", "administrator")


def _city(world: World) -> dict[str, int]:
    """A followed city, as its last verified feed left it (no HTTP in the matrix)."""
    from palabre.network.models import FollowedCity

    city, _ = FollowedCity.objects.get_or_create(
        feed_url="http://127.0.0.1:9/reseau/flux.json",
        defaults={
            "name": "Liège",
            "site": "http://127.0.0.1:9",
            "public_key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "feed": {"items": {"playbooks": [], "formats": [], "figures": {}, "events": []}},
        },
    )
    return {"pk": city.pk}


def _city_with_an_event(world: World) -> dict[str, Any]:
    """A followed city whose last feed opens a symposium with a speaker (the public page)."""
    from datetime import timedelta

    from django.utils import timezone

    from palabre.network.models import FollowedCity

    start = timezone.now() + timedelta(days=10)
    event = {
        "key": "event-1",
        "kind": "symposium",
        "language": "fr",
        "texts": {"fr": {"title": "Colloque", "description": ""}},
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "venue": "",
        "url": "http://127.0.0.1:9/ateliers/1/",
        "register_url": "http://127.0.0.1:9/ateliers/1/#registration",
        "sessions": [
            {
                "texts": {"fr": {"title": "Ouverture"}},
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
                "speakers": [{"name": "Anne", "affiliation": "", "city": "Liège"}],
            }
        ],
    }
    FollowedCity.objects.update_or_create(
        feed_url="http://127.0.0.1:9/autre/flux.json",
        defaults={
            "name": "Maastricht",
            "site": "http://127.0.0.1:9",
            "public_key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "feed": {"items": {"events": [event]}},
        },
    )
    return {}


def _playbook(world: World) -> dict[str, int]:
    from palabre.initiatives import actions
    from palabre.initiatives.models import Playbook
    from palabre.initiatives.tests.factories import STREET_PARTY

    found = Playbook.objects.filter(title="Fête de rue").first()
    return {
        "pk": (
            found or actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
        ).pk
    }


def _held(world: World) -> dict[str, int]:
    from palabre.workshops.models import Status
    from palabre.workshops.tests.factories import make_hosted_workshop

    return {"pk": make_hosted_workshop(world, status=Status.HELD, days_from_now=-3).pk}


def _format(world: World) -> dict[str, int]:
    from palabre.network.models import Format

    made = Format.objects.create(title="Bien vivre", duration_minutes=120)
    return {"pk": made.pk}


def _event(world: World) -> dict[str, int]:
    from palabre.workshops.models import EventKind
    from palabre.workshops.tests.factories import make_hosted_workshop

    return {"pk": make_hosted_workshop(world, kind=EventKind.ROUND_TABLE, days_from_now=12).pk}


def _format_form(world: World) -> dict[str, Any]:
    return {"duration_minutes": "90", "title_fr": "Bien vivre"}


ROWS = [
    MatrixRow("network:feed", everyone(200)),
    MatrixRow("network:elsewhere", everyone(200)),
    MatrixRow(
        "network:elsewhere",
        everyone(200),
        state="a followed city with an event to come",
        kwargs=_city_with_an_event,
    ),
    MatrixRow("network:index", only(200, SERVICE, otherwise=403)),
    MatrixRow(
        "network:follow",
        only(400, SERVICE, otherwise=403),
        method="post",
        state="an address that is not http",
        data=lambda w: {"url": "file:///etc/passwd"},
    ),
    MatrixRow("network:city", only(200, SERVICE, otherwise=403), kwargs=_city),
    MatrixRow(
        "network:refresh",
        only(302, SERVICE, otherwise=403),
        method="post",
        state="a site that does not answer",
        kwargs=_city,
    ),
    MatrixRow(
        "network:import_playbook",
        only(302, SERVICE, otherwise=403),
        method="post",
        state="an item no longer in the feed",
        kwargs=_city,
        data=lambda w: {"key": "playbook-1"},
    ),
    MatrixRow(
        "network:import_format",
        only(302, SERVICE, otherwise=403),
        method="post",
        state="an item no longer in the feed",
        kwargs=_city,
        data=lambda w: {"key": "format-1"},
    ),
    MatrixRow(
        "network:share_playbook",
        only(302, SERVICE, otherwise=403),
        method="post",
        kwargs=_playbook,
        data=lambda w: {"shared": "1", "language": "fr"},
    ),
    MatrixRow(
        "network:make_format", only(302, SERVICE, otherwise=403), method="post", kwargs=_held
    ),
    MatrixRow(
        "network:open_event",
        only(302, SERVICE, otherwise=403),
        method="post",
        kwargs=_event,
        data=lambda w: {"shared": "1"},
    ),
    MatrixRow("network:format", only(200, SERVICE, otherwise=403), kwargs=_format),
    MatrixRow(
        "network:format",
        only(302, SERVICE, otherwise=403),
        method="post",
        state="a title and a duration",
        kwargs=_format,
        data=_format_form,
    ),
    MatrixRow(
        "network:share_format",
        only(302, SERVICE, otherwise=403),
        method="post",
        kwargs=_format,
        data=lambda w: {"shared": "1"},
    ),
    MatrixRow(
        "network:unfollow",
        # The coordinator's post unfollows the city: it is gone when the administrator posts.
        only(302, SERVICE, otherwise=403) | {"administrator": 404},
        method="post",
        state="followed, then no longer",
        kwargs=_city,
    ),
]
