"""Ballots through the actions: one per voter and envelope, the last one counts, and every
kind of bad ballot refused with a message that says what to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from palabre.budgets import actions, tally
from palabre.budgets.models import Ballot, Event, EventKind, Phase, VotingCode
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process, make_voter
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def _ids(envelope, *titles: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [envelope.projects.get(title=title).pk for title in titles]


def test_changing_a_ballot_keeps_one_ballot_and_its_receipt_with_the_last_choices(
    world: World,
) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    bomel = envelope_of(process, world)
    first = actions.cast_ballot(
        voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[0][0])
    )
    second = actions.cast_ballot(
        voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[1][0], PROJECTS[2][0])
    )
    assert (first.revision, second.revision) == (1, 2)
    assert first.receipt == second.receipt
    stored = Ballot.objects.get()
    assert stored.project_ids == sorted(_ids(bomel, PROJECTS[1][0], PROJECTS[2][0]))
    assert stored.receipt == first.receipt


def test_a_ballot_over_the_envelope_is_refused_with_the_amounts(world: World) -> None:
    process = make_process(world)
    bomel = envelope_of(process, world)
    with pytest.raises(actions.Refused) as refused:
        actions.cast_ballot(
            voter=make_voter(world, process),
            envelope=bomel,
            project_ids=_ids(bomel, *(title for title, _ in PROJECTS)),
        )
    assert refused.value.message == (
        "Vos choix coûtent 12\u202f000\u00a0€, plus que les 10\u202f000\u00a0€ de cette "
        "enveloppe. Retirez un projet."
    )
    assert not Ballot.objects.exists()


def test_a_refused_change_keeps_the_ballot_already_counted(world: World) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    bomel = envelope_of(process, world)
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[0][0]))
    with pytest.raises(actions.Refused):
        actions.cast_ballot(
            voter=voter, envelope=bomel, project_ids=_ids(bomel, *(t for t, _ in PROJECTS))
        )
    assert Ballot.objects.get().project_ids == _ids(bomel, PROJECTS[0][0])


def test_a_project_of_another_envelope_is_refused(world: World) -> None:
    process = make_process(world)
    city = envelope_of(process)
    with pytest.raises(actions.Refused, match="ne figure pas sur ce bulletin"):
        actions.cast_ballot(
            voter=make_voter(world, process),
            envelope=envelope_of(process, world),
            project_ids=[city.projects.first().pk],  # type: ignore[union-attr]
        )


def test_an_empty_ballot_is_refused(world: World) -> None:
    process = make_process(world)
    with pytest.raises(actions.Refused, match="au moins un projet"):
        actions.cast_ballot(
            voter=make_voter(world, process), envelope=envelope_of(process), project_ids=[]
        )


def test_more_projects_than_allowed_is_refused_in_words(world: World) -> None:
    process = make_process(world, ballot_type="approval-max", max_choices=1)
    bomel = envelope_of(process, world)
    with pytest.raises(actions.Refused) as refused:
        actions.cast_ballot(
            voter=make_voter(world, process),
            envelope=bomel,
            project_ids=_ids(bomel, PROJECTS[0][0], PROJECTS[1][0]),
        )
    assert refused.value.message == "Choisissez au plus 1 projet (vous en avez choisi 2)."


def test_a_ballot_after_closing_is_refused_and_the_counted_one_stays(world: World) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    bomel = envelope_of(process, world)
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[0][0]))
    actions.close_vote(by=world.person("coordinator"), process=process)
    with pytest.raises(actions.Refused, match="Le vote est clôturé"):
        actions.cast_ballot(voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[1][0]))
    assert Ballot.objects.get().project_ids == _ids(bomel, PROJECTS[0][0])


def test_the_vote_is_not_open_until_the_rules_are_frozen(world: World) -> None:
    process = make_process(world, frozen=False)
    assert process.phase(timezone.now()) == Phase.REVIEW
    with pytest.raises(actions.Refused, match="pas encore ouvert"):
        actions.redeem_code(process=process, code="ABCD")


def test_a_voter_votes_in_one_neighbourhood_only(world: World) -> None:
    process = make_process(world, frozen=False)
    coordinator = world.person("coordinator")
    elsewhere = actions.add_envelope(
        by=coordinator, process=process, neighbourhood=world.elsewhere, amount=5_000
    )
    project = actions.add_project(by=coordinator, envelope=elsewhere, title="Boîte", cost=800)
    actions.freeze_rules(by=coordinator, process=process)
    process.refresh_from_db()
    voter = make_voter(world, process)
    bomel = envelope_of(process, world)
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=_ids(bomel, PROJECTS[0][0]))
    with pytest.raises(actions.Refused, match="un autre quartier"):
        actions.cast_ballot(voter=voter, envelope=elsewhere, project_ids=[project.pk])
    # The whole city's envelope stays open to them.
    city = envelope_of(process)
    actions.cast_ballot(voter=voter, envelope=city, project_ids=[city.projects.first().pk])  # type: ignore[union-attr]
    assert Ballot.objects.count() == 2


def test_a_code_is_used_once_and_an_unknown_code_is_refused(world: World) -> None:
    process = make_process(world)
    batch = actions.make_codes(
        by=world.person("coordinator"), process=process, label="Lettres Bomel", count=3
    )
    code = batch.codes.first().code  # type: ignore[union-attr]
    typed = " ".join(code[i : i + 4] for i in range(0, 12, 4)).lower()
    voter = actions.redeem_code(process=process, code=typed)
    assert voter.key == f"code:{VotingCode.objects.get(code=code).pk}"
    with pytest.raises(actions.Refused, match="a déjà servi"):
        actions.redeem_code(process=process, code=code)
    with pytest.raises(actions.Refused, match="pas un code de vote de ce budget"):
        actions.redeem_code(process=process, code="ZZZZ-ZZZZ-ZZZZ")


def test_a_code_of_another_budget_is_unknown_here(world: World) -> None:
    first = make_process(world)
    other = make_process(world, slug="budget-2028")
    batch = actions.make_codes(by=world.person("coordinator"), process=first, label="A", count=1)
    with pytest.raises(actions.Refused, match="pas un code de vote"):
        actions.redeem_code(process=other, code=batch.codes.get().code)


def test_frozen_rules_refuse_a_change_and_log_the_attempt(world: World) -> None:
    process = make_process(world)
    with pytest.raises(actions.Refused, match="figé"):
        actions.set_rules(
            by=world.person("coordinator"),
            process=process,
            rule="greedy",
            ballot_type="approval-budget",
            max_choices=None,
        )
    process.refresh_from_db()
    assert process.rule == "mes-add1"
    assert Event.objects.filter(kind=EventKind.RULES_CHANGE_REFUSED).count() == 1


def test_rules_change_before_the_freeze(world: World) -> None:
    process = make_process(world, frozen=False)
    actions.set_rules(
        by=world.person("coordinator"),
        process=process,
        rule="greedy",
        ballot_type="approval-max",
        max_choices=2,
    )
    assert (process.rule, process.ballot_type, process.max_choices) == ("greedy", "approval-max", 2)


def test_projects_cannot_be_added_once_the_ballot_is_frozen(world: World) -> None:
    process = make_process(world)
    with pytest.raises(actions.Refused, match="figé"):
        actions.add_project(
            by=world.person("coordinator"), envelope=envelope_of(process), title="X", cost=10
        )


@pytest.mark.parametrize("persona", ["resident", "facilitator", "official", "partner"])
def test_only_the_service_runs_a_budget(world: World, persona: str) -> None:
    process = make_process(world)
    with pytest.raises(PermissionDenied):
        actions.close_vote(by=world.person(persona), process=process)
    with pytest.raises(PermissionDenied):
        actions.make_codes(by=world.person(persona), process=process, label="x", count=1)


def test_results_are_counted_once_and_only_after_closing(world: World) -> None:
    process = make_process(world)
    coordinator = world.person("coordinator")
    with pytest.raises(actions.Refused, match="Clôturez le vote"):
        tally.publish_results(by=coordinator, process=process)
    bomel = envelope_of(process, world)
    for titles in [(PROJECTS[0][0], PROJECTS[2][0])] * 3 + [(PROJECTS[1][0],)] * 2:
        actions.cast_ballot(
            voter=make_voter(world, process), envelope=bomel, project_ids=_ids(bomel, *titles)
        )
    actions.close_vote(by=coordinator, process=process)
    tally.publish_results(by=coordinator, process=process, now=timezone.now())
    bomel.refresh_from_db()
    result = bomel.result
    assert result is not None
    assert result["voters"] == 5
    # MES shares 10,000 € among 5 voters (2,000 each): the three who chose the park benches
    # and the garden pay 7,000 € for both; the two for the fresco have 4,000 €, not 5,000 €.
    assert result["winners"] == [str(pk) for pk in _ids(bomel, PROJECTS[0][0], PROJECTS[2][0])]
    assert result["channels"] == {"code": 5}
    first_count = bomel.recount
    tally.publish_results(by=coordinator, process=process, now=timezone.now() + timedelta(hours=1))
    bomel.refresh_from_db()
    assert bomel.recount == first_count
