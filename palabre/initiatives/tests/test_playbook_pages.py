"""The coordinators' playbook pages: list, create and edit with formsets, export, import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palabre.core.testing import World
from palabre.initiatives import actions, playbooks
from palabre.initiatives.models import Playbook
from palabre.initiatives.tests.factories import STREET_PARTY

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:playbooks")
NEW = reverse("initiatives:playbook_new")
IMPORT = reverse("initiatives:playbook_import")


def coordinator(world: World, language: str = "en") -> Client:
    """A signed-in coordinator; in English by default, the source language of new messages."""
    client = Client()
    client.force_login(world.person("coordinator"))
    client.cookies["django_language"] = language
    return client


def edit_url(playbook: Playbook) -> str:
    return reverse("initiatives:playbook_edit", args=[playbook.pk])


def form_data(
    title: str = "Accueil des nouveaux",
    kind: str = "welcome",
    description: str = "",
    steps: list[dict[str, Any]] = (),  # type: ignore[assignment]
    budget: list[dict[str, Any]] = (),  # type: ignore[assignment]
    initial_steps: int = 0,
    initial_budget: int = 0,
) -> dict[str, Any]:
    """What the edit page posts: the playbook, then each row as the formsets name it."""
    data: dict[str, Any] = {"title": title, "kind": kind, "description": description}
    for prefix, rows, initial in (
        ("steps", steps, initial_steps),
        ("budget", budget, initial_budget),
    ):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
    return data


def step(title: str, days: int | str, **more: Any) -> dict[str, Any]:
    return {"title": title, "days_before": days, **more}


def imported(world: World, text: str = STREET_PARTY) -> Playbook:
    return actions.import_playbook(by=world.person("coordinator"), text=text)


def test_the_list_shows_each_playbook_with_its_kind_steps_and_links(world: World) -> None:
    playbook = imported(world)
    page = coordinator(world).get(LIST).text
    assert "Fête de rue" in page
    assert "<td>2</td>" in page  # its two steps
    assert edit_url(playbook) in page
    assert reverse("initiatives:playbook_export", args=[playbook.pk]) in page
    assert NEW in page
    assert 'enctype="multipart/form-data"' in page
    assert "replaces it" in page  # the import replaces a playbook of the same title: it says so


def test_a_coordinator_creates_a_playbook_with_its_steps_and_budget(world: World) -> None:
    client = coordinator(world)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        form_data(
            description="Un moment d'accueil.\r\nAvec un pack.",
            steps=[
                step("Préparer le pack", 45, permit="on", department="cohesion-sociale"),
                step("Accueillir", 0),
                step("", ""),  # a blank row left as it came
            ],
            budget=[{"label": "Impression", "amount": "75.50"}, {"label": "", "amount": ""}],
        ),
    )
    saved = Playbook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(saved)
    assert actions.playbook_data(saved) == playbooks.PlaybookData(
        kind="welcome",
        title="Accueil des nouveaux",
        description="Un moment d'accueil.\nAvec un pack.",
        steps=(
            playbooks.Step("Préparer le pack", 45, permit=True, department="cohesion-sociale"),
            playbooks.Step("Accueillir", 0),
        ),
        budget=(playbooks.BudgetLine("Impression", Decimal("75.50")),),
    )
    assert "Playbook saved." in client.get(edit_url(saved)).text


def test_editing_deletes_reorders_and_adds_rows(world: World) -> None:
    playbook = imported(world)
    data = form_data(
        title="Fête de rue",
        kind="street_party",
        steps=[
            step("Demander la fermeture de la rue", 42, permit="on", ORDER=2, DELETE="on"),
            step("Toutes-boîtes aux voisins", 14, ORDER=1),
            step("Nettoyer la rue", 0),  # typed into a blank row: it comes last
        ],
        initial_steps=2,
    )
    assert coordinator(world).post(edit_url(playbook), data).status_code == 302
    steps = list(Playbook.objects.get(pk=playbook.pk).steps.values_list("position", "title"))
    assert steps == [(0, "Toutes-boîtes aux voisins"), (1, "Nettoyer la rue")]


def test_a_row_can_be_deleted_even_when_it_is_not_valid(world: World) -> None:
    playbook = imported(world)
    data = form_data(
        title="Fête de rue",
        kind="street_party",
        steps=[step("", 999, DELETE="on"), step("Toutes-boîtes aux voisins", 14)],
        initial_steps=2,
    )
    assert coordinator(world).post(edit_url(playbook), data).status_code == 302
    assert [s.title for s in playbook.steps.all()] == ["Toutes-boîtes aux voisins"]


def test_an_error_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    playbook = imported(world)
    before = actions.playbook_data(playbook)
    data = form_data(
        title="Grande fête de la rue Haute",
        kind="street_party",
        steps=[
            step("Demander la fermeture de la rue", 42, permit="on", department="voirie"),
            step("Toutes-boîtes aux voisins", 400),
            step("Louer un château gonflable", 20),
        ],
        budget=[{"label": "Boissons", "amount": "-5"}],
        initial_steps=2,
    )
    response = coordinator(world, "fr").post(edit_url(playbook), data)
    assert response.status_code == 200
    page = response.text
    assert 'value="Grande fête de la rue Haute"' in page
    assert 'value="Louer un château gonflable"' in page
    assert 'value="400"' in page
    assert "inférieure ou égale à 365" in page  # in the user's language
    assert "supérieure ou égale à 0" in page
    assert actions.playbook_data(Playbook.objects.get(pk=playbook.pk)) == before


def test_errors_are_in_the_users_language(world: World) -> None:
    client = coordinator(world, "nl")
    response = client.post(NEW, form_data(title="", steps=[step("Stap", "veel")]))
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text
    assert "Voer een geheel getal in." in response.text
    assert not Playbook.objects.exists()


def test_a_new_playbook_with_a_title_already_taken_gets_a_form_error(world: World) -> None:
    imported(world)
    response = coordinator(world).post(
        NEW, form_data(title="Fête de rue", steps=[step("Autre chose", 3)])
    )
    assert response.status_code == 200
    assert "Another playbook is already called “Fête de rue”" in response.text
    assert 'value="Autre chose"' in response.text
    assert Playbook.objects.count() == 1
    assert [s.title for s in Playbook.objects.get().steps.all()] == [
        "Demander la fermeture de la rue",
        "Toutes-boîtes aux voisins",
    ]


def test_renaming_a_playbook_to_a_title_already_taken_gets_a_form_error(world: World) -> None:
    imported(world)
    other = imported(world, STREET_PARTY.replace('"Fête de rue"', '"Fête des voisins"'))
    response = coordinator(world).post(edit_url(other), form_data(title="Fête de rue"))
    assert response.status_code == 200
    assert "Another playbook is already called" in response.text
    assert Playbook.objects.get(pk=other.pk).title == "Fête des voisins"
    assert other.steps.count() == 2


def test_saving_twice_is_the_same_update(world: World) -> None:
    playbook = imported(world)
    client = coordinator(world)
    data = form_data(title="Fête de rue", kind="street_party", steps=[step("Seule étape", 7)])
    first = client.post(edit_url(playbook), data)
    second = client.post(edit_url(playbook), data)
    assert first.status_code == second.status_code == 302
    assert Playbook.objects.count() == 1
    assert [s.title for s in playbook.steps.all()] == ["Seule étape"]


def test_editing_a_playbook_that_does_not_exist_is_a_404(world: World) -> None:
    url = reverse("initiatives:playbook_edit", args=[999])
    assert coordinator(world).post(url, form_data()).status_code == 404
    assert not Playbook.objects.exists()


def test_the_export_is_a_toml_file_named_after_the_title(world: World) -> None:
    playbook = imported(world)
    response = coordinator(world).get(reverse("initiatives:playbook_export", args=[playbook.pk]))
    assert response["Content-Type"] == "application/toml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fete-de-rue.toml"'
    assert playbooks.parse(response.content.decode()) == actions.playbook_data(playbook)


def test_an_exported_file_imported_into_an_empty_database_recreates_the_playbook(
    world: World,
) -> None:
    client = coordinator(world, "fr")  # amounts typed with a decimal comma
    client.post(
        NEW,
        form_data(
            title="Embellir la rue",
            kind="beautification",
            description='Des bacs "fleuris".\r\nEt de la peinture.',
            steps=[
                step("Accord des propriétaires", 60),
                step("Autorisation", 45, permit="on", department="urbanisme"),
            ],
            budget=[{"label": "Bacs", "amount": "260"}, {"label": "Terreau", "amount": "12,35"}],
        ),
    )
    original = Playbook.objects.get()
    before = actions.playbook_data(original)
    exported = client.get(reverse("initiatives:playbook_export", args=[original.pk])).content
    Playbook.objects.all().delete()

    response = client.post(IMPORT, {"file": SimpleUploadedFile("embellir.toml", exported)})
    again = Playbook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(again)
    assert actions.playbook_data(again) == before


def test_a_new_import_says_it_was_imported(world: World) -> None:
    response = coordinator(world).post(
        IMPORT, {"file": SimpleUploadedFile("f.toml", STREET_PARTY.encode())}, follow=True
    )
    assert "The playbook “Fête de rue” was imported." in response.text


def test_importing_a_playbook_with_a_taken_title_replaces_it_and_says_so(world: World) -> None:
    playbook = imported(world)
    text = STREET_PARTY.replace("Toutes-boîtes aux voisins", "Affiches chez les commerçants")
    client = coordinator(world)
    response = client.post(
        IMPORT, {"file": SimpleUploadedFile("f.toml", text.encode())}, follow=True
    )
    assert "was replaced by the file&#x27;s version" in response.text
    assert Playbook.objects.get().pk == playbook.pk
    assert playbook.steps.last().title == "Affiches chez les commerçants"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "language", "message"),
    [
        (b'kind = "street_party"\ntitle = "F"\n[[steps]\n', "fr", "Ligne 3\u00a0:"),
        (b'kind = "barbecue"\ntitle = "F"\n', "fr", "Ligne 1\u00a0: «\u00a0kind\u00a0» doit être"),
        (b'kind = "barbecue"\ntitle = "F"\n', "nl", "Regel 1:"),
        ('title = "Fête"\nkind = "other"\n'.encode("latin-1"), "en", "is not UTF-8 text"),
        (b"# " + b"x" * 150 * 1024 + b"\n", "en", "too large"),
        (b"", "fr", "Le fichier soumis est vide."),
    ],
    ids=["not TOML", "unknown kind", "in Dutch", "not UTF-8", "150 kB", "empty"],
)
def test_a_bad_file_is_refused_on_the_list_and_nothing_is_saved(
    world: World, content: bytes, language: str, message: str
) -> None:
    response = coordinator(world, language).post(
        IMPORT, {"file": SimpleUploadedFile("guide.toml", content)}
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'action="{IMPORT}"' in response.text  # the list page, with its import form
    assert not Playbook.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'kind = "other"\ntitle = "F"\nsteps = "abc"\n',
            "Ligne 3\u00a0: «\u00a0steps\u00a0» doit être",
        ),
        (
            b'kind = "other"\ntitle = "F"\nsteps = [1, 2]\n',
            "Ligne 3\u00a0: «\u00a0steps\u00a0» doit être",
        ),
        (
            b'kind = "other"\ntitle = "F"\n[budget]\nlabel = "T"\n',
            "Ligne 3\u00a0: «\u00a0budget\u00a0»",
        ),
        (b'kind = "other"\ntitle = "F"\nsteps = ' + b"[" * 5000 + b"]" * 5000, "Ligne 1\u00a0:"),
    ],
    ids=["steps as text", "steps as numbers", "budget as one table", "5000 nested arrays"],
)
def test_a_file_of_the_wrong_shape_is_refused_with_its_line(
    world: World, content: bytes, message: str
) -> None:
    response = coordinator(world, "fr").post(
        IMPORT, {"file": SimpleUploadedFile("guide.toml", content)}
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Playbook.objects.exists()


def test_a_file_with_a_byte_order_mark_is_read(world: World) -> None:
    content = "\ufeff".encode() + STREET_PARTY.encode()
    response = coordinator(world).post(IMPORT, {"file": SimpleUploadedFile("f.toml", content)})
    assert response.status_code == 302
    assert Playbook.objects.get().title == "Fête de rue"


def test_importing_without_a_file_asks_for_one(world: World) -> None:
    response = coordinator(world, "fr").post(IMPORT, {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text


def test_the_list_reads_a_constant_number_of_queries(world: World) -> None:
    client = coordinator(world)
    imported(world)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(5):
        imported(world, STREET_PARTY.replace('"Fête de rue"', f'"Fête {number}"'))
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST).text
    assert len(many) == len(few)
    assert page.count("/exporter/") == 6


def test_the_edit_page_reads_a_constant_number_of_queries(world: World) -> None:
    playbook = imported(world)
    client = coordinator(world)
    client.get(edit_url(playbook))
    with CaptureQueriesContext(connection) as few:
        client.get(edit_url(playbook))
    many_steps = STREET_PARTY + "".join(
        f'\n[[steps]]\ntitle = "Étape {n}"\ndays_before = {n}\n' for n in range(10)
    )
    imported(world, many_steps)
    with CaptureQueriesContext(connection) as many:
        client.get(edit_url(playbook))
    assert len(many) == len(few)
