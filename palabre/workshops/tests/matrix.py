from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from palabre.core.testing import MatrixRow, World, everyone, only
from palabre.workshops.actions import register
from palabre.workshops.models import Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop

STAFF = ("coordinator", "administrator")
WELCOMERS = (*STAFF, "facilitator")
INVOLVED = (*STAFF, "facilitator", "partner")  # the facilitator runs it, the partner hosts it


def workshop(world: World, status: Status = Status.ANNOUNCED) -> Workshop:
    """Return a workshop in Bomel run by the facilitator persona and hosted by the partner."""
    return make_hosted_workshop(world, status=status)


def pk_of(status: Status = Status.ANNOUNCED) -> Any:
    return lambda w: {"pk": workshop(w, status).pk}


def a_session(world: World, status: Status = Status.ANNOUNCED) -> dict[str, int]:
    from palabre.workshops.models import Session

    event = workshop(world, status)
    assert event.starts_at is not None
    session = Session.objects.create(
        workshop=event,
        title="Table ronde",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )
    return {"pk": event.pk, "session": session.pk}


def a_batch(world: World, status: Status = Status.ANNOUNCED) -> dict[str, str]:
    from palabre.workshops.models import InvitationBatch, PrintFormat

    batch = InvitationBatch.objects.create(
        workshop=workshop(world, status), label="Tracts", print_format=PrintFormat.FLYER_A5
    )
    return {"code": batch.code}


def reported(world: World) -> dict[str, int]:
    from palabre.workshops import actions

    held = workshop(world, Status.HELD)
    minutes = actions.draft_minutes(by=None, workshop=held)
    actions.save_minutes(
        by=None,
        minutes=minutes,
        version=1,
        introduction="",
        notes=[""] * 5,
        decisions="",
        next_steps="",
        publish=True,
    )
    return {"pk": held.pk}


def drafted(world: World) -> dict[str, int]:
    from palabre.workshops import actions

    held = workshop(world, Status.HELD)
    actions.draft_minutes(by=None, workshop=held)
    return {"pk": held.pk}


def started(world: World, status: Status = Status.ANNOUNCED) -> dict[str, int]:
    """Return a workshop of the facilitator persona that began an hour ago."""
    event = workshop(world, status)
    now = timezone.now()
    Workshop.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    return {"pk": event.pk}


def held_just_now(world: World) -> dict[str, int]:
    """Return a workshop of the facilitator persona recorded as held a moment ago."""
    from palabre.workshops import actions

    found = started(world)
    actions.mark_held(by=None, workshop=Workshop.objects.get(pk=found["pk"]))
    return found


def own_workshops(world: World) -> dict[str, Any]:
    """Give the facilitator and coordinator personas a workshop today, one to come and one past
    without minutes, so that "My workshops" shows each part; no URL argument."""
    for days, status in ((0, Status.ANNOUNCED), (7, Status.ANNOUNCED), (-7, Status.HELD)):
        event = make_hosted_workshop(world, days_from_now=days, status=status)
        event.facilitators.add(world.person("coordinator"))
    return {}


def a_registration(world: World) -> dict[str, str]:
    return {"token": register(workshop=workshop(world), by=None, name="Amina").registration.token}


ROWS = [
    MatrixRow("workshops:detail", everyone(200), kwargs=pk_of()),
    MatrixRow(
        "workshops:detail",
        only(200, INVOLVED, otherwise=404),
        state="planned",
        kwargs=pk_of(Status.PLANNED),
    ),
    MatrixRow(
        "workshops:register",
        everyone(302),
        kwargs=pk_of(),
        method="post",
        data=lambda w: {"name": "Visiteur"},
    ),
    MatrixRow(
        "workshops:register",
        only(200, INVOLVED, otherwise=404),
        state="planned",
        kwargs=pk_of(Status.PLANNED),
        method="post",
        data=lambda w: {"name": "V"},
    ),
    MatrixRow("workshops:registrations", only(200, INVOLVED, otherwise=404), kwargs=pk_of()),
    # Its facilitator records it as held once it has started; before, a message says from when.
    MatrixRow(
        "workshops:change_status",
        only(302, WELCOMERS, otherwise=403),
        kwargs=pk_of(),
        method="post",
        data=lambda w: {"status": "held", "confirm": "yes"},
    ),
    MatrixRow(
        "workshops:change_status",
        only(200, STAFF, otherwise=403) | {"facilitator": 302},
        state="asks to confirm",
        kwargs=pk_of(),
        method="post",
        data=lambda w: {"status": "held"},
    ),
    MatrixRow(
        "workshops:change_status",
        only(200, WELCOMERS, otherwise=403),
        state="started, asks to confirm",
        kwargs=started,
        method="post",
        data=lambda w: {"status": "held"},
    ),
    MatrixRow(
        "workshops:change_status",
        only(302, WELCOMERS, otherwise=403),
        state="started, confirmed",
        kwargs=started,
        method="post",
        data=lambda w: {"status": "held", "confirm": "yes", "back": "mine"},
    ),
    MatrixRow(
        "workshops:change_status",
        only(302, WELCOMERS, otherwise=403),
        state="undo held",
        kwargs=held_just_now,
        method="post",
        data=lambda w: {"status": "undo_held"},
    ),
    MatrixRow("workshops:registration", everyone(200), kwargs=a_registration),
    MatrixRow(
        "workshops:registration",
        everyone(404),
        state="unknown link",
        kwargs=lambda w: {"token": "not-a-token"},
    ),
    MatrixRow("workshops:invitations", only(200, INVOLVED, otherwise=404), kwargs=pk_of()),
    MatrixRow(
        "workshops:invitations",
        only(302, INVOLVED, otherwise=404),
        kwargs=pk_of(),
        method="post",
        state="prepare a batch",
        data=lambda w: {"label": "Boîtes", "print_format": "a5", "copies": "10", "language": "fr"},
    ),
    MatrixRow("workshops:invitation_pdf", only(200, INVOLVED, otherwise=404), kwargs=a_batch),
    MatrixRow(
        "workshops:invitation_pdf",
        only(302, INVOLVED, otherwise=404),
        state="cancelled workshop",
        kwargs=lambda w: a_batch(w, Status.CANCELLED),
    ),
    MatrixRow("invitation_link", everyone(302), kwargs=a_batch),
    # Before the announcement, the flyer's QR code says the workshop is coming (never a 404).
    MatrixRow(
        "invitation_link",
        everyone(200),
        state="not announced",
        kwargs=lambda w: a_batch(w, Status.PLANNED),
    ),
    MatrixRow(
        "invitation_link", everyone(404), state="unknown code", kwargs=lambda w: {"code": "zzzzzz"}
    ),
    MatrixRow("workshops:check_in", only(200, WELCOMERS, otherwise=404), kwargs=pk_of()),
    MatrixRow(
        "workshops:check_in",
        only(302, WELCOMERS, otherwise=404),
        kwargs=pk_of(),
        method="post",
        state="walk-in",
        data=lambda w: {"walk_in": "1", "name": "Karim", "key": "k" * 24},
    ),
    MatrixRow("workshops:sign_in_sheet", only(200, WELCOMERS, otherwise=404), kwargs=pk_of()),
    MatrixRow("workshops:enter_sign_in_sheet", only(200, WELCOMERS, otherwise=404), kwargs=pk_of()),
    MatrixRow("workshops:minutes", everyone(200), kwargs=reported),
    MatrixRow(
        "workshops:minutes", only(200, WELCOMERS, otherwise=404), state="draft", kwargs=drafted
    ),
    MatrixRow("workshops:minutes_pdf", everyone(200), kwargs=reported),
    MatrixRow(
        "workshops:minutes_pdf", only(200, WELCOMERS, otherwise=404), state="draft", kwargs=drafted
    ),
    MatrixRow("workshops:edit_minutes", only(200, WELCOMERS, otherwise=404), kwargs=drafted),
    MatrixRow(
        "workshops:edit_minutes",
        only(302, WELCOMERS, otherwise=404),
        state="not yet held",
        kwargs=pk_of(),
    ),
    MatrixRow("workshops:cycles", only(200, STAFF, otherwise=403)),
    MatrixRow("workshops:new_cycle", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "workshops:planning",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": make_cycle([w.home]).slug},
    ),
    MatrixRow(
        "workshops:new_workshop",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": make_cycle([w.home]).slug},
    ),
    MatrixRow("workshops:edit_workshop", only(200, STAFF, otherwise=403), kwargs=pk_of()),
    MatrixRow(
        "workshops:edit_workshop",
        # Its facilitator and host see the planned workshop, but only the service changes it.
        only(200, STAFF, otherwise=404) | {"facilitator": 403, "partner": 403},
        state="planned",
        kwargs=pk_of(Status.PLANNED),
    ),
    MatrixRow("workshops:figures", only(200, STAFF, otherwise=403)),
    MatrixRow("workshops:mine", only(200, WELCOMERS, otherwise=403)),
    MatrixRow(
        "workshops:mine",
        only(200, WELCOMERS, otherwise=403),
        state="today, coming and past",
        kwargs=own_workshops,
    ),
    MatrixRow("workshops:workshop_texts", only(200, STAFF, otherwise=403), kwargs=pk_of()),
    MatrixRow(
        "workshops:workshop_texts",
        only(200, STAFF, otherwise=404) | {"facilitator": 403, "partner": 403},
        state="planned",
        kwargs=pk_of(Status.PLANNED),
    ),
    MatrixRow("workshops:programme", only(200, STAFF, otherwise=403), kwargs=pk_of()),
    MatrixRow(
        "workshops:programme",
        only(200, STAFF, otherwise=404) | {"facilitator": 403, "partner": 403},
        state="planned",
        kwargs=pk_of(Status.PLANNED),
    ),
    MatrixRow(
        "workshops:programme",
        only(302, STAFF, otherwise=403),
        method="post",
        state="a session added",
        kwargs=pk_of(),
        data=lambda w: {
            "title": f"Ouverture {secrets.token_hex(3)}",  # each persona adds its own session
            "day": "2030-05-04",
            "starts": "09:00",
            "ends": "09:30",
        },
    ),
    MatrixRow("workshops:edit_session", only(200, STAFF, otherwise=403), kwargs=a_session),
    # The service's translations of a session's texts.
    MatrixRow("workshops:session_texts", only(200, STAFF, otherwise=403), kwargs=a_session),
    MatrixRow(
        "workshops:session_texts",
        only(200, STAFF, otherwise=404) | {"facilitator": 403, "partner": 403},
        state="planned",
        kwargs=lambda w: a_session(w, Status.PLANNED),
    ),
    MatrixRow(
        "workshops:session_texts",
        only(302, STAFF, otherwise=403),
        method="post",
        state="save",
        kwargs=a_session,
        data=lambda w: {"title_nl": "Rondetafel", "room_en": "Wedding room"},
    ),
    MatrixRow(
        "workshops:flyer_preview",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"pk": workshop(w).pk, "language": "nl"},
    ),
    MatrixRow(
        "workshops:duplicate_cycle",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": make_cycle([w.home]).slug},
    ),
    MatrixRow(
        "workshops:cycle_calendar", everyone(200), kwargs=lambda w: {"slug": workshop(w).cycle.slug}
    ),
    MatrixRow(
        "workshops:neighbourhood_calendar", everyone(200), kwargs=lambda w: {"slug": w.home.slug}
    ),
    MatrixRow(
        "workshops:neighbourhood_calendar",
        everyone(404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.hidden.slug},
    ),
]
