from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palabre.core.testing import MatrixRow, World, everyone, only
from palabre.initiatives.tests.matrix_playbooks import ROWS as PLAYBOOK_ROWS


def _initiative(world: World) -> dict[str, int]:
    from palabre.initiatives.tests.factories import make_initiative

    return {"pk": make_initiative(world).pk}


def _volunteer(world: World) -> dict[str, str]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    signed = actions.sign_up(by=None, initiative=make_initiative(world), name="Rosa")
    return {"token": signed.volunteer.token}


def _task(world: World) -> dict[str, str | int]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    signed = actions.sign_up(by=None, initiative=initiative, name="Rosa")
    task = initiative.tasks.first()
    assert task is not None
    return {"token": signed.volunteer.token, "task": task.pk}


STARTERS = ("facilitator", "coordinator", "administrator")


def _from_a_contribution(world: World) -> dict[str, int]:
    from palabre.contributions.tests.factories import make_post

    return {"contribution": make_post(world.home, "Une fête de rue\u00a0?").pk}


ROWS = [
    MatrixRow("initiatives:detail", everyone(200), kwargs=_initiative),
    MatrixRow(
        "initiatives:start",
        only(200, STARTERS, otherwise=403),
        data=_from_a_contribution,
        method="get",
        state="from a published contribution",
    ),
    MatrixRow(
        "initiatives:sign_up",
        everyone(302),
        kwargs=_initiative,
        method="post",
        data=lambda w: {"name": "Amina", "email": "amina@example.org"},
    ),
    MatrixRow("initiatives:volunteer", everyone(200), kwargs=_volunteer, state="private link"),
    MatrixRow(
        "initiatives:volunteer",
        everyone(404),
        kwargs=lambda w: {"token": "not-a-token"},
        state="wrong link",
    ),
    MatrixRow("initiatives:take_task", everyone(302), kwargs=_task, method="post"),
]

ROWS += PLAYBOOK_ROWS


# The leads' page: the factory makes "resident" a lead; facilitators and the service steer too.
STEERERS = ("resident", *STARTERS)
STAFF = ("coordinator", "administrator")


def _with_task(world: World) -> dict[str, int]:
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    task = initiative.tasks.get(permit=False)
    return {"pk": initiative.pk, "task": task.pk}


def _own_task(world: World) -> dict[str, str | int]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    volunteer = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    task = initiative.tasks.get(permit=False)
    actions.take_task(volunteer=volunteer, task=task)
    return {"token": volunteer.token, "task": task.pk}


def _someone_elses_task(world: World) -> dict[str, str | int]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    marc = actions.sign_up(by=None, initiative=initiative, name="Marc").volunteer
    task = initiative.tasks.get(permit=False)
    actions.take_task(volunteer=rosa, task=task)
    return {"token": marc.token, "task": task.pk}


def _with_volunteer(world: World) -> dict[str, int]:
    from palabre.accounts.tests.factories import make_user
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    signed = actions.sign_up(by=make_user(email="rosa@example.org"), initiative=initiative)
    return {"pk": initiative.pk, "volunteer": signed.volunteer.pk}


def _with_need(world: World) -> dict[str, int]:
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    need = actions.add_need(
        by=world.person("resident"), initiative=initiative, kind="room", description="Une salle"
    )
    return {"pk": initiative.pk, "need": need.pk}


def _permit(world: World) -> dict[str, str | int]:
    from palabre.initiatives.tests.factories import make_initiative
    from palabre.official_requests.tests.factories import make_department

    make_department(world)
    initiative = make_initiative(world)
    return {"pk": initiative.pk, "kind": "task", "item": initiative.tasks.get(permit=True).pk}


def _ask(world: World) -> dict[str, str | int]:
    from palabre.initiatives.models import Task
    from palabre.official_requests.models import Department

    task = Task.objects.get(permit=True)
    return {
        f"ask-task-{task.pk}-department": Department.objects.get().pk,
        f"ask-task-{task.pk}-asked": "Fermer la rue Haute le 22 mai.",
    }


def _expense(world: World) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps

    return {
        "expense-key": "e" * 20,
        "expense-label": "Tables",
        "expense-amount": "40",
        "expense-spent_on": "2027-05-20",
        "expense-receipt": SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
    }


def _with_receipt(world: World) -> dict[str, int]:
    from datetime import date
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world)
    expense = actions.add_expense(
        by=world.person("resident"),
        initiative=initiative,
        label="Tables",
        amount=Decimal(40),
        spent_on=date(2027, 5, 20),
        receipt=SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
        key="r" * 20,
    )
    return {"pk": initiative.pk, "expense": expense.pk}


def _photo(world: World) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps

    return {
        "photo-key": "p" * 20,
        "photo-image": SimpleUploadedFile("fete.jpg", jpeg_with_gps()),
        "photo-description": "Les tables dans la rue",
    }


def _with_photo(world: World) -> dict[str, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    photo = actions.add_photo(
        by=world.person("resident"),
        initiative=make_initiative(world),
        image=SimpleUploadedFile("fete.jpg", jpeg_with_gps()),
        description="Les tables dans la rue",
        shows_people=False,
        consent="",
        key="q" * 20,
    )
    return {"pk": photo.pk}


def _steer(
    name: str,
    expected: int,
    *,
    kwargs: Callable[[World], dict[str, Any]] = _initiative,
    method: str = "post",
    data: Callable[[World], dict[str, Any]] = lambda w: {},
    state: str = "",
) -> MatrixRow:
    """A row of the leads' page: `expected` for leads and the service, 403 for anyone else."""
    return MatrixRow(
        f"initiatives:{name}",
        only(expected, STEERERS, otherwise=403),
        kwargs=kwargs,
        method=method,
        data=data,
        state=state,
    )


ROWS += [
    MatrixRow("initiatives:showcase", everyone(200)),
    MatrixRow(
        "initiatives:neighbourhood_showcase", everyone(200), kwargs=lambda w: {"slug": "bomel"}
    ),
    MatrixRow(
        "initiatives:neighbourhood_showcase",
        only(200, STAFF, otherwise=404),
        kwargs=lambda w: {"slug": w.hidden.slug},
        state="unpublished neighbourhood",
    ),
    MatrixRow("initiatives:photo", everyone(200), kwargs=_with_photo),
    MatrixRow(
        "initiatives:finish_task", everyone(302), kwargs=_own_task, method="post", state="own"
    ),
    MatrixRow(
        "initiatives:finish_task",
        everyone(403),
        kwargs=_someone_elses_task,
        method="post",
        state="someone else's",
    ),
    MatrixRow(
        "initiatives:release_task", everyone(302), kwargs=_own_task, method="post", state="own"
    ),
    MatrixRow(
        "initiatives:release_task",
        everyone(403),
        kwargs=_someone_elses_task,
        method="post",
        state="someone else's",
    ),
    _steer("manage", 200, method="get"),
    _steer("move", 400, state="no status chosen"),
    _steer("details", 302, data=lambda w: {"details-title": "Fête de la rue Haute"}),
    _steer("add_task", 302, data=lambda w: {"task-title": "Louer la sono"}),
    _steer("update_task", 302, kwargs=_with_task, data=lambda w: {}),
    _steer("make_lead", 302, kwargs=_with_volunteer),
    _steer("add_need", 302, data=lambda w: {"need-kind": "room", "need-description": "Salle"}),
    _steer("need_met", 302, kwargs=_with_need),
    _steer("ask_city", 302, kwargs=_permit, data=_ask, state="asked once, then found"),
    _steer("budget", 302, data=lambda w: {"budget-requested": "150"}),
    _steer("add_expense", 302, data=_expense),
    _steer("receipt", 200, kwargs=_with_receipt, method="get"),
    _steer("add_photo", 302, data=_photo),
    _steer("report", 400, data=lambda w: {"report-report": "Trop tôt"}, state="before it happened"),
]


# Facilitators steer only the actions they started or that take place where they run a
# workshop: the same pages for an action the coordinator started, outside and inside their patch.
NOT_THE_FACILITATORS = ("resident", *STAFF)


def _started_by_the_coordinator(world: World) -> dict[str, int]:
    from palabre.initiatives.tests.factories import make_initiative

    return {"pk": make_initiative(world, started_by="coordinator").pk}


def _in_the_facilitators_patch(world: World) -> dict[str, int]:
    from palabre.workshops.tests.factories import make_hosted_workshop

    make_hosted_workshop(world)  # run by the facilitator persona, in Bomel
    return _started_by_the_coordinator(world)


def _receipt_not_theirs(world: World) -> dict[str, int]:
    from datetime import date
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import make_initiative

    initiative = make_initiative(world, started_by="coordinator")
    expense = actions.add_expense(
        by=world.person("resident"),
        initiative=initiative,
        label="Tables",
        amount=Decimal(40),
        spent_on=date(2027, 5, 20),
        receipt=SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
        key="s" * 20,
    )
    return {"pk": initiative.pk, "expense": expense.pk}


NOT_IN_PATCH = "started by the coordinator, outside the facilitator's neighbourhoods"

ROWS += [
    MatrixRow(
        "initiatives:manage",
        only(200, NOT_THE_FACILITATORS, otherwise=403),
        kwargs=_started_by_the_coordinator,
        state=NOT_IN_PATCH,
    ),
    MatrixRow(
        "initiatives:add_task",
        only(302, NOT_THE_FACILITATORS, otherwise=403),
        kwargs=_started_by_the_coordinator,
        method="post",
        data=lambda w: {"task-title": "Louer la sono"},
        state=NOT_IN_PATCH,
    ),
    MatrixRow(
        "initiatives:receipt",
        only(200, NOT_THE_FACILITATORS, otherwise=403),
        kwargs=_receipt_not_theirs,
        state=NOT_IN_PATCH,
    ),
    MatrixRow(
        "initiatives:manage",
        only(200, STEERERS, otherwise=403),
        kwargs=_in_the_facilitators_patch,
        state="started by the coordinator, where the facilitator runs a workshop",
    ),
]
