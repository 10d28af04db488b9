from __future__ import annotations

import html
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world: World) -> Workshop:
    workshop = make_hosted_workshop(
        world, status=Status.HELD, days_from_now=-2, title="Bomel, premier atelier"
    )
    for index, name in enumerate(("Amina", "Marc", "")):
        actions.add_walk_in(
            by=None,
            workshop=workshop,
            name=name,
            key=f"key-{index:020d}",
            first_time=bool(name),  # the anonymous one was not asked
        )
    return workshop


def edit(client: Client, workshop: Workshop, **fields: str) -> str:
    url = reverse("workshops:edit_minutes", args=[workshop.pk])
    page = client.get(url)
    version = html.unescape(page.text).split('name="version" value="')[1].split('"')[0]
    data = {"version": version, "introduction": "Intro", "decisions": "", "next_steps": ""}
    data |= {f"notes_{i}": "" for i in range(5)} | fields
    return client.post(url, data).get("Location", "") or ""


def test_the_draft_starts_from_the_workshops_data(held: Workshop, world: World) -> None:
    minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=held)
    assert minutes.introduction == (
        "3 personnes ont participé à cet atelier\u00a0; 2 d'entre elles ont dit que c'était leur "
        "première fois. "
        "Nous remercions Maison de quartier de Bomel de nous avoir accueillis."
    )
    assert [part["question"] for part in minutes.discussion] == held.guiding_questions
    again = actions.draft_minutes(by=world.person("facilitator"), workshop=held)
    assert again.pk == minutes.pk


def test_minutes_wait_until_the_workshop_is_held(world: World) -> None:
    coming = make_workshop(
        cycle=make_cycle([world.home]), neighbourhood=world.home, venue=world.venue
    )
    with pytest.raises(actions.WorkshopError, match="une fois l'atelier tenu"):
        actions.draft_minutes(by=world.person("coordinator"), workshop=coming)


def test_a_draft_stays_private_and_publishing_reports_the_workshop(
    held: Workshop, world: World
) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    edit(client, held, notes_0="On se dit bonjour.")
    assert Client().get(reverse("workshops:minutes", args=[held.pk])).status_code == 404
    edit(client, held, notes_0="On se dit bonjour.", decisions="Une fête de rue.", publish="1")
    held.refresh_from_db()
    assert held.status == Status.REPORTED
    public = Client().get(reverse("workshops:minutes", args=[held.pk])).text
    assert "On se dit bonjour." in public
    assert "Une fête de rue." in public
    neighbourhood = Client().get(world.home.get_absolute_url()).text
    assert reverse("workshops:minutes", args=[held.pk]) in neighbourhood


def test_two_editors_do_not_silently_overwrite_each_other(held: Workshop, world: World) -> None:
    minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=held)
    common: dict[str, Any] = {
        "introduction": "",
        "decisions": "",
        "next_steps": "",
        "publish": False,
    }
    actions.save_minutes(
        by=world.person("facilitator"),
        minutes=minutes,
        version=1,
        notes=["Version de Julien"] + [""] * 4,
        **common,
    )
    with pytest.raises(actions.MinutesConflict):
        actions.save_minutes(
            by=world.person("coordinator"),
            minutes=minutes,
            version=1,
            notes=["Version de Nadia"] + [""] * 4,
            **common,
        )
    minutes.refresh_from_db()
    assert minutes.discussion[0]["notes"] == "Version de Julien"


def test_the_conflict_keeps_the_text_typed_in_the_form(held: Workshop, world: World) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("workshops:edit_minutes", args=[held.pk])
    client.get(url)
    actions.save_minutes(
        by=world.person("coordinator"),
        minutes=held.minutes,
        version=1,
        introduction="",
        notes=[""] * 5,
        decisions="",
        next_steps="",
        publish=False,
    )
    response = client.post(
        url,
        {
            "version": "1",
            "introduction": "Mon texte précieux",
            "decisions": "",
            "next_steps": "",
            **{f"notes_{i}": "" for i in range(5)},
        },
    )
    page = html.unescape(response.text)
    assert "Quelqu'un a enregistré ce compte rendu pendant que vous écriviez." in page
    assert "Mon texte précieux" in page
    # Having compared, saving again goes through: the form now carries the version saved.
    version = page.split('name="version" value="')[1].split('"')[0]
    assert version == "2"
    again = client.post(
        url,
        {
            "version": version,
            "introduction": "Mon texte précieux",
            "decisions": "",
            "next_steps": "",
            **{f"notes_{i}": "" for i in range(5)},
        },
    )
    assert again.status_code == 302
    held.minutes.refresh_from_db()
    assert held.minutes.introduction == "Mon texte précieux"


def test_the_minutes_pdf_is_readable(held: Workshop, world: World, tmp_path: Path) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    edit(client, held, notes_0="Un quartier vivant.", publish="1")
    response = Client().get(reverse("workshops:minutes_pdf", args=[held.pk]))
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Bomel, premier atelier" in text
    assert "Un quartier vivant." in text
    assert "Comment vivez-vous votre quartier ?" in text


def test_the_draft_gathers_what_was_said_by_question_and_theme_and_what_was_started(
    held: Workshop, world: World
) -> None:
    from palabre.contributions import actions as contributions
    from palabre.contributions.models import Theme
    from palabre.initiatives.models import Initiative

    facilitator = world.person("facilitator")
    propreté, mobilité = Theme.objects.get(slug="proprete"), Theme.objects.get(slug="mobilite")
    said = [
        (0, "Trop de déchets au parc", [propreté], "Table 1"),
        (0, "Un passage piéton, appelez Marc au 0470 12 34 56", [mobilité], ""),
        (0, "Un compost collectif", [], ""),
        (1, "Des poubelles de tri", [propreté, mobilité], "Table 2"),
        (0, "Un banc noté par erreur", [], ""),
    ]
    for index, (question, text, themes, table) in enumerate(said):
        made = contributions.capture(
            by=facilitator,
            workshop=held,
            question=question,
            text=text,
            key=f"said-{index:016d}",
            themes=themes,
            table_label=table,
        )
    Initiative.objects.create(
        title="Compost de la rue Haute",
        kind="street_party",
        neighbourhood=world.home,
        workshop=held,
    )
    contributions.withdraw_note(by=facilitator, contribution=made.contribution)

    minutes = actions.draft_minutes(by=facilitator, workshop=held)
    first, second = (part["notes"] for part in minutes.discussion[:2])
    assert first.split("\n\n") == [
        "Propreté\n– Trop de déchets au parc (Table 1)",
        "Mobilité\n– Un passage piéton, appelez Marc au […]",
        "Sans thème\n– Un compost collectif",
    ]
    assert second == "Propreté\n– Des poubelles de tri (Table 2)"
    assert minutes.next_steps == "– Action citoyenne\u00a0: Compost de la rue Haute"


def test_the_minutes_pdf_keeps_the_chart_with_its_caption_and_fills_its_pages(
    held: Workshop, world: World, tmp_path: Path
) -> None:
    from palabre.contributions import actions as contributions
    from palabre.contributions.models import Theme

    facilitator = world.person("facilitator")
    themes = list(Theme.objects.filter(is_active=True).order_by("position"))
    for index, theme in enumerate(themes):
        made = contributions.capture(
            by=facilitator,
            workshop=held,
            question=0,
            text=f"Remarque sur {theme.name}",
            key=f"pdf-{index:016d}",
            themes=[theme],
        )
        contributions.publish(by=world.person("coordinator"), contribution=made.contribution)
    client = Client()
    client.force_login(facilitator)
    # Enough text before the chart to bring it near the foot of the first page.
    long_notes = "\n".join(f"Ligne {n} de ce qui a été dit à la table." for n in range(14))
    edit(client, held, notes_0=long_notes, notes_1=long_notes, publish="1")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(Client().get(reverse("workshops:minutes_pdf", args=[held.pk])).content)
    pages = int(
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    caption = "Thèmes, par nombre de contributions"
    [with_caption] = [text for text in texts if caption in text]
    assert themes[0].name in with_caption.split(caption)[1]  # the bars follow their caption
    assert "Élément" not in "".join(texts)  # the chart's table is for screen readers only
    # No page but the last is left mostly empty: each holds at least 30 lines of text.
    assert all(len(text.strip().splitlines()) >= 30 for text in texts[:-1]), [
        len(text.splitlines()) for text in texts
    ]


def test_notes_without_a_theme_come_after_every_theme_however_far_down_the_list(
    held: Workshop, world: World
) -> None:
    from palabre.contributions import actions as contributions
    from palabre.contributions.models import Theme

    last = Theme.objects.create(name="dernier thème", slug="dernier", position=1000)
    for index, themes in enumerate([[], [last]]):
        contributions.capture(
            by=world.person("facilitator"),
            workshop=held,
            question=0,
            text=f"Note {index}",
            key=f"far-{index:016d}",
            themes=themes,
        )
    minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=held)
    assert minutes.discussion[0]["notes"].split("\n\n") == [
        "Dernier thème\n– Note 1",
        "Sans thème\n– Note 0",
    ]


def test_the_draft_names_every_host_every_request_started_and_leaves_silent_questions_empty(
    world: World,
) -> None:
    from palabre.contributions import actions as contributions
    from palabre.neighbourhoods.models import Partner
    from palabre.official_requests.models import Request
    from palabre.official_requests.tests.factories import make_request

    workshop = make_hosted_workshop(world, status=Status.HELD, days_from_now=-2)
    workshop.partners.add(Partner.objects.create(name="Les Ateliers du Mardi"))
    actions.add_walk_in(
        by=None, workshop=workshop, name="Amina", key="one-" + "a" * 20, first_time=True
    )
    for title in ("Un ralentisseur", "Des bancs"):
        request = make_request(world)
        Request.objects.filter(pk=request.pk).update(title=title, workshop=workshop)
    contributions.capture(
        by=world.person("facilitator"), workshop=workshop, question=0, text="Oui", key="o" * 20
    )
    minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=workshop)
    assert minutes.introduction == (
        "1 personne a participé à cet atelier\u00a0; 1 d'entre elles a dit que c'était sa "
        "première fois. Nous remercions Les Ateliers du Mardi, Maison de quartier de Bomel de "
        "nous avoir accueillis."
    )
    assert minutes.next_steps == (
        "– Demande à la Ville\u00a0: Un ralentisseur\n– Demande à la Ville\u00a0: Des bancs"
    )
    assert [part["notes"] for part in minutes.discussion[1:]] == [""] * (
        len(workshop.guiding_questions) - 1
    )


def test_a_workshop_without_partners_thanks_our_partners(world: World) -> None:
    workshop = make_workshop(
        cycle=make_cycle([world.home], slug="sans-partenaire"),
        neighbourhood=world.home,
        venue=world.venue,
        status=Status.HELD,
        days_from_now=-2,
    )
    workshop.facilitators.set([world.person("facilitator")])
    minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=workshop)
    assert minutes.introduction.endswith(
        "Nous remercions nos partenaires de nous avoir accueillis."
    )


def test_a_city_writing_in_english_gets_its_draft_in_english(held: Workshop, world: World) -> None:
    from django.test import override_settings

    with override_settings(LANGUAGE_CODE="en"):
        minutes = actions.draft_minutes(by=world.person("facilitator"), workshop=held)
    assert minutes.introduction == (
        "3 people took part in this workshop; 2 of them said it was their first time. "
        "We thank Maison de quartier de Bomel for hosting us."
    )
