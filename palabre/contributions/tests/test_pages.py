from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from palabre.contributions import actions
from palabre.contributions.models import Contribution, Moderation, Photo, Reason, Status
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, jpeg_with_gps, sent_mail

pytestmark = pytest.mark.django_db


def board_url(world: World) -> str:
    return reverse("contributions:board", args=[world.home.slug])


def test_a_visitor_posts_without_an_account_and_gets_a_private_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    make_board(world.home, moderation=Moderation.PRE)
    client = Client()
    page = client.get(board_url(world))
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key is not None
    data = {"key": key.group(1), "text": "Un potager partagé au parc ?", "email": "a@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board_url(world), data)
        again = client.post(board_url(world), data)  # double submit
    contribution = Contribution.objects.get()
    assert response.status_code == again.status_code == 302
    assert response["Location"].endswith(f"/parole/suivi/{contribution.follow_token}/")
    follow = client.get(response["Location"])
    assert "Un potager partagé au parc ?" in follow.text
    assert "En attente de modération" in follow.text
    assert len(sent_mail()) == 1
    # Pending: not on the board, not on its public page.
    assert "potager" not in client.get(board_url(world)).text
    assert client.get(reverse("contributions:detail", args=[contribution.pk])).status_code == 404


def test_a_too_long_text_is_refused_with_the_text_kept(world: World) -> None:
    make_board(world.home)
    text = "x" * 2001
    response = Client().post(board_url(world), {"key": "k" * 20, "text": text})
    assert response.status_code == 400
    assert "2001" in response.text
    assert text in response.text
    assert not Contribution.objects.exists()


def test_a_closed_board_shows_contributions_but_no_form(world: World) -> None:
    make_post(world.home, "Plus de lumière le soir.")
    make_board(world.home, is_open=False)
    page = Client().get(board_url(world)).text
    assert "Plus de lumière le soir." in page
    assert 'name="text"' not in page
    response = Client().post(board_url(world), {"key": "k" * 20, "text": "Tentative"})
    assert response.status_code == 400
    assert Contribution.objects.count() == 1


def test_scripts_in_a_post_are_shown_as_text(world: World) -> None:
    make_post(world.home, "<script>alert(1)</script> Nettoyez le parc")
    page = Client().get(board_url(world)).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_board_lists_without_one_query_per_contribution(world: World) -> None:
    for number in range(12):
        make_post(world.home, f"Contribution {number}")
    client = Client()
    client.force_login(world.person("neighbour"))
    client.get(board_url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(board_url(world))
    for number in range(12, 40):
        make_post(world.home, f"Contribution {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(board_url(world))
    assert len(many) == len(few)


def test_the_author_of_a_hidden_contribution_sees_why(world: World) -> None:
    resident = world.person("resident")
    post = make_post(world.home, "Mon voisin est un idiot.", by=resident)
    actions.hide(
        by=world.person("coordinator"),
        contribution=post,
        reason=Reason.INSULT,
        note="Les attaques personnelles ne sont pas publiées.",
    )
    client = Client()
    client.force_login(resident)
    page = client.get(reverse("contributions:detail", args=[post.pk])).text
    assert "Insulte" in page
    assert "Les attaques personnelles ne sont pas publiées." in page
    response = client.post(
        reverse("contributions:appeal", args=[post.pk]), {"text": "Je retire le mot."}
    )
    assert response.status_code == 302
    assert "Je retire le mot." in client.get(response["Location"]).text
    other = Client()
    other.force_login(world.person("neighbour"))
    assert other.get(reverse("contributions:detail", args=[post.pk])).status_code == 404


def test_a_moderator_confirms_a_mask_and_hides_with_a_reason_through_the_page(
    world: World,
) -> None:
    post = make_post(world.home, "Appelez le 0470 12 34 56.", moderation=Moderation.PRE)
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("contributions:moderate", args=[post.pk])
    assert "0470 12 34 56" in client.get(url).text
    index = next(i for i, item in enumerate(post.personal_data) if item["kind"] == "phone")
    assert client.post(url, {"step": "confirm", "index": index}).status_code == 302
    assert client.post(url, {"step": "hide", "reason": "nonsense"}).status_code == 200
    assert client.post(url, {"step": "hide", "reason": Reason.SPAM}).status_code == 302
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    assert post.personal_data[index]["state"] == "confirmed"
    history = client.get(url).text
    assert "Masquage confirmé" in history
    assert "Masquée" in history


def test_me_too_through_the_page_is_idempotent(world: World) -> None:
    post = make_post(world.home)
    client = Client()
    client.force_login(world.person("neighbour"))
    url = reverse("contributions:me_too", args=[post.pk])
    client.post(url)
    client.post(url)
    assert post.me_too.count() == 1
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("contributions:detail", args=[post.pk])


def test_search_finds_plural_and_accent_variants(world: World) -> None:
    make_post(world.home, "Les poubelles débordent rue Haute.")
    make_post(world.home, "La sécurité des enfants devant l'école.")
    make_post(world.home, "On aimerait un marché le samedi.", moderation=Moderation.PRE)
    url = reverse("contributions:search")
    page = Client().get(url, {"q": "POUBELLE"}).text
    assert "Les poubelles débordent" in page
    assert "sécurité" not in page
    assert "La sécurité des enfants" in Client().get(url, {"q": "securite enfant"}).text
    assert "un marché le samedi" not in Client().get(url, {"q": "marché"}).text  # pending
    assert "0 contribution" in Client().get(url, {"q": "poubelle école"}).text


def test_transcription_stores_the_photo_without_gps_and_refuses_non_images(
    world: World,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("contributions:transcribe")
    assert client.get(url).status_code == 200
    data = {
        "key": "t" * 20,
        "neighbourhood": world.home.pk,
        "description": "Le tableau de la fête",
        "texts": "Plus de bancs.\r\n\r\nUn terrain de foot.\r\n",
    }
    bad = client.post(url, data | {"photo": SimpleUploadedFile("x.jpg", b"not an image")})
    assert bad.status_code == 200
    assert "Plus de bancs." in bad.text
    assert not Contribution.objects.exists()
    good = client.post(url, data | {"photo": SimpleUploadedFile("t.jpg", jpeg_with_gps())})
    assert good.status_code == 302
    assert Contribution.objects.filter(source="paper").count() == 2
    stored = Photo.objects.get()
    with Image.open(stored.image.path) as image:
        assert image.format == "PNG"
        assert not image.getexif()
