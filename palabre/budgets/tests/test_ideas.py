"""Ideas from every door, merged, checked by a department through a request, made into
projects, and the funded projects followed through a request (issue 18, items 2, 3 and 7):
the actions against a real database, then the pages over HTTP."""

from __future__ import annotations

import secrets
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.budgets import actions, idea_actions
from palabre.budgets.models import Event, EventKind, Idea, IdeaSource, IdeaStatus, Process, Project
from palabre.budgets.tests.idea_factories import (
    feasible,
    make_ideas_process,
    make_reviewing_department,
    propose,
    vote_and_publish,
)
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World, error_summary
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests import actions as request_actions
from palabre.official_requests.models import AnswerKind, Department, Progress, Request, Status
from palabre.official_requests.tests.factories import make_department

pytestmark = pytest.mark.django_db


def _key() -> str:
    return secrets.token_urlsafe(24)


def _html(response: Any) -> str:
    """A page's text with its entities read (an apostrophe is &#x27; in the HTML)."""
    return unescape(response.content.decode())


def _idea_url(idea: Idea) -> str:
    return reverse("budgets:idea", args=[idea.process.slug, idea.pk])


# Ideas from every door -------------------------------------------------------------------------


def test_a_resident_proposes_an_idea_without_an_account_and_the_same_form_twice_makes_one(
    world: World,
) -> None:
    process = make_ideas_process(world)
    key = _key()
    sent = [
        idea_actions.propose_idea(
            by=None,
            process=process,
            title="Un banc devant la boulangerie",
            description="Rue de Bomel, pour les aînés qui attendent le bus.",
            neighbourhood=world.home,
            key=key,
        )
        for _ in range(2)
    ]
    assert sent[0].pk == sent[1].pk
    idea = Idea.objects.get()
    assert (idea.source, idea.status, idea.author, idea.neighbourhood) == (
        IdeaSource.ONLINE,
        IdeaStatus.SUBMITTED,
        None,
        world.home,
    )
    signed_in = propose(world, process, "Une fontaine au parc", home=False)
    assert signed_in.author == world.person("resident")
    assert signed_in.neighbourhood is None


def test_ideas_are_proposed_online_only_while_the_process_takes_them(world: World) -> None:
    process = make_ideas_process(world, taking=False)
    with pytest.raises(actions.Refused, match="Les idées ont été recueillies jusqu'au"):
        propose(world, process)
    # On paper, facilitators and the service type them in until the vote.
    typed = idea_actions.transcribe_paper_idea(
        by=world.person("facilitator"),
        process=process,
        title="Un potager partagé",
        description="Derrière la maison de quartier.",
        neighbourhood=world.home,
        key=_key(),
    )
    assert typed.source == IdeaSource.PAPER
    assert typed.created_by == world.person("facilitator")
    with pytest.raises(PermissionDenied):
        idea_actions.transcribe_paper_idea(
            by=world.person("resident"),
            process=process,
            title="Un potager",
            description="Ici.",
            neighbourhood=None,
            key=_key(),
        )
    voting = timezone.now() + timedelta(days=51)
    actions.freeze_rules(by=world.person("coordinator"), process=process)
    with pytest.raises(actions.Refused, match="Le vote a commencé"):
        idea_actions.transcribe_paper_idea(
            by=world.person("coordinator"),
            process=process,
            title="Trop tard",
            description="Pendant le vote.",
            neighbourhood=None,
            key=_key(),
            now=voting,
        )


def test_an_idea_is_for_a_place_the_budget_has_money_for(world: World) -> None:
    process = make_ideas_process(world)
    with pytest.raises(actions.Refused, match="Ce budget n'a pas d'argent pour cet endroit"):
        idea_actions.propose_idea(
            by=None,
            process=process,
            title="Un banc à Jambes",
            description="Place de la Wallonie.",
            neighbourhood=world.elsewhere,
            key=_key(),
        )
    with pytest.raises(actions.Refused, match="Donnez un titre à l'idée"):
        idea_actions.propose_idea(
            by=None,
            process=process,
            title="  ",
            description="Sans titre.",
            neighbourhood=None,
            key=_key(),
        )


def test_a_facilitator_makes_an_idea_of_a_contribution_and_each_page_shows_the_other(
    world: World,
) -> None:
    process = make_ideas_process(world)
    said = make_post(world.home, "Il faudrait des bacs à fleurs rue de Bomel.")
    made = [
        idea_actions.idea_from_contribution(
            by=world.person("facilitator"),
            process=process,
            contribution=said,
            title="Des bacs à fleurs rue de Bomel",
        )
        for _ in range(2)
    ]
    assert made[0].pk == made[1].pk  # one idea per contribution
    idea = made[0]
    assert (idea.contribution, idea.description, idea.neighbourhood) == (
        said,
        said.public_text,
        world.home,
    )
    client = Client()
    contribution_page = client.get(reverse("contributions:detail", args=[said.pk])).content
    assert _idea_url(idea) in contribution_page.decode()
    assert "Idée pour le budget participatif" in contribution_page.decode()
    idea_page = _html(client.get(_idea_url(idea)))
    assert reverse("contributions:detail", args=[said.pk]) in idea_page
    with pytest.raises(PermissionDenied):
        idea_actions.idea_from_contribution(
            by=world.person("resident"), process=process, contribution=said, title="Moi"
        )
    pending = make_post(world.home, "En attente de modération.", moderation="pre")
    with pytest.raises(actions.Refused, match="Seule une contribution publiée"):
        idea_actions.idea_from_contribution(
            by=world.person("coordinator"), process=process, contribution=pending, title="Non"
        )


def test_the_contribution_page_offers_the_facilitator_to_make_it_an_idea(world: World) -> None:
    process = make_ideas_process(world)
    said = make_post(world.home)
    url = reverse("budgets:idea_from_contribution", args=[process.slug, said.pk])
    client = Client()
    assert url not in _html(client.get(reverse("contributions:detail", args=[said.pk])))
    client.force_login(world.person("facilitator"))
    assert url in _html(client.get(reverse("contributions:detail", args=[said.pk])))
    sent = client.post(url, {"title": "Des bancs", "description": ""})
    idea = Idea.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == _idea_url(idea)
    assert idea.description == said.public_text
    assert idea.source == IdeaSource.ONLINE  # said on the online board


def test_a_citizen_action_asks_for_funding_and_its_pages_show_it(world: World) -> None:
    process = make_ideas_process(world)
    initiative = make_initiative(world)
    manage = reverse("initiatives:manage", args=[initiative.pk])
    ask = reverse("budgets:ask_funding", args=[process.slug, initiative.pk])
    lead = Client()
    lead.force_login(world.person("resident"))
    assert ask in _html(lead.get(manage))
    asked = lead.post(ask, {"title": "Tables pour la fête", "description": "Vingt tables, 400 €."})
    idea = Idea.objects.get()
    assert asked["Location"] == _idea_url(idea)
    assert (idea.source, idea.initiative, idea.neighbourhood, idea.author) == (
        IdeaSource.CITIZEN_ACTION,
        initiative,
        world.home,
        world.person("resident"),
    )
    again = idea_actions.ask_funding(
        by=world.person("resident"),
        process=process,
        initiative=initiative,
        title="Encore",
        description="Une deuxième fois.",
    )
    assert again.pk == idea.pk
    detail = _html(Client().get(reverse("initiatives:detail", args=[initiative.pk])))
    assert "Financement demandé au budget participatif" in detail
    assert _idea_url(idea) in detail
    assert _idea_url(idea) in _html(lead.get(manage))
    assert reverse("initiatives:detail", args=[initiative.pk]) in _html(lead.get(_idea_url(idea)))
    with pytest.raises(PermissionDenied):
        idea_actions.ask_funding(
            by=world.person("neighbour"),
            process=process,
            initiative=initiative,
            title="Pas la mienne",
            description="Non.",
        )
    initiative_actions.move(
        by=world.person("coordinator"),
        initiative=initiative,
        target=InitiativeStatus.ABANDONED,
        reason="Plus de bénévoles.",
    )
    other = make_ideas_process(world, slug="budget-2029")
    with pytest.raises(actions.Refused, match="Cette action citoyenne est terminée"):
        idea_actions.ask_funding(
            by=world.person("resident"),
            process=other,
            initiative=initiative,
            title="Tables",
            description="Vingt tables.",
        )


def test_the_coordinator_merges_a_duplicate_in_the_public_history(world: World) -> None:
    process = make_ideas_process(world)
    keep = propose(world, process, "Des bancs au square")
    duplicate = propose(world, process, "Bancs square de Bomel")
    earlier = propose(world, process, "Un banc au square")
    coordinator = world.person("coordinator")
    idea_actions.merge_ideas(by=coordinator, duplicate=earlier, keep=duplicate)
    assert idea_actions.merge_ideas(by=coordinator, duplicate=duplicate, keep=keep) == keep
    assert idea_actions.merge_ideas(by=coordinator, duplicate=duplicate, keep=keep) == keep
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (IdeaStatus.MERGED, keep)
    assert earlier.merged_into == keep  # no chain of merges
    history = list(
        process.events.filter(kind=EventKind.IDEAS_MERGED).values_list("detail", flat=True)
    )
    assert history == [
        "Un banc au square → Bancs square de Bomel",
        "Bancs square de Bomel → Des bancs au square",
    ]
    with pytest.raises(actions.Refused, match="a elle-même été fusionnée"):
        idea_actions.merge_ideas(by=coordinator, duplicate=keep, keep=duplicate)
    with pytest.raises(actions.Refused, match="avec elle-même"):
        idea_actions.merge_ideas(by=coordinator, duplicate=keep, keep=keep)
    with pytest.raises(PermissionDenied):
        idea_actions.merge_ideas(by=world.person("facilitator"), duplicate=keep, keep=earlier)
    page = _html(Client().get(_idea_url(duplicate)))
    assert "Cette idée a été fusionnée avec une idée semblable" in page
    assert "Bancs square de Bomel → Des bancs au square" in _html(
        Client().get(reverse("budgets:projects", args=[process.slug]))
    )


# The feasibility review ------------------------------------------------------------------------


def test_sending_an_idea_for_review_makes_one_request_with_deadlines(world: World) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = propose(world, process)
    coordinator = world.person("coordinator")
    first = idea_actions.send_for_review(by=coordinator, idea=idea, department=department)
    again = idea_actions.send_for_review(by=coordinator, idea=idea, department=department)
    assert first.pk == again.pk
    assert Request.objects.count() == 1
    idea.refresh_from_db()
    assert (idea.status, idea.review) == (IdeaStatus.IN_REVIEW, first)
    assert (first.status, first.department, first.neighbourhood) == (
        Status.SENT,
        department,
        world.home,
    )
    assert first.answer_by is not None
    assert first.acknowledge_by is not None
    assert first.title == "Faisabilité\u00a0: Des bancs rue de Bomel"
    assert _idea_url(idea) in first.asked
    # The request's page says where the estimate is given.
    request_page = Client().get(reverse("official_requests:detail", args=[first.pk]))
    assert _idea_url(idea) in _html(request_page)
    with pytest.raises(PermissionDenied):
        idea_actions.send_for_review(
            by=world.person("facilitator"), idea=idea, department=department
        )


def test_a_city_wide_idea_says_where_its_request_is(world: World) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = propose(world, process, "Des fontaines dans les parcs", home=False)
    with pytest.raises(actions.Refused, match="Dites dans quel quartier"):
        idea_actions.send_for_review(
            by=world.person("coordinator"), idea=idea, department=department
        )
    sent = idea_actions.send_for_review(
        by=world.person("coordinator"),
        idea=idea,
        department=department,
        neighbourhood=world.elsewhere,
    )
    assert sent.neighbourhood == world.elsewhere


def test_the_department_answers_feasible_with_a_cost_and_it_is_the_requests_answer(
    world: World,
) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = feasible(world, propose(world, process), department, cost=12_000)
    assert (idea.status, idea.cost_estimate, idea.reasons) == (IdeaStatus.FEASIBLE, 12_000, "")
    request = Request.objects.get()
    assert (request.status, request.answer_kind) == (Status.ANSWERED, AnswerKind.ACCEPTED)
    assert request.answer_text == "Réalisable. Coût estimé\u00a0: 12\u202f000\u00a0€."
    assert request.answer_from_department == department
    # Revised: the request's answer is revised with it.
    idea_actions.record_estimate(
        by=world.person("official"), idea=idea, feasible=True, cost_estimate=9_500
    )
    request.refresh_from_db()
    assert "9\u202f500" in request.answer_text
    assert request.events.filter(note__contains="nouvelle estimation").exists()


def test_not_feasible_needs_reasons_which_everyone_reads_on_the_idea(world: World) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = propose(world, process, "Un téléphérique vers la Citadelle")
    idea_actions.send_for_review(by=world.person("coordinator"), idea=idea, department=department)
    with pytest.raises(actions.Refused, match="Dites pourquoi ce n'est pas réalisable"):
        idea_actions.record_estimate(by=world.person("official"), idea=idea, feasible=False)
    with pytest.raises(actions.Refused, match="Donnez le coût estimé"):
        idea_actions.record_estimate(by=world.person("official"), idea=idea, feasible=True)
    idea_actions.record_estimate(
        by=world.person("official"),
        idea=idea,
        feasible=False,
        reasons="Il coûterait vingt fois l'enveloppe du quartier.",
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NOT_FEASIBLE
    assert Request.objects.get().answer_kind == AnswerKind.REFUSED
    page = _html(Client().get(_idea_url(idea)))
    assert "Pourquoi ce n'est pas réalisable" in page
    assert "Il coûterait vingt fois l'enveloppe du quartier." in page


def test_the_service_records_an_estimate_the_department_sent_by_email(world: World) -> None:
    process = make_ideas_process(world)
    department = make_department(world)  # nobody answers for it in Palabre
    idea = propose(world, process)
    coordinator = world.person("coordinator")
    idea_actions.send_for_review(by=coordinator, idea=idea, department=department)
    with pytest.raises(actions.Refused, match="Dites comment la réponse a été reçue"):
        idea_actions.record_estimate(by=coordinator, idea=idea, feasible=True, cost_estimate=800)
    idea_actions.record_estimate(
        by=coordinator, idea=idea, feasible=True, cost_estimate=800, received_via="email"
    )
    request = Request.objects.get()
    assert (request.answer_received_via, request.answer_kind) == ("email", AnswerKind.ACCEPTED)


@pytest.mark.parametrize("persona", ["resident", "facilitator", "cabinet", "partner"])
def test_only_who_answers_the_request_or_the_service_estimates(world: World, persona: str) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = propose(world, process)
    idea_actions.send_for_review(by=world.person("coordinator"), idea=idea, department=department)
    with pytest.raises(PermissionDenied):
        idea_actions.record_estimate(
            by=world.person(persona), idea=idea, feasible=True, cost_estimate=100
        )
    other = Department.objects.create(slug="proprete", name="Service Propreté")
    other.members.add(world.person("resident"))
    with pytest.raises(PermissionDenied):
        idea_actions.record_estimate(
            by=world.person("resident"), idea=idea, feasible=True, cost_estimate=100
        )


# Projects --------------------------------------------------------------------------------------


def test_the_coordinator_makes_one_project_of_two_feasible_ideas_and_the_history_says_so(
    world: World,
) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    benches = feasible(world, propose(world, process, "Des bancs"), department, cost=3_000)
    shade = feasible(world, propose(world, process, "De l'ombre"), department, cost=2_500)
    bomel = process.envelopes.get(neighbourhood=world.home)
    coordinator = world.person("coordinator")
    made = [
        idea_actions.make_project(
            by=coordinator,
            process=process,
            ideas=[benches, shade],
            envelope=bomel,
            title="Bancs et ombre au square",
            summary="Six bancs et deux arbres.",
        )
        for _ in range(2)  # the same form sent twice
    ]
    assert made[0].pk == made[1].pk
    project = made[0]
    assert project.cost == 5_500
    assert set(project.ideas.all()) == {benches, shade}
    event = process.events.get(kind=EventKind.PROJECT_MADE)
    assert event.detail == "Bancs et ombre au square (5\u202f500\u00a0€) ← Des bancs · De l'ombre"
    # Split: the same idea feeds a second project, its cost adjusted.
    split = idea_actions.make_project(
        by=coordinator,
        process=process,
        ideas=[benches],
        envelope=process.envelopes.get(neighbourhood=None),
        title="Bancs sur les trajets des aînés",
        cost=1_200,
    )
    assert (split.cost, list(split.ideas.all())) == (1_200, [benches])
    assert set(benches.projects.all()) == {project, split}
    # An idea not found feasible is not a project; a project's idea is not re-estimated.
    waiting = propose(world, process, "Une piscine")
    with pytest.raises(actions.Refused, match="Seules les idées jugées réalisables"):
        idea_actions.make_project(
            by=coordinator, process=process, ideas=[waiting], envelope=bomel, title="Piscine"
        )
    with pytest.raises(actions.Refused, match="est déjà devenue un projet"):
        idea_actions.record_estimate(
            by=world.person("official"), idea=benches, feasible=True, cost_estimate=1
        )
    with pytest.raises(actions.Refused, match="est déjà devenue un projet"):
        idea_actions.merge_ideas(by=coordinator, duplicate=benches, keep=waiting)
    # Frozen rules: no new project, as for every project.
    actions.freeze_rules(by=coordinator, process=process)
    with pytest.raises(actions.Refused, match="Le bulletin est figé"):
        idea_actions.make_project(
            by=coordinator, process=process, ideas=[shade], envelope=bomel, title="Ombre"
        )
    page = _html(Client().get(_idea_url(benches)))
    assert "Bancs et ombre au square" in page
    assert "Bancs sur les trajets des aînés" in page


def test_funded_projects_are_carried_out_through_a_request_to_who_checked_them(
    world: World,
) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    coordinator = world.person("coordinator")
    idea = feasible(world, propose(world, process, "Des bancs"), department, cost=3_000)
    bomel = process.envelopes.get(neighbourhood=world.home)
    checked = idea_actions.make_project(
        by=coordinator, process=process, ideas=[idea], envelope=bomel, title="Des bancs"
    )
    by_hand = actions.add_project(
        by=coordinator,
        envelope=process.envelopes.get(neighbourhood=None),
        title="Fontaines",
        cost=5_000,
    )
    with pytest.raises(actions.Refused, match="ne sont pas encore publiés"):
        idea_actions.follow_funded_projects(by=coordinator, process=process)
    vote_and_publish(world, process)

    done = idea_actions.follow_funded_projects(by=coordinator, process=process)
    assert (done.followed, done.unrouted) == ([checked], [by_hand])
    checked.refresh_from_db()
    follow_up = checked.follow_up
    assert follow_up is not None
    assert (follow_up.department, follow_up.status, follow_up.neighbourhood) == (
        department,
        Status.SENT,
        world.home,
    )
    assert follow_up.title == "Projet financé\u00a0: Des bancs"
    again = idea_actions.follow_funded_projects(by=coordinator, process=process)
    assert again.followed == []
    assert Request.objects.count() == 2
    # The city-wide project nobody checked: the coordinator chooses its department and place.
    with pytest.raises(actions.Refused, match="Dites dans quel quartier"):
        idea_actions.follow_project(by=coordinator, project=by_hand, department=department)
    other = idea_actions.follow_project(
        by=coordinator, project=by_hand, department=department, neighbourhood=world.elsewhere
    )
    assert other.neighbourhood == world.elsewhere

    # Its progress goes through the requests' own follow-up: answer, update with photo, done.
    member = world.person("official")
    request_actions.answer(
        by=member,
        request=follow_up,
        kind=AnswerKind.PLANNED,
        text="Pose des bancs en avril.",
        version=follow_up.version,
        planned_for=timezone.localdate() + timedelta(days=100),
    )
    request_actions.post_update(
        by=member, request=follow_up, note="Les bancs sont commandés.", progress=Progress.STARTED
    )
    follow_up.refresh_from_db()
    assert follow_up.status == Status.IN_PROGRESS
    client = Client()
    results = client.get(reverse("budgets:results", args=[process.slug, bomel.pk])).content
    tracker = reverse("official_requests:detail", args=[follow_up.pk])
    assert tracker in results.decode()
    assert tracker in _html(client.get(reverse("budgets:projects", args=[process.slug])))
    assert tracker in _html(client.get(_idea_url(idea)))
    page = _html(client.get(tracker))
    assert "Les bancs sont commandés." in page
    assert "Cette demande réalise un projet financé par le budget participatif" in page


def test_only_a_funded_project_is_followed(world: World) -> None:
    process = make_ideas_process(world)
    coordinator = world.person("coordinator")
    department = make_reviewing_department(world)
    city = process.envelopes.get(neighbourhood=None)
    funded = actions.add_project(by=coordinator, envelope=city, title="Fontaines", cost=5_000)
    too_dear = actions.add_project(by=coordinator, envelope=city, title="Navette", cost=30_000)
    vote_and_publish(world, process)
    with pytest.raises(actions.Refused, match="Seul un projet financé"):
        idea_actions.follow_project(
            by=coordinator, project=too_dear, department=department, neighbourhood=world.home
        )
    with pytest.raises(PermissionDenied):
        idea_actions.follow_project(
            by=world.person("official"), project=funded, department=department
        )


# The pages -------------------------------------------------------------------------------------


def test_a_resident_proposes_an_idea_without_javascript_and_bad_input_is_refused_in_view(
    world: World,
) -> None:
    process = make_ideas_process(world)
    client = Client()
    propose_url = reverse("budgets:propose_idea", args=[process.slug])
    ideas_page = _html(client.get(reverse("budgets:ideas", args=[process.slug])))
    assert propose_url in ideas_page
    form = _html(client.get(propose_url))
    assert 'name="key"' in form
    assert "Bomel" in form
    assert "Toute la ville" in form
    key = _key()
    good = {
        "key": key,
        "title": "Un banc",
        "description": "Devant l'école.",
        "place": world.home.pk,
    }

    empty = client.post(propose_url, good | {"title": ""})
    assert empty.status_code == 400
    assert error_summary(_html(empty)) == ["#id_title"]
    assert "Donnez un titre à l'idée." in _html(empty)
    for bad in (
        {"place": str(world.elsewhere.pk)},
        {"place": "9" * 30},
        {"title": "x" * 201},
        {"key": "court"},
        {"description": "x" * 5_001},
    ):
        assert client.post(propose_url, good | bad).status_code == 400, bad
    assert not Idea.objects.exists()

    sent = client.post(propose_url, good)
    idea = Idea.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == _idea_url(idea)
    assert client.post(propose_url, good)["Location"] == _idea_url(idea)  # double submit
    assert Idea.objects.count() == 1
    page = _html(client.get(sent["Location"]))
    assert "Merci\u00a0: votre idée est publiée." in page
    assert "Proposée en ligne" in page


def test_anonymous_proposals_are_rate_limited(world: World, settings: Any) -> None:
    settings.ANONYMOUS_WRITES_PER_CLIENT = 2
    process = make_ideas_process(world)
    url = reverse("budgets:propose_idea", args=[process.slug])
    client = Client()
    statuses = [
        client.post(
            url, {"key": _key(), "title": "Un banc", "description": "Ici.", "place": "city"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_proposing_is_closed_once_ideas_are_collected(world: World) -> None:
    process = make_ideas_process(world, taking=False)
    url = reverse("budgets:propose_idea", args=[process.slug])
    client = Client()
    page = _html(client.get(url))
    assert "Les idées ne sont plus recueillies pour ce budget" in page
    assert 'name="title"' not in page
    refused = client.post(
        url, {"key": _key(), "title": "Un banc", "description": "Ici.", "place": "city"}
    )
    assert refused.status_code == 400
    assert "Les idées ont été recueillies jusqu'au" in _html(refused)


def test_the_department_answers_on_the_idea_page_and_the_coordinator_makes_the_project(
    world: World,
) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    idea = propose(world, process)
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))
    page = _html(coordinator.get(_idea_url(idea)))
    assert "L'envoyer à un service" in page
    review = reverse("budgets:send_for_review", args=[process.slug, idea.pk])
    assert coordinator.post(review, {"department": "999"}).status_code == 400
    assert coordinator.post(review, {"department": department.pk}).status_code == 302

    member = Client()
    member.force_login(world.person("official"))
    page = _html(member.get(_idea_url(idea)))
    assert "Analyse de faisabilité" in page
    assert 'name="received_via"' not in page  # the addressee answers, nothing to record
    estimate = reverse("budgets:record_estimate", args=[process.slug, idea.pk])
    missing = member.post(estimate, {"verdict": "feasible"})
    assert missing.status_code == 400
    assert error_summary(_html(missing)) == ["#id_cost_estimate"]
    assert (
        member.post(estimate, {"verdict": "feasible", "cost_estimate": "4000"}).status_code == 302
    )
    idea.refresh_from_db()
    assert (idea.status, idea.cost_estimate) == (IdeaStatus.FEASIBLE, 4_000)
    # The service sees the field to say how an answer came.
    assert 'name="received_via"' in _html(coordinator.get(_idea_url(idea)))

    make = reverse("budgets:make_project", args=[process.slug])
    form = _html(coordinator.get(f"{make}?idea={idea.pk}"))
    assert 'value="Des bancs rue de Bomel"' in form
    bomel = process.envelopes.get(neighbourhood=world.home)
    sent = coordinator.post(
        make, {"ideas": [idea.pk], "envelope": bomel.pk, "title": "Des bancs", "cost": ""}
    )
    project = bomel.projects.get()
    assert (
        sent["Location"]
        == reverse("budgets:projects", args=[process.slug]) + f"#project-{project.pk}"
    )
    assert project.cost == 4_000
    assert (
        coordinator.post(
            make, {"ideas": ["1" + "0" * 25], "envelope": bomel.pk, "title": "X"}
        ).status_code
        == 400
    )
    projects = _html(Client().get(reverse("budgets:projects", args=[process.slug])))
    assert "Des bancs rue de Bomel" in projects  # the idea it came from
    assert "Projet mis sur le bulletin" in projects


def test_hidden_and_unknown_ideas_are_not_found(world: World) -> None:
    process = make_ideas_process(world)
    idea = propose(world, process)
    client = Client()
    assert client.get(reverse("budgets:idea", args=[process.slug, 10**18])).status_code == 404
    assert client.get(reverse("budgets:idea", args=["nope", idea.pk])).status_code == 404
    url = reverse("budgets:idea_from_contribution", args=[process.slug, 10**18])
    client.force_login(world.person("facilitator"))
    assert client.get(url).status_code == 404
    Process.objects.filter(pk=process.pk).update(is_published=False)
    assert Client().get(_idea_url(idea)).status_code == 404


def test_the_pages_take_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    ideas = [feasible(world, propose(world, process, f"Idée {n}"), department) for n in range(3)]
    idea_actions.make_project(
        by=world.person("coordinator"),
        process=process,
        ideas=ideas[:2],
        envelope=process.envelopes.get(neighbourhood=world.home),
        title="Projet",
    )
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))
    pages = [
        reverse("budgets:ideas", args=[process.slug]),
        _idea_url(ideas[0]),
        reverse("budgets:projects", args=[process.slug]),
        reverse("budgets:make_project", args=[process.slug]),
    ]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(20) as few:
            assert coordinator.get(url).status_code == 200
        counts[url] = len(few.captured_queries)
    for n in range(3, 30):
        idea_actions.merge_ideas(
            by=world.person("coordinator"),
            duplicate=propose(world, process, f"Doublon {n}"),
            keep=ideas[0],
        )
        feasible(world, propose(world, process, f"Idée {n}"), department)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert coordinator.get(url).status_code == 200


def test_events_of_the_history_are_public_on_the_process_page(world: World) -> None:
    process = make_ideas_process(world)
    page = _html(Client().get(reverse("budgets:process", args=[process.slug])))
    assert reverse("budgets:ideas", args=[process.slug]) in page
    assert Event.objects.filter(process=process).exists()


def test_the_demo_tells_the_2026_ideas_story_and_follows_its_funded_projects() -> None:
    from palabre.demo import loader
    from palabre.official_requests.models import EventKind as RequestEventKind

    loader.load()
    process = Process.objects.get(slug="budget-participatif-2026")
    statuses = sorted(process.ideas.values_list("status", flat=True))
    assert statuses.count(IdeaStatus.MERGED) == 1
    assert statuses.count(IdeaStatus.NOT_FEASIBLE) == 1
    assert statuses.count(IdeaStatus.FEASIBLE) == len(statuses) - 2
    assert set(process.ideas.values_list("source", flat=True)) == set(IdeaSource.values)
    refused = process.ideas.get(status=IdeaStatus.NOT_FEASIBLE)
    assert refused.reasons
    assert refused.review is not None
    assert refused.review.answer_kind == AnswerKind.REFUSED
    made = Project.objects.filter(envelope__process=process, ideas__isnull=False).distinct()
    assert made.count() == 4
    funded = idea_actions.funded_projects(process)
    assert funded
    assert all(project.follow_up_id for project in funded)
    updates = RequestEventKind.UPDATE
    assert Request.objects.filter(budget_projects__in=funded, events__kind=updates).count() == 1
    requests = Request.objects.count()
    loader.load()  # a second run changes nothing
    assert Request.objects.count() == requests


def test_personal_data_in_a_public_idea_is_masked(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    from palabre.budgets.tests.idea_factories import make_ideas_process, propose

    process = make_ideas_process(world)
    idea = propose(world, process, title="Un banc, appelez le 0470 12 34 56")
    html = Client().get(reverse("budgets:idea", args=[process.slug, idea.pk])).content.decode()
    assert "0470 12 34 56" not in html
    assert "Un banc, appelez le […]" in html
