"""Details of "I'm in" and of a volunteer's tasks the first tests left open (found by the
mutation run of 2026-12-05, docs/mutation/initiatives.md): what the page says when an action is
over, a form is sent twice or replayed, a task is taken by someone else; a signed-in volunteer's
address and page; a private link mailed again in the volunteer's language; a task given back or
done is that one only."""

from __future__ import annotations

from datetime import date
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.models import Initiative, Status, Task, Volunteer
from palabre.initiatives.tests.factories import make_initiative
from palabre.outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def sign_up_url(initiative: Initiative) -> str:
    return reverse("initiatives:sign_up", args=[initiative.pk])


def page_after(response: Any) -> str:
    """The text of the page a redirect led to (with its messages), unescaped."""
    return unescape(response.text)


def test_an_action_that_is_over_says_so_to_whoever_wants_to_join(world: World) -> None:
    initiative = make_initiative(world)
    actions.move(
        by=world.person("resident"), initiative=initiative, target=Status.ABANDONED, reason="Pluie"
    )
    response = Client().post(
        sign_up_url(initiative), {"key": "k" * 20, "name": "Rosa"}, follow=True
    )
    assert "Cette action n'accueille plus de bénévoles." in page_after(response)
    assert not Volunteer.objects.exists()


def test_the_same_form_sent_twice_says_you_were_already_in(world: World) -> None:
    initiative = make_initiative(world)
    client = Client()
    data = {"key": "k" * 20, "name": "Rosa"}
    first = client.post(sign_up_url(initiative), data, follow=True)
    assert "Merci, vous en êtes\u00a0!" in page_after(first)
    again = client.post(sign_up_url(initiative), data, follow=True)
    assert "Vous en étiez déjà\u00a0: voici vos tâches." in page_after(again)
    assert "Merci, vous en êtes\u00a0!" not in page_after(again)
    assert Volunteer.objects.count() == 1


def test_a_signed_in_volunteer_signing_up_again_finds_their_own_page(world: World) -> None:
    initiative = make_initiative(world)
    # Someone without an account signed up first: their sign-up must not be the one found.
    actions.sign_up(by=None, initiative=initiative, name="Rosa", key="r" * 20)
    neighbour = Client()
    neighbour.force_login(world.person("neighbour"))
    first = neighbour.post(sign_up_url(initiative), {"key": "a" * 20})
    mine = Volunteer.objects.get(user=world.person("neighbour"))
    assert first.url == reverse("initiatives:volunteer", args=[mine.token])  # type: ignore[attr-defined]
    # Their address is the account's, so the leads can reach them and reminders go out.
    assert mine.email == "neighbour@example.org"
    again = neighbour.post(sign_up_url(initiative), {"key": "b" * 20})
    assert again.url == reverse("initiatives:volunteer", args=[mine.token])  # type: ignore[attr-defined]
    followed = neighbour.get(again.url)  # type: ignore[attr-defined]
    assert "Vous en étiez déjà\u00a0: voici vos tâches." in page_after(followed)
    assert not OutgoingMail.objects.exists()  # nothing mailed: they see their page
    assert Volunteer.objects.count() == 2


def test_a_form_replayed_at_another_action_asks_to_reload_the_page(world: World) -> None:
    first = make_initiative(world)
    other = make_initiative(world, "Fête de la rue Basse")
    actions.sign_up(by=None, initiative=first, name="Rosa", key="k" * 20)
    actions.sign_up(by=None, initiative=other, name="Marc", key="m" * 20)  # no address
    response = Client().post(sign_up_url(other), {"key": "k" * 20, "name": "Luc"}, follow=True)
    assert "Ce formulaire a déjà été envoyé\u00a0: rechargez la page." in page_after(response)
    assert list(other.volunteers.values_list("name", flat=True)) == ["Marc"]


def test_an_address_signed_up_again_gets_its_link_in_the_language_it_signed_up_in(
    world: World,
) -> None:
    initiative = make_initiative(world)
    actions.sign_up(
        by=None, initiative=initiative, name="Rosa", email="rosa@example.org", language="nl"
    )
    again = actions.sign_up(
        by=None, initiative=initiative, name="Rosa", email="rosa@example.org", language="fr"
    )
    assert (again.created, again.mine) == (False, False)
    mail = OutgoingMail.objects.get()
    assert mail.to == ["rosa@example.org"]
    assert mail.subject.startswith("Uw persoonlijke link: ")


def two_volunteers_and_tasks(world: World) -> tuple[Initiative, Volunteer, Volunteer]:
    initiative = make_initiative(world)
    actions.add_task(by=world.person("resident"), initiative=initiative, title="Sono", due_on=None)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    marc = actions.sign_up(by=None, initiative=initiative, name="Marc").volunteer
    return initiative, rosa, marc


def test_a_task_someone_else_took_is_refused_even_to_a_volunteer_who_has_one(
    world: World,
) -> None:
    initiative, rosa, marc = two_volunteers_and_tasks(world)
    leaflet = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    sound = initiative.tasks.get(title="Sono")
    actions.take_task(volunteer=rosa, task=leaflet)
    actions.take_task(volunteer=marc, task=sound)
    url = reverse("initiatives:take_task", args=[rosa.token, sound.pk])
    response = Client().post(url, follow=True)
    assert "Quelqu'un a déjà pris cette tâche." in page_after(response)
    assert Task.objects.get(pk=sound.pk).owner == marc


def test_giving_a_task_back_gives_back_that_one_only_and_not_a_done_one(world: World) -> None:
    initiative, rosa, _marc = two_volunteers_and_tasks(world)
    leaflet = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    sound = initiative.tasks.get(title="Sono")
    permit = initiative.tasks.get(permit=True)
    for task in (leaflet, sound, permit):
        actions.take_task(volunteer=rosa, task=task)
    actions.finish_task(volunteer=rosa, task=Task.objects.get(pk=permit.pk))
    client = Client()
    client.post(reverse("initiatives:release_task", args=[rosa.token, leaflet.pk]))
    client.post(reverse("initiatives:release_task", args=[rosa.token, permit.pk]))
    owners = dict(initiative.tasks.values_list("title", "owner"))
    assert owners == {
        "Toutes-boîtes aux voisins": None,
        "Sono": rosa.pk,
        "Demander la fermeture de la rue": rosa.pk,  # done: it stays hers
    }


def test_a_volunteer_cannot_give_back_a_task_someone_else_took(world: World) -> None:
    initiative, rosa, marc = two_volunteers_and_tasks(world)
    sound = initiative.tasks.get(title="Sono")
    actions.take_task(volunteer=rosa, task=sound)
    actions.release_task(volunteer=marc, task=Task.objects.get(pk=sound.pk))
    assert Task.objects.get(pk=sound.pk).owner == rosa


def test_marking_a_task_done_marks_that_one_only(world: World) -> None:
    initiative, rosa, _marc = two_volunteers_and_tasks(world)
    sound = initiative.tasks.get(title="Sono")
    actions.take_task(volunteer=rosa, task=sound)
    Client().post(reverse("initiatives:finish_task", args=[rosa.token, sound.pk]))
    done = dict(initiative.tasks.values_list("title", "done_at"))
    assert done.pop("Sono") is not None
    assert set(done.values()) == {None}


def test_a_task_added_with_a_date_keeps_it(world: World) -> None:
    initiative = make_initiative(world)
    client = Client()
    client.force_login(world.person("resident"))
    url = reverse("initiatives:add_task", args=[initiative.pk])
    client.post(url, {"task-title": "Louer la sono", "task-due_on": "2027-05-15"})
    assert initiative.tasks.get(title="Louer la sono").due_on == date(2027, 5, 15)


def test_a_volunteer_without_an_account_cannot_lead_and_the_page_says_why(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    client = Client()
    client.force_login(world.person("resident"))
    url = reverse("initiatives:make_lead", args=[initiative.pk, rosa.pk])
    response = client.post(url, follow=True)
    assert "Seule une personne qui a un compte peut être responsable d'une action." in (
        page_after(response)
    )
    assert list(initiative.leads.all()) == [world.person("resident")]
    with pytest.raises(PermissionDenied):
        actions.make_lead(by=world.person("neighbour"), volunteer=rosa)
