"""The pages over HTTP: a resident votes with a code without JavaScript (review step, totals
counted by the server), changes their ballot, checks it with the receipt; the service closes
and publishes; every page in a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from palabre.budgets import actions, tally
from palabre.budgets.models import Ballot, Process, Voter
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process, make_voter
from palabre.core.testing import World, error_summary, pdf_text

pytestmark = pytest.mark.django_db


def _ballot_url(process: Process, voter: Voter, envelope_pk: int) -> str:
    return reverse("budgets:ballot", args=[process.slug, voter.token, envelope_pk])


def _ids(process: Process, world: World, *indexes: int) -> list[str]:
    bomel = envelope_of(process, world)
    return [str(bomel.projects.get(title=PROJECTS[i][0]).pk) for i in indexes]


def test_a_resident_votes_with_the_code_on_their_letter_without_javascript(world: World) -> None:
    process = make_process(world)
    batch = actions.make_codes(
        by=world.person("coordinator"), process=process, label="Lettres", count=1
    )
    client = Client()
    typed = batch.codes.get().code.lower()
    entered = client.post(reverse("budgets:enter_code", args=[process.slug]), {"code": typed})
    voter = Voter.objects.get()
    assert entered.status_code == 302
    assert entered["Location"] == reverse("budgets:voter", args=[process.slug, voter.token])
    url = _ballot_url(process, voter, envelope_of(process, world).pk)
    page = client.get(url).content.decode()
    assert "Qui peut voter\u00a0: toute personne de 16 ans ou plus qui habite à Bomel." in page

    # Too much: the server adds it up and says by how much, the ticks are kept.
    over = client.post(url, {"projects": _ids(process, world, 0, 1, 2), "step": "review"})
    assert over.status_code == 400
    html = over.content.decode()
    assert error_summary(html) == ["#id_projects_0"]
    assert (
        "12\u202f000\u00a0€ choisis\u00a0: 2\u202f000\u00a0€ de plus que les 10\u202f000\u00a0€"
        in html
    )
    assert html.count(" checked") == 3

    # Within the envelope: the review step lists the choices and the total.
    review = client.post(url, {"projects": _ids(process, world, 0, 2), "step": "review"})
    text = review.content.decode()
    assert review.status_code == 200
    assert "Total\u00a0: 7\u202f000\u00a0€ sur les 10\u202f000\u00a0€ de cette enveloppe." in text
    assert not Ballot.objects.exists()
    sent = client.post(
        url, {"projects": _ids(process, world, 0, 2), "step": "confirm"}, follow=True
    )
    assert "Merci\u00a0: votre bulletin est compté." in sent.content.decode()
    receipt = Ballot.objects.get().receipt
    assert receipt in sent.content.decode()

    # Back to the ballot: the ticks are there; changing it keeps one ballot, the last.
    assert client.get(url).content.decode().count(" checked") == 2
    changed = client.post(
        url, {"projects": _ids(process, world, 1), "step": "confirm"}, follow=True
    )
    assert "Votre bulletin est modifié\u00a0: seul celui-ci compte." in changed.content.decode()
    assert Ballot.objects.get().choices == _ids(process, world, 1)[0]

    checked = client.post(reverse("budgets:receipt", args=[process.slug]), {"receipt": receipt})
    assert "Votre bulletin est compté" in checked.content.decode()
    assert PROJECTS[1][0] in checked.content.decode()
    assert PROJECTS[0][0] not in checked.content.decode()


def test_the_edit_step_puts_the_choices_back_in_the_form(world: World) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    url = _ballot_url(process, voter, envelope_of(process, world).pk)
    back = Client().post(url, {"projects": _ids(process, world, 2), "step": "edit"})
    assert back.status_code == 200
    html = back.content.decode()
    assert re.search(r'value="' + _ids(process, world, 2)[0] + r'"[^>]* checked', html)
    assert 'value="review"' in html


def test_a_ballot_sent_after_closing_says_so_and_keeps_the_counted_one(world: World) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    bomel = envelope_of(process, world)
    url = _ballot_url(process, voter, bomel.pk)
    client = Client()
    client.post(url, {"projects": _ids(process, world, 0), "step": "confirm"})
    actions.close_vote(by=world.person("coordinator"), process=process)
    late = client.post(url, {"projects": _ids(process, world, 1), "step": "confirm"})
    assert late.status_code == 400
    assert (
        "Le vote est clôturé\u00a0: les bulletins ne sont plus acceptés." in late.content.decode()
    )
    assert Ballot.objects.get().choices == _ids(process, world, 0)[0]


def test_a_forged_project_of_another_envelope_is_refused_in_words(world: World) -> None:
    process = make_process(world)
    voter = make_voter(world, process)
    city_project = envelope_of(process).projects.first()
    assert city_project is not None
    url = _ballot_url(process, voter, envelope_of(process, world).pk)
    forged = Client().post(url, {"projects": [str(city_project.pk)], "step": "confirm"})
    assert forged.status_code == 400
    assert (
        "Un projet que vous avez choisi ne figure pas sur ce bulletin." in forged.content.decode()
    )
    assert not Ballot.objects.exists()


def test_a_used_code_is_refused_with_what_to_do(world: World) -> None:
    process = make_process(world)
    batch = actions.make_codes(by=world.person("coordinator"), process=process, label="L", count=1)
    url = reverse("budgets:enter_code", args=[process.slug])
    Client().post(url, {"code": batch.codes.get().code})
    again = Client().post(url, {"code": batch.codes.get().code})
    assert again.status_code == 400
    assert "Ce code a déjà servi." in again.content.decode()
    assert Voter.objects.count() == 1


def test_the_coordinator_freezes_closes_and_publishes_from_their_page(world: World) -> None:
    process = make_process(world, frozen=False)
    client = Client()
    client.force_login(world.person("coordinator"))
    manage = reverse("budgets:manage", args=[process.slug])
    assert "Figer les règles" in client.get(manage).content.decode()
    client.post(reverse("budgets:freeze", args=[process.slug]))
    refused = client.post(
        reverse("budgets:set_rules", args=[process.slug]),
        {"rule": "greedy", "ballot_type": "approval-budget"},
    )
    assert refused.status_code == 400
    assert "Les règles ont été figées avant le vote" in refused.content.decode()
    voter = make_voter(world, Process.objects.get(pk=process.pk))
    bomel = envelope_of(process, world)
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=[int(_ids(process, world, 0)[0])])
    client.post(reverse("budgets:close", args=[process.slug]))
    published = client.post(reverse("budgets:publish", args=[process.slug]), follow=True)
    assert "Les résultats sont publiés." in published.content.decode()
    results = client.get(reverse("budgets:results", args=[process.slug, bomel.pk]))
    assert re.findall(r'data-project-id="(\d+)"', results.content.decode()) == _ids(
        process, world, 0
    )
    history = client.get(reverse("budgets:process", args=[process.slug])).content.decode()
    for event in (
        "Règles figées",
        "Une modification des règles figées a été refusée",
        "Vote clôturé",
    ):
        assert event in history


def test_the_letters_print_one_code_per_page_with_the_address(world: World) -> None:
    process = make_process(world)
    batch = actions.make_codes(by=world.person("coordinator"), process=process, label="L", count=3)
    client = Client()
    client.force_login(world.person("coordinator"))
    response = client.get(reverse("budgets:code_letters", args=[process.slug, batch.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for code in batch.codes.values_list("code", flat=True):
        assert " ".join([code[:4], code[4:8], code[8:]]) in text
    assert text.count("/budget-participatif/budget-2027/code/") == 3
    assert text.count("\f") >= 2  # three pages


def test_results_and_process_pages_take_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    process = make_process(world)
    bomel = envelope_of(process, world)
    for _ in range(6):
        actions.cast_ballot(
            voter=make_voter(world, process),
            envelope=bomel,
            project_ids=[int(_ids(process, world, 0)[0])],
        )
    coordinator = world.person("coordinator")
    actions.close_vote(by=coordinator, process=process)
    tally.publish_results(by=coordinator, process=process)
    client = Client()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("budgets:process", args=[process.slug])).status_code == 200
    with django_assert_max_num_queries(8):
        url = reverse("budgets:results", args=[process.slug, bomel.pk])
        assert client.get(url).status_code == 200
