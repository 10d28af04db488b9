"""Ready answers kept from the front office: listed by kind, added, changed and deleted after a
confirmation, by the service only; officials find them on a request's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerTemplate
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db

LIST = reverse("official_requests:answer_templates")
NOT_STAFF = ("resident", "neighbour", "facilitator", "partner", "official")


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def _template(title: str = "Travaux prévus", kind: str = "planned") -> AnswerTemplate:
    return AnswerTemplate.objects.create(
        title=title, kind=kind, text="Les travaux sont prévus au printemps."
    )


def _edit(template: AnswerTemplate) -> str:
    return reverse("official_requests:answer_template", args=[template.pk])


# Actions ---------------------------------------------------------------------------------------


def test_the_service_adds_then_changes_a_ready_answer(world: World) -> None:
    coordinator = world.person("coordinator")
    added = actions.save_answer_template(
        by=coordinator,
        template=AnswerTemplate(title=" Refus motivé ", kind="refused", text=" Parce que. "),
    )
    assert (added.title, added.text) == ("Refus motivé", "Parce que.")
    actions.save_answer_template(
        by=world.person("administrator"),
        template=AnswerTemplate(pk=added.pk, title="Refus", kind="refused", text="Non, car…"),
    )
    added.refresh_from_db()
    assert (added.title, added.kind, added.text) == ("Refus", "refused", "Non, car…")


def test_a_title_taken_is_refused_whatever_its_case_and_nothing_is_added_twice(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    existing = _template("Travaux prévus")
    other = _template("Accord", kind="accepted")
    with pytest.raises(actions.RequestError, match="titre"):
        actions.save_answer_template(
            by=coordinator,
            template=AnswerTemplate(title="TRAVAUX prévus", kind="planned", text="x"),
        )
    with pytest.raises(actions.RequestError):
        actions.save_answer_template(
            by=coordinator,
            template=AnswerTemplate(pk=other.pk, title=existing.title, kind="accepted", text="x"),
        )
    assert AnswerTemplate.objects.count() == 2
    other.refresh_from_db()
    assert other.title == "Accord"


def test_a_template_deleted_meanwhile_is_not_saved_back(world: World) -> None:
    gone = _template()
    AnswerTemplate.objects.filter(pk=gone.pk).delete()
    with pytest.raises(actions.RequestError, match="supprimé"):
        actions.save_answer_template(
            by=world.person("coordinator"),
            template=AnswerTemplate(pk=gone.pk, title="Retour", kind="planned", text="x"),
        )
    assert not AnswerTemplate.objects.exists()


def test_a_template_needs_a_known_kind_a_title_and_a_text(world: World) -> None:
    coordinator = world.person("coordinator")
    for title, kind, text in (("A", "maybe", "x"), (" ", "accepted", "x"), ("A", "accepted", "")):
        with pytest.raises(actions.RequestError):
            actions.save_answer_template(
                by=coordinator, template=AnswerTemplate(title=title, kind=kind, text=text)
            )
    assert not AnswerTemplate.objects.exists()


def test_deleting_twice_changes_nothing_the_second_time(world: World) -> None:
    template = _template()
    for persona in ("coordinator", "administrator"):
        actions.delete_answer_template(by=world.person(persona), template=template)
    assert not AnswerTemplate.objects.exists()


@pytest.mark.parametrize("persona", NOT_STAFF)
def test_only_the_service_changes_the_ready_answers(world: World, persona: str) -> None:
    template = _template()
    someone = world.person(persona)
    with pytest.raises(PermissionDenied):
        actions.save_answer_template(
            by=someone, template=AnswerTemplate(title="Autre", kind="accepted", text="x")
        )
    with pytest.raises(PermissionDenied):
        actions.save_answer_template(
            by=someone, template=AnswerTemplate(pk=template.pk, title="X", kind="refused", text="x")
        )
    with pytest.raises(PermissionDenied):
        actions.delete_answer_template(by=someone, template=template)
    with pytest.raises(PermissionDenied):
        actions.delete_answer_template(by=None, template=template)
    template.refresh_from_db()
    assert template.title == "Travaux prévus"
    assert AnswerTemplate.objects.count() == 1


# Views ------------------------------------------------------------------------------------------


def test_the_list_says_what_a_ready_answer_is_for_and_groups_them_by_kind(world: World) -> None:
    _template()
    _template("Accord de principe", kind="accepted")
    page = _coordinator(world).get(LIST).text
    assert "pour commencer sa réponse" in page
    assert page.index("Accepté") < page.index("Accord de principe") < page.index("Prévu")
    assert page.index("Prévu") < page.index("Travaux prévus")


def test_a_template_added_on_the_list_page_reaches_the_officials_answer_form(
    world: World,
) -> None:
    client = _coordinator(world)
    answer = client.post(
        LIST, {"title": "Travaux prévus", "kind": "planned", "text": "Prévu au printemps."}
    )
    assert answer.status_code == 302
    assert answer["Location"] == LIST
    again = client.post(
        LIST, {"title": "travaux prévus", "kind": "planned", "text": "Prévu au printemps."}
    )  # a double submit
    assert again.status_code == 200
    assert "Un autre modèle porte déjà ce titre" in again.text
    assert AnswerTemplate.objects.count() == 1
    request = make_request(world, sent=True)
    official = Client()
    official.force_login(world.person("official"))
    page = official.get(reverse("official_requests:detail", args=[request.pk])).text
    assert "Travaux prévus" in page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"title": "", "kind": "planned", "text": "x"}, "Donnez un titre au modèle."),
        ({"title": "A", "kind": "", "text": "x"}, "Choisissez le type de réponse."),
        ({"title": "A", "kind": "maybe", "text": "x"}, "Sélectionnez un choix valide"),
        ({"title": "A", "kind": "planned", "text": ""}, "Écrivez le texte de la réponse."),
        ({"title": "A" * 121, "kind": "planned", "text": "x"}, "120 caractères"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    world: World, data: dict[str, str], reason: str
) -> None:
    page = _coordinator(world).post(LIST, data)
    assert page.status_code == 200
    assert reason in page.text
    assert "field--error" in page.text
    if data["title"]:
        assert f'value="{data["title"]}"' in page.text
    assert not AnswerTemplate.objects.exists()


def test_the_edit_page_saves_and_a_title_taken_is_refused_in_place(world: World) -> None:
    template = _template()
    _template("Accord", kind="accepted")
    client = _coordinator(world)
    assert 'value="Travaux prévus"' in client.get(_edit(template)).text
    refused = client.post(
        _edit(template), {"step": "save", "title": "Accord", "kind": "planned", "text": "y"}
    )
    assert refused.status_code == 200
    assert "Un autre modèle porte déjà ce titre" in refused.text
    assert "<h1>Travaux prévus</h1>" in refused.text  # the title stored, not the one typed
    saved = client.post(
        _edit(template),
        {"step": "save", "title": "Travaux en 2028", "kind": "planned", "text": "Prévus."},
        follow=True,
    )
    assert "Modèle «\u00a0Travaux en 2028\u00a0» enregistré." in saved.text
    template.refresh_from_db()
    assert template.title == "Travaux en 2028"


def test_deleting_asks_first_without_javascript_then_deletes(world: World) -> None:
    template = _template()
    client = _coordinator(world)
    asked = client.post(_edit(template), {"step": "delete"})
    assert asked.status_code == 200
    assert "Supprimer «\u00a0Travaux prévus\u00a0»\u00a0?" in asked.text
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()
    done = client.post(_edit(template), {"step": "delete_confirmed"}, follow=True)
    assert "Modèle «\u00a0Travaux prévus\u00a0» supprimé" in done.text
    assert not AnswerTemplate.objects.exists()
    twice = client.post(_edit(template), {"step": "delete_confirmed"}, follow=True)
    assert twice.status_code == 200
    assert "Ce modèle a déjà été supprimé." in twice.text


def test_an_unknown_step_or_template_is_refused(world: World) -> None:
    template = _template()
    client = _coordinator(world)
    assert client.post(_edit(template), {"step": "burn"}).status_code == 400
    missing = reverse("official_requests:answer_template", args=[template.pk + 1])
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"step": "save", "title": "A"}).status_code == 404
    huge = "/demandes/modeles/99999999999999999999999/"
    assert client.get(huge).status_code == 404


def test_the_list_reads_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = _coordinator(world)
    _template()
    client.get(LIST)
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for index in range(20):
        _template(f"Modèle {index}", kind=("accepted", "refused", "under_study")[index % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST).text
    assert "Modèle 19" in page
