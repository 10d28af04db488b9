from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Contribution, Theme
from palabre.core.testing import World
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world)


def post(client: Client, workshop: Workshop, **data: Any) -> Any:
    return client.post(reverse("contributions:capture", args=[workshop.pk]), data)


def test_twenty_entries_under_three_questions_are_each_saved_once(
    workshop: Workshop, world: World
) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    propreté = Theme.objects.get(slug="proprete")
    for number in range(20):
        entry = {
            "question": number % 3,
            "key": f"entry-{number:020d}",
            "text": f"Remarque numéro {number}",
            "table_label": "Table 2",
            "themes": [propreté.pk],
        }
        first = post(client, workshop, **entry)
        again = post(client, workshop, **entry)  # a double tap, or a retry after a dropped line
        assert first.status_code == again.status_code == 302
    assert Contribution.objects.count() == 20
    questions = Contribution.objects.values_list("question", flat=True)
    assert set(questions) == set(workshop.guiding_questions[:3])
    assert all(c.themes.get() == propreté for c in Contribution.objects.all())
    page = client.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert "20 contributions notées" in page


def test_html_is_shown_as_text_never_run(workshop: Workshop, world: World) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    post(client, workshop, question=0, key="k" * 20, text="<script>alert('x')</script> <b>gras</b>")
    page = client.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;" in page


def test_a_text_over_the_limit_is_refused_and_kept_in_the_form(
    workshop: Workshop, world: World
) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    long_text = "x" * 2400
    response = post(client, workshop, question=1, key="k" * 20, text=long_text)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "2000 caractères au plus (ce texte en a 2400)" in page
    assert long_text.strip() in page
    assert not Contribution.objects.exists()


def test_only_its_facilitators_and_the_service_capture(workshop: Workshop, world: World) -> None:
    from django.core.exceptions import PermissionDenied

    for persona in ("resident", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.capture(
                by=world.person(persona), workshop=workshop, question=0, text="x", key="k" * 20
            )


def test_a_question_outside_the_guide_is_refused(workshop: Workshop, world: World) -> None:
    with pytest.raises(actions.ContributionError):
        actions.capture(by=None, workshop=workshop, question=9, text="x", key="k" * 20)


def test_the_capture_page_makes_a_constant_number_of_queries(
    workshop: Workshop, world: World, django_assert_num_queries: Any
) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("contributions:capture", args=[workshop.pk])
    actions.capture(by=None, workshop=workshop, question=0, text="un", key="a" * 20)
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    for number in range(6):
        actions.capture(
            by=None,
            workshop=workshop,
            question=number % 5,
            text="deux",
            key=f"b{number:019d}",
            themes=Theme.objects.all()[:2],
        )
    with django_assert_num_queries(9):
        client.get(url)


def test_untagged_notes_get_theme_suggestions_that_one_tap_adds(
    workshop: Workshop, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    cache.clear()
    client = Client()
    client.force_login(world.person("facilitator"))
    post(client, workshop, question=0, key="s" * 20, text="Les poubelles débordent rue Haute.")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert "Thèmes suggérés" not in page  # no suggester yet: one is requested from the worker
    assert DBTaskResult.objects.filter(task_path__endswith="train_theme_suggester").exists()
    actions.train_suggester()
    page = client.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert "Thèmes suggérés" in page
    propreté = Theme.objects.get(slug="proprete")
    assert f'name="theme" value="{propreté.pk}"' in page
    note = Contribution.objects.get()
    response = client.post(
        reverse("contributions:add_theme", args=[note.pk]), {"theme": propreté.pk}
    )
    assert response.status_code == 302
    assert list(note.themes.all()) == [propreté]
    # With JavaScript, the tap changes the note's line only: no reload, nothing typed is lost.
    cadre = Theme.objects.get(slug="cadre-de-vie")
    fragment = client.post(
        reverse("contributions:add_theme", args=[note.pk]),
        {"theme": cadre.pk},
        headers={"HX-Request": "true"},
    ).text
    assert fragment.startswith(f'<li id="note-{note.pk}" data-key="{"s" * 20}">')
    assert f" · {cadre.name} · {propreté.name}</span>" in html.unescape(fragment)
    assert "<html" not in fragment
    assert (
        "Thèmes suggérés"
        not in client.get(reverse("contributions:capture", args=[workshop.pk])).text
    )


def test_without_javascript_the_table_label_stays_filled_for_the_next_note(
    workshop: Workshop, world: World
) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    entry = {"question": 1, "key": "t" * 24, "text": "Un banc", "table_label": "Table & 3"}
    response = post(client, workshop, **entry)
    assert response.headers["Location"].endswith("?q=1&table=Table%20%26%203#question-1")
    page = client.get(response.headers["Location"]).text
    assert page.count('name="table_label" maxlength="50" value="Table &amp; 3"') == len(
        workshop.guiding_questions
    )
    assert "Un banc</textarea>" not in page  # the text itself is not kept: it was saved
