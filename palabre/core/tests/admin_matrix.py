"""Permission-matrix rows for the back-office, one block per registered model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palabre.core.testing import PERSONAS, Expected, MatrixRow, World

STAFF = ("coordinator", "administrator")


def _admin(staff_status: int, *, allowed: tuple[str, ...] = STAFF, denied: int = 403) -> Expected:
    """Anonymous and non-staff people are sent to the sign-in page; staff get `staff_status`."""
    return {p: (staff_status if p in allowed else denied) if p in STAFF else 302 for p in PERSONAS}


def model_rows(
    app: str,
    model: str,
    obj: Callable[[World], Any],
    *,
    viewers: tuple[str, ...],
    editors: tuple[str, ...],
    deleters: tuple[str, ...] = (),
) -> list[MatrixRow]:
    """Return the rows of one model's admin pages."""
    prefix = f"admin:{app}_{model}"
    readers = tuple(sorted(set(viewers) | set(editors)))
    return [
        MatrixRow(f"{prefix}_changelist", _admin(200, allowed=readers)),
        MatrixRow(f"{prefix}_add", _admin(200, allowed=editors)),
        MatrixRow(
            f"{prefix}_change",
            _admin(200, allowed=readers),
            kwargs=lambda w: {"object_id": obj(w).pk},
        ),
        MatrixRow(
            f"{prefix}_history",
            _admin(200, allowed=readers),
            kwargs=lambda w: {"object_id": obj(w).pk},
        ),
        # Records are unpublished rather than deleted, except plain settings (closed days).
        MatrixRow(
            f"{prefix}_delete",
            _admin(200, allowed=deleters),
            kwargs=lambda w: {"object_id": obj(w).pk},
        ),
    ]


def _cycle(world: World) -> Any:
    from palabre.workshops.tests.factories import make_cycle

    return make_cycle([world.home])


def _workshop(world: World) -> Any:
    from palabre.workshops.tests.factories import make_workshop

    return make_workshop(cycle=_cycle(world), neighbourhood=world.home, venue=world.venue)


def _session(world: World) -> Any:
    from datetime import timedelta

    from palabre.workshops.models import Session

    event = _workshop(world)
    return Session.objects.create(
        workshop=event,
        title="Session",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )


def _theme() -> Any:
    from palabre.contributions.models import Theme

    return Theme.objects.get_or_create(slug="culture", defaults={"name": "culture"})[0]


def _board(world: World) -> Any:
    from palabre.contributions.models import Board

    return Board.objects.get_or_create(neighbourhood=world.home)[0]


def _department(world: World) -> Any:
    from palabre.official_requests.models import Department

    return Department.objects.get_or_create(slug="voirie", defaults={"name": "Voirie"})[0]


def _closed_day() -> Any:
    from datetime import date

    from palabre.official_requests.models import ClosedDay

    return ClosedDay.objects.get_or_create(day=date(2027, 7, 21), defaults={"name": "Fête"})[0]


def _answer_template() -> Any:
    from palabre.official_requests.models import AnswerTemplate

    return AnswerTemplate.objects.get_or_create(
        title="À l'étude", defaults={"kind": "under_study", "text": "Nous étudions."}
    )[0]


def _task() -> Any:
    from django_tasks_db.models import DBTaskResult

    from palabre.workshops.tasks import send_reminder

    send_reminder.enqueue(registration_id=0)
    return DBTaskResult.objects.get()


def _cabinet_member(world: World) -> Any:
    from palabre.accounts.models import Role, User
    from palabre.accounts.tests.factories import make_user
    from palabre.official_requests.models import CabinetMember

    email = "cabinet.admin@example.org"
    collaborator = User.objects.filter(email=email).first() or make_user(
        role=Role.CABINET, email=email
    )
    return CabinetMember.objects.get_or_create(
        collaborator=collaborator, defaults={"official": world.person("official")}
    )[0]


ROWS = [
    MatrixRow("admin:index", _admin(200)),
    MatrixRow(
        "admin:app_list",
        _admin(200, allowed=STAFF),
        kwargs=lambda w: {"app_label": "neighbourhoods"},
    ),
    *model_rows("neighbourhoods", "neighbourhood", lambda w: w.home, viewers=STAFF, editors=STAFF),
    *model_rows("neighbourhoods", "partner", lambda w: w.partner_org, viewers=STAFF, editors=STAFF),
    *model_rows("neighbourhoods", "venue", lambda w: w.venue, viewers=STAFF, editors=STAFF),
    *model_rows(
        "accounts", "user", lambda w: w.user("resident"), viewers=STAFF, editors=("administrator",)
    ),
    *model_rows(
        "accounts", "competence", lambda w: w.competence, viewers=STAFF, editors=("administrator",)
    ),
    *model_rows("workshops", "cycle", _cycle, viewers=STAFF, editors=STAFF),
    *model_rows("workshops", "workshop", _workshop, viewers=STAFF, editors=STAFF),
    *model_rows("workshops", "session", lambda w: _session(w), viewers=STAFF, editors=STAFF),
    *model_rows("contributions", "theme", lambda w: _theme(), viewers=STAFF, editors=STAFF),
    *model_rows("contributions", "board", _board, viewers=STAFF, editors=STAFF),
    *model_rows("official_requests", "department", _department, viewers=STAFF, editors=STAFF),
    *model_rows(
        "official_requests",
        "answertemplate",
        lambda w: _answer_template(),
        viewers=STAFF,
        editors=STAFF,
    ),
    *model_rows(
        "official_requests",
        "closedday",
        lambda w: _closed_day(),
        viewers=STAFF,
        editors=STAFF,
        deleters=STAFF,
    ),
    *model_rows(
        "official_requests",
        "cabinetmember",
        _cabinet_member,
        viewers=STAFF,
        editors=STAFF,
        deleters=STAFF,
    ),
    # The task queue is read-only, for the city's IT.
    *model_rows(
        "django_tasks_database",
        "dbtaskresult",
        lambda w: _task(),
        viewers=("administrator",),
        editors=(),
    ),
]
