"""Every write on a request re-checks who acts, whatever page called it: each action is called
directly by people it must refuse. Officials delegate to departments (to another official only
when the city allows it), private notes stay with the service and the current addressee, and
the reads hide what belongs to an unpublished neighbourhood."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests import actions, queries
from palabre.official_requests.models import AnswerKind, Department, Event, Request, Status
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db


def _other_official() -> User:
    return make_user(role=Role.OFFICIAL, official_title="Échevin", email="autre@example.org")


def _answered(world: World) -> Request:
    request = make_request(world, sent=True)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Accordé.",
        version=1,
    )
    return request


def _acknowledge(request: Request, by: Any) -> object:
    return actions.acknowledge(by=by, request=request)


def _answer(request: Request, by: Any) -> object:
    return actions.answer(
        by=by, request=request, kind=AnswerKind.REFUSED, text="Refusé.", version=request.version
    )


def _start_work(request: Request, by: Any) -> object:
    return actions.start_work(by=by, request=request)


def _mark_done(request: Request, by: Any) -> object:
    return actions.mark_done(by=by, request=request)


def _ask_neighbourhood(request: Request, by: Any) -> object:
    return actions.ask_neighbourhood(by=by, request=request, question="Quelle heure ?")


def _add_note(request: Request, by: Any) -> object:
    return actions.add_note(by=by, request=request, note="Vu.", public=False)


def _redirect(request: Request, by: Any) -> object:
    department, _ = Department.objects.get_or_create(slug="proprete", name="Propreté")
    return actions.redirect_request(by=by, request=request, department=department)


# (action, whether it starts from an answered request so that the move itself is allowed)
ADDRESSEE_ONLY: dict[str, tuple[Callable[[Request, Any], object], bool]] = {
    "acknowledge": (_acknowledge, False),
    "answer": (_answer, False),
    "start_work": (_start_work, True),
    "mark_done": (_mark_done, True),
    "ask_neighbourhood": (_ask_neighbourhood, False),
}
# The service may also add notes and redirect.
ADDRESSEE_OR_SERVICE: dict[str, Callable[[Request, Any], object]] = {
    "add_note": _add_note,
    "redirect_request": _redirect,
}


@pytest.fixture
def refused(world: World) -> dict[str, Any]:
    """People who are not the addressee of a request sent to the official persona."""
    return {
        "another official": _other_official(),
        "resident": world.person("resident"),
        "partner": world.person("partner"),
        "facilitator": world.person("facilitator"),
        "anonymous": None,
    }


@pytest.mark.parametrize("name", ADDRESSEE_ONLY)
def test_each_answering_action_refuses_whoever_is_not_the_addressee(
    world: World, refused: dict[str, Any], name: str
) -> None:
    act, from_answered = ADDRESSEE_ONLY[name]
    everyone = {**refused, "coordinator": world.person("coordinator")}
    for who, user in everyone.items():
        request = _answered(world) if from_answered else make_request(world, sent=True)
        before = (request.status, Event.objects.filter(request=request).count())
        with pytest.raises(PermissionDenied):
            act(request, user)
        request.refresh_from_db()
        assert (request.status, Event.objects.filter(request=request).count()) == before, who
    # The addressee passes the same call (the refusals above are about who, not about state).
    request = _answered(world) if from_answered else make_request(world, sent=True)
    act(request, world.person("official"))


@pytest.mark.parametrize("name", ADDRESSEE_OR_SERVICE)
def test_notes_and_redirects_refuse_whoever_is_neither_the_addressee_nor_the_service(
    world: World, refused: dict[str, Any], name: str
) -> None:
    act = ADDRESSEE_OR_SERVICE[name]
    request = make_request(world, sent=True)
    for who, user in refused.items():
        with pytest.raises(PermissionDenied):
            act(request, user)
        request.refresh_from_db()
        assert request.official == world.person("official"), who
    act(request, world.person("official"))


def test_a_request_that_reached_another_official_is_not_answered_by_the_first(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    stale = Request.objects.get(pk=request.pk)  # the first official's page, opened before
    actions.redirect_request(
        by=world.person("coordinator"), request=request, official=_other_official()
    )
    stale.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.acknowledge(by=world.person("official"), request=stale)


@pytest.mark.parametrize("persona", ["resident", "facilitator", "partner", "official", "anonymous"])
def test_only_the_service_drafts_sends_and_merges_requests(world: World, persona: str) -> None:
    user = world.user(persona)
    with pytest.raises(PermissionDenied):
        actions.draft_request(by=user, neighbourhood=world.home, title="Un banc", asked="Un banc.")
    drafted, other = make_request(world), make_request(world)
    with pytest.raises(PermissionDenied):
        actions.send_request(by=user, request=drafted, official=world.person("official"))
    with pytest.raises(PermissionDenied):
        actions.merge_requests(by=user, keep=other, duplicate=drafted)
    drafted.refresh_from_db()
    assert (drafted.status, drafted.merged_into_id) == (Status.DRAFTED, None)


def test_a_facilitator_who_does_not_steer_an_action_cannot_ask_the_city_for_it(
    world: World,
) -> None:
    initiative = make_initiative(world, started_by="coordinator")
    with pytest.raises(PermissionDenied):
        actions.draft_request(
            by=world.person("facilitator"),
            neighbourhood=world.home,
            title="Fermer la rue",
            asked="Fermer la rue.",
            initiative=initiative,
        )
    drafted = actions.draft_request(
        by=world.person("resident"),  # a lead
        neighbourhood=world.home,
        title="Fermer la rue",
        asked="Fermer la rue.",
        initiative=initiative,
    )
    with pytest.raises(PermissionDenied):
        actions.send_request(
            by=world.person("facilitator"), request=drafted, department=make_department(world)
        )


def test_the_leads_of_an_action_ask_a_department_never_an_official(world: World) -> None:
    initiative = make_initiative(world)
    drafted = actions.draft_request(
        by=world.person("resident"),
        neighbourhood=world.home,
        title="Fermer la rue",
        asked="Fermer la rue.",
        initiative=initiative,
    )
    with pytest.raises(actions.RequestError):
        actions.send_request(
            by=world.person("resident"), request=drafted, official=world.person("official")
        )
    actions.send_request(
        by=world.person("resident"), request=drafted, department=make_department(world)
    )


def test_following_needs_an_account_and_a_sent_request(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.follow(by=None, request=make_request(world, sent=True), following=True)
    with pytest.raises(PermissionDenied):
        actions.follow(by=world.person("resident"), request=make_request(world), following=True)


# Delegation ----------------------------------------------------------------------------------


def test_an_official_cannot_delegate_to_another_official(world: World) -> None:
    request = make_request(world, sent=True)
    with pytest.raises(PermissionDenied):
        actions.redirect_request(
            by=world.person("official"), request=request, official=_other_official()
        )
    request.refresh_from_db()
    assert request.official == world.person("official")
    assert not Event.objects.filter(request=request, kind="redirected").exists()


def test_a_department_member_cannot_hand_a_request_to_an_official_either(world: World) -> None:
    department = make_department(world)
    department.members.add(world.person("partner"))
    request = make_request(world, sent=True)
    actions.redirect_request(by=world.person("official"), request=request, department=department)
    with pytest.raises(PermissionDenied):
        actions.redirect_request(
            by=world.person("partner"), request=request, official=world.person("official")
        )


def test_the_city_may_let_officials_delegate_to_officials(world: World, settings: Any) -> None:
    settings.OFFICIALS_MAY_DELEGATE_TO_OFFICIALS = True
    request = make_request(world, sent=True)
    other = _other_official()
    actions.redirect_request(by=world.person("official"), request=request, official=other)
    request.refresh_from_db()
    assert request.official == other


def test_the_service_redirects_to_an_official_whatever_the_setting(world: World) -> None:
    request = make_request(world, sent=True)
    other = _other_official()
    actions.redirect_request(by=world.person("coordinator"), request=request, official=other)
    request.refresh_from_db()
    assert request.official == other


def test_a_redirect_from_a_stale_page_changes_nothing(world: World) -> None:
    department = make_department(world)
    request = make_request(world, sent=True)
    stale = Request.objects.get(pk=request.pk)
    actions.redirect_request(
        by=world.person("coordinator"), request=request, official=_other_official()
    )
    # The first official's page still says the request is theirs; the database says otherwise.
    with pytest.raises(actions.RequestError, match="entre-temps"):
        actions.redirect_request(by=world.person("official"), request=stale, department=department)
    request.refresh_from_db()
    assert request.department is None


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_official_who_posts_another_official_is_refused_and_not_offered_one(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    other = _other_official()
    client = _client(world.person("official"))
    page = client.get(reverse("official_requests:detail", args=[request.pk]))
    assert page.status_code == 200
    assert 'name="department"' in page.text
    assert 'name="official"' not in page.text
    url = reverse("official_requests:act", args=[request.pk])
    response = client.post(url, {"step": "redirect", "official": other.pk})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.official == world.person("official")


def test_an_official_delegates_to_a_department_from_the_page(world: World) -> None:
    request = make_request(world, sent=True)
    department = make_department(world)
    client = _client(world.person("official"))
    url = reverse("official_requests:act", args=[request.pk])
    response = client.post(url, {"step": "redirect", "department": department.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.official, request.department) == (None, department)


# Private notes ---------------------------------------------------------------------------------


def test_private_notes_stay_with_the_service_and_the_current_addressee(world: World) -> None:
    official, coordinator = world.person("official"), world.person("coordinator")
    department = make_department(world)
    department.members.add(world.person("partner"))
    request = make_request(world, sent=True)
    actions.add_note(by=official, request=request, note="Vu avec la police", public=False)
    detail = reverse("official_requests:detail", args=[request.pk])
    assert "Vu avec la police" in _client(official).get(detail).text
    actions.redirect_request(by=official, request=request, department=department)
    actions.add_note(by=coordinator, request=request, note="Rappel du service", public=False)
    # The official is no longer the addressee: no private note at all.
    page = _client(official).get(detail).text
    assert "Vu avec la police" not in page
    assert "Rappel du service" not in page
    # The department reached by the delegation reads what was written since, not before.
    page = _client(world.person("partner")).get(detail).text
    assert "Vu avec la police" not in page
    assert "Rappel du service" in page
    # The service reads them all.
    page = _client(coordinator).get(detail).text
    assert "Vu avec la police" in page
    assert "Rappel du service" in page


def test_an_official_reached_by_delegation_reads_no_earlier_private_note(
    world: World, settings: Any
) -> None:
    settings.OFFICIALS_MAY_DELEGATE_TO_OFFICIALS = True
    official, other = world.person("official"), _other_official()
    request = make_request(world, sent=True)
    actions.add_note(by=official, request=request, note="Avant", public=False)
    actions.add_note(by=official, request=request, note="Public avant", public=True)
    actions.redirect_request(by=official, request=request, official=other)
    actions.add_note(by=other, request=request, note="Après", public=False)
    found = queries.request_page(other, request.pk, private=True)
    notes = [event.note for event in found.events.all() if event.kind == "note"]
    assert notes == ["Public avant", "Après"]
    service = queries.request_page(world.person("coordinator"), request.pk, private=True)
    assert [e.note for e in service.events.all() if e.kind == "note"] == [
        "Avant",
        "Public avant",
        "Après",
    ]


# Reads -----------------------------------------------------------------------------------------


def _sent_in_the_hidden_neighbourhood(world: World) -> Request:
    request = actions.draft_request(
        by=world.person("coordinator"),
        neighbourhood=world.hidden,
        title="Un banc à Vedrin",
        asked="Un banc.",
    )
    return actions.send_request(
        by=world.person("coordinator"), request=request, official=world.person("official")
    )


@pytest.mark.parametrize("persona", ["anonymous", "resident", "facilitator", "partner", "official"])
def test_a_request_of_an_unpublished_neighbourhood_is_seen_by_the_service_only(
    world: World, persona: str
) -> None:
    hidden = _sent_in_the_hidden_neighbourhood(world)
    shown = make_request(world, sent=True)
    user = world.user(persona)
    assert list(queries.visible_requests(user)) == [shown]
    assert list(queries.tracker(user)) == [shown]
    with pytest.raises(Request.DoesNotExist):
        queries.request_page(user, hidden.pk, private=False)
    service = world.person("coordinator")
    assert set(queries.visible_requests(service)) == {hidden, shown}
    assert queries.request_page(service, hidden.pk, private=True) == hidden


def test_a_draft_is_seen_by_the_service_only(world: World) -> None:
    drafted = make_request(world)
    assert not queries.visible_requests(world.person("official")).filter(pk=drafted.pk).exists()
    assert queries.visible_requests(world.person("coordinator")).filter(pk=drafted.pk).exists()


@pytest.mark.parametrize("name", ["acknowledge", "answer", "ask_neighbourhood"])
def test_a_request_to_a_department_is_answered_by_its_members_only(
    world: World, refused: dict[str, Any], name: str
) -> None:
    act, _from_answered = ADDRESSEE_ONLY[name]
    department = make_department(world)
    member = make_user(email="agent@example.org", role=Role.RESIDENT)
    department.members.add(member)
    everyone = {**refused, "the official": world.person("official")}
    for who, user in everyone.items():
        request = make_request(world)
        actions.send_request(by=world.person("coordinator"), request=request, department=department)
        with pytest.raises(PermissionDenied):
            act(request, user)
        assert Event.objects.filter(request=request).count() == 2, who  # drafted, sent
    request = make_request(world)
    actions.send_request(by=world.person("coordinator"), request=request, department=department)
    act(request, member)
