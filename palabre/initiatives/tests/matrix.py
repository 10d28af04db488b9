from __future__ import annotations

from palabre.core.testing import MatrixRow, World, everyone, only


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

    return {"contribution": make_post(world.home, "Une fête de rue ?").pk}


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
