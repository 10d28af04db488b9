"""The service's pages of venues and partners: what they show, what they accept, and that a
refused form keeps what was typed."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import World, error_summary, jpeg_with_gps
from palabre.neighbourhoods.models import Partner, Venue
from palabre.neighbourhoods.tests.factories import make_contact, make_partner, make_venue

pytestmark = pytest.mark.django_db


def client_of(world: World, persona: str = "coordinator") -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def venue_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Salle des Tilleuls",
        "street": "Rue des Tilleuls",
        "house_number": "3",
        "postcode": "5000",
        "locality": "Namur",
        "capacity": "35",
        "step_free_access": "on",
        "childcare_room": "on",
        "public_transport": "Bus 3, arrêt Tilleuls.",
        "access_notes": "",
        "latitude": "",
        "longitude": "",
        "host": "",
        "is_published": "on",
    }
    return data | changes


def places_url(world: World) -> str:
    return reverse("neighbourhoods:places", kwargs={"slug": world.home.slug})


def new_venue_url(world: World) -> str:
    return reverse("neighbourhoods:new_venue", kwargs={"slug": world.home.slug})


def partner_url(partner: Partner) -> str:
    return reverse("neighbourhoods:edit_partner", kwargs={"partner_slug": partner.slug})


# The list


def test_the_places_page_lists_venues_with_their_access_and_partners_with_contacts(
    world: World,
) -> None:
    page = text(client_of(world).get(places_url(world)))
    assert "Lieux et partenaires de Bomel" in page
    for venue in (world.venue, world.hidden_venue):
        assert venue.name in page
        edit = reverse("neighbourhoods:edit_venue", args=["bomel", venue.slug])
        assert f'href="{edit}"' in page
    assert "Accès sans marche" in page
    assert "40 personnes" in page
    assert "Non publié\u00a0: seul le service le voit." in page
    assert world.partner_org.name in page
    assert "anne.contact@example.org" in page
    assert f'href="{partner_url(world.partner_org)}"' in page
    assert f'href="{new_venue_url(world)}"' in page
    assert 'href="/quartiers/bomel/partenaires/nouveau/"' in page


def test_the_places_page_makes_the_same_number_of_queries_for_more_venues_and_partners(
    django_assert_max_num_queries: Any, world: World
) -> None:
    client = client_of(world)
    url = places_url(world)
    client.get(url)
    with django_assert_max_num_queries(6):
        client.get(url)
    for index in range(4):
        host = make_partner(neighbourhoods=[world.home])
        make_contact(partner=host, name=f"Contact {index}")
        make_contact(partner=host, name=f"Autre {index}")
        make_venue(neighbourhood=world.home, host=host)
    with django_assert_max_num_queries(6):
        page = text(client.get(url))
    assert page.count("Contact 3") == 1


def test_the_neighbourhood_and_venue_pages_link_to_the_forms_for_the_service_only(
    world: World,
) -> None:
    edit = reverse("neighbourhoods:edit_venue", args=["bomel", world.venue.slug])
    for persona, sees in (("coordinator", True), ("administrator", True), ("facilitator", False)):
        client = client_of(world, persona)
        assert (places_url(world) in client.get(world.home.get_absolute_url()).text) is sees
        assert (edit in client.get(world.venue.get_absolute_url()).text) is sees
    assert places_url(world) not in Client().get(world.home.get_absolute_url()).text


# Venues


def test_the_coordinator_adds_a_venue_hosted_by_a_local_partner(world: World) -> None:
    client = client_of(world)
    data = venue_data(host=str(world.partner_org.pk), latitude="50,4786", longitude="4.8648")
    response = client.post(new_venue_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == places_url(world)
    venue = Venue.objects.get(neighbourhood=world.home, slug="salle-des-tilleuls")
    assert venue.host == world.partner_org
    assert (venue.capacity, venue.step_free_access, venue.hearing_loop) == (35, True, False)
    assert (venue.latitude, venue.longitude) == (50.4786, 4.8648)
    assert "Lieu ajouté\u00a0: Salle des Tilleuls." in text(client.get(places_url(world)))


def test_a_duplicate_venue_name_is_refused_beside_the_name_and_what_was_typed_stays(
    world: World,
) -> None:
    client = client_of(world)
    client.post(new_venue_url(world), venue_data())
    response = client.post(
        new_venue_url(world), venue_data(name="Salle des tilleuls", street="Rue Neuve")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Ce quartier a déjà un lieu de ce nom" in page
    assert 'value="Salle des tilleuls"' in page
    assert 'value="Rue Neuve"' in page
    assert 'name="name" value="Salle des tilleuls" maxlength="200" required' in page
    assert error_summary(response.text) == ["#id_name"]  # focused, with a link to the field
    assert (
        Venue.objects.filter(neighbourhood=world.home, name__istartswith="Salle des").count() == 1
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("4.8648", "50.4786", "latitude", "semblent inversées"),
        ("48.85", "2.35", "latitude", "la latitude est comprise entre 49,4 et 51,6"),
        ("50.8", "12", "longitude", "la longitude est comprise entre 2,5 et 6,5"),
        ("50.4786", "", "longitude", "Donnez la latitude et la longitude, ou aucune des deux."),
        ("50°28'", "4.86", "latitude", "Écrivez un nombre de degrés"),
        ("nan", "inf", "latitude", "Écrivez un nombre de degrés"),
    ],
)
def test_implausible_coordinates_are_refused_and_kept(
    world: World, latitude: str, longitude: str, field: str, message: str
) -> None:
    response = client_of(world).post(
        new_venue_url(world), venue_data(latitude=latitude, longitude=longitude)
    )
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert f'value="{latitude}"' in page
    assert not Venue.objects.filter(slug="salle-des-tilleuls").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"capacity": "0"}, "supérieure ou égale à 1"),
        ({"capacity": "beaucoup"}, "Saisissez un nombre entier."),
        ({"postcode": "50000"}, "Un code postal belge a quatre chiffres"),
    ],
)
def test_bad_venue_details_are_refused_with_a_sentence(
    world: World, changes: dict[str, str], message: str
) -> None:
    response = client_of(world).post(new_venue_url(world), venue_data(**changes))
    assert response.status_code == 200
    assert message in text(response)


def test_only_partners_of_the_neighbourhood_may_host_its_venues(world: World) -> None:
    elsewhere = make_partner(name="Club de Jambes", neighbourhoods=[world.elsewhere])
    client = client_of(world)
    page = text(client.get(new_venue_url(world)))
    assert world.partner_org.name in page
    assert "Club de Jambes" not in page
    response = client.post(new_venue_url(world), venue_data(host=str(elsewhere.pk)))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not Venue.objects.filter(slug="salle-des-tilleuls").exists()


def test_a_venue_keeps_a_host_that_left_the_neighbourhood_when_changed(world: World) -> None:
    world.partner_org.neighbourhoods.set([world.elsewhere])
    url = reverse("neighbourhoods:edit_venue", args=["bomel", world.venue.slug])
    client = client_of(world)
    assert f'value="{world.partner_org.pk}" selected' in client.get(url).text
    data = venue_data(name=world.venue.name, host=str(world.partner_org.pk))
    assert client.post(url, data).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.host == world.partner_org


def test_the_coordinator_changes_an_unpublished_venue_and_publishes_it(world: World) -> None:
    url = reverse("neighbourhoods:edit_venue", args=["bomel", world.hidden_venue.slug])
    client = client_of(world)
    form = text(client.get(url))
    assert f'value="{world.hidden_venue.name}"' in form
    assert 'name="is_published"' in form
    assert 'name="is_published" checked' not in form
    response = client.post(url, venue_data(name="Salle rouverte", hearing_loop="on"))
    assert response.status_code == 302
    world.hidden_venue.refresh_from_db()
    assert world.hidden_venue.is_published
    assert world.hidden_venue.hearing_loop
    assert (world.hidden_venue.name, world.hidden_venue.slug) == ("Salle rouverte", "salle-cachee")


def test_a_refused_venue_change_keeps_the_stored_name_in_the_heading(world: World) -> None:
    url = reverse("neighbourhoods:edit_venue", args=["bomel", world.venue.slug])
    response = client_of(world).post(
        url, venue_data(name=world.hidden_venue.name, street="Rue Neuve")
    )
    page = text(response)
    assert "Ce quartier a déjà un lieu de ce nom" in page
    assert f'value="{world.hidden_venue.name}"' in page
    assert f"<h1>Modifier le lieu {world.venue.name}</h1>" in page
    world.venue.refresh_from_db()
    assert world.venue.street == "Rue des Tilleuls"


def test_a_venue_slugged_like_the_creation_page_would_not_hide_it(world: World) -> None:
    response = client_of(world).post(new_venue_url(world), venue_data(name="Nouveau"))
    assert response.status_code == 302
    venue = Venue.objects.get(name="Nouveau")
    assert venue.slug == "nouveau-lieu"
    assert Client().get(venue.get_absolute_url()).status_code == 200
    assert client_of(world).get(new_venue_url(world)).status_code == 200


# Partners and contacts


def test_the_new_partner_form_preselects_the_neighbourhood(world: World) -> None:
    page = client_of(world).get(reverse("neighbourhoods:new_partner", args=["bomel"])).text
    assert f'value="{world.home.pk}" id="id_neighbourhoods_0" checked' in page
    assert f'value="{world.elsewhere.pk}" id="id_neighbourhoods_1">' in page


def test_the_coordinator_adds_a_partner_then_lands_on_its_contacts(world: World) -> None:
    client = client_of(world)
    response = client.post(
        reverse("neighbourhoods:new_partner", args=["bomel"]),
        {
            "name": "Club de pétanque",
            "kind": "club",
            "description": "Tous les jeudis.",
            "website": "petanque.example.be",
            "neighbourhoods": [world.home.pk, world.elsewhere.pk],
        },
    )
    partner = Partner.objects.get(slug="club-de-petanque")
    assert response["Location"] == partner_url(partner)
    assert partner.website == "https://petanque.example.be"
    assert set(partner.neighbourhoods.all()) == {world.home, world.elsewhere}
    page = text(client.get(partner_url(partner)))
    assert "Partenaire ajouté\u00a0: Club de pétanque." in page
    assert "Pas encore de personne de contact." in page


def test_a_partner_name_taken_is_refused_and_kept(world: World) -> None:
    client = client_of(world)
    url = reverse("neighbourhoods:new_partner", args=["bomel"])
    data = {"name": "Club de pétanque", "kind": "club", "neighbourhoods": [world.home.pk]}
    client.post(url, data)
    response = client.post(url, data | {"name": "Club de Pétanque", "description": "Bis"})
    page = text(response)
    assert "Un partenaire de ce nom" in page
    assert 'value="Club de Pétanque"' in page
    assert "Bis</textarea>" in page
    assert Partner.objects.filter(name__icontains="pétanque").count() == 1


def test_a_partner_must_work_somewhere(world: World) -> None:
    response = client_of(world).post(
        reverse("neighbourhoods:new_partner", args=["bomel"]), {"name": "Club", "kind": "club"}
    )
    assert "Choisissez au moins un quartier." in text(response)


def test_the_coordinator_changes_a_partner(world: World) -> None:
    response = client_of(world).post(
        partner_url(world.partner_org),
        {
            "step": "partner",
            "name": "Maison de quartier de Bomel-Plateau",
            "kind": "neighbourhood_house",
            "description": "Accueil et école de devoirs.",
            "website": "",
            "neighbourhoods": [world.home.pk, world.elsewhere.pk],
        },
    )
    assert response.status_code == 302
    world.partner_org.refresh_from_db()
    assert world.partner_org.name == "Maison de quartier de Bomel-Plateau"
    assert set(world.partner_org.neighbourhoods.all()) == {world.home, world.elsewhere}


def test_a_refused_partner_change_keeps_the_stored_name_in_the_heading(world: World) -> None:
    response = client_of(world).post(
        partner_url(world.partner_org),
        {"step": "partner", "name": "Nouveau nom", "kind": "club", "website": "pas une adresse"},
    )
    page = text(response)
    assert "Écrivez une adresse web" in page
    assert 'value="Nouveau nom"' in page
    assert f"<h1>Modifier le partenaire {world.partner_org.name}</h1>" in page


def test_the_coordinator_adds_changes_and_removes_contacts(world: World) -> None:
    client = client_of(world)
    url = partner_url(world.partner_org)
    refused = client.post(
        url, {"step": "add", "new-contact-name": "Luc Martin", "new-contact-email": "luc@"}
    )
    page = text(refused)
    assert "Saisissez une adresse de courriel valide." in page
    assert 'value="luc@"' in page
    assert 'value="Luc Martin"' in page
    added = client.post(
        url,
        {
            "step": "add",
            "new-contact-name": "Luc Martin",
            "new-contact-position": "Président",
            "new-contact-email": "luc@example.org",
            "new-contact-phone": "0470 12 34 56",
        },
    )
    assert added.status_code == 302
    luc = world.partner_org.contacts.get(name="Luc Martin")
    assert (luc.position, luc.phone) == ("Président", "0470 12 34 56")

    prefix = f"contact-{luc.pk}"
    changed = client.post(
        url,
        {
            "step": "contact",
            "contact": str(luc.pk),
            f"{prefix}-name": "Luc Martin",
            f"{prefix}-position": "Trésorier",
            f"{prefix}-email": "luc@example.org",
            f"{prefix}-phone": "",
        },
    )
    assert changed.status_code == 302
    luc.refresh_from_db()
    assert (luc.position, luc.phone) == ("Trésorier", "")

    for _ in range(2):  # sent twice: the second finds it gone, harmlessly
        removed = client.post(url, {"step": "remove", "contact": str(luc.pk)})
        assert removed.status_code == 302
    assert not world.partner_org.contacts.filter(name="Luc Martin").exists()
    assert "Ce contact a été retiré entre-temps." in text(client.get(url))


def test_adding_the_same_contact_twice_keeps_one(world: World) -> None:
    client = client_of(world)
    data = {"step": "add", "new-contact-name": "Luc", "new-contact-email": "luc@example.org"}
    client.post(partner_url(world.partner_org), data)
    again = client.post(partner_url(world.partner_org), data)
    assert "Cette personne figure déjà parmi les contacts de ce partenaire." in text(again)
    assert world.partner_org.contacts.filter(name="Luc").count() == 1


def test_a_contact_of_another_partner_cannot_be_changed_from_this_page(world: World) -> None:
    other = make_contact(partner=make_partner(), name="Autre")
    client = client_of(world)
    client.post(partner_url(world.partner_org), {"step": "remove", "contact": str(other.pk)})
    client.post(
        partner_url(world.partner_org), {"step": "remove", "contact": "99999999999999999999"}
    )
    assert other.partner.contacts.filter(pk=other.pk).exists()


# Logos


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def partner_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "step": "partner",
        "name": world.partner_org.name,
        "kind": world.partner_org.kind,
        "description": "",
        "website": "",
        "neighbourhoods": [world.home.pk],
    }
    return data | changes


def test_a_logo_sent_from_the_page_is_stored_as_png_without_gps(world: World, media: Path) -> None:
    client = client_of(world)
    logo = SimpleUploadedFile("logo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(partner_url(world.partner_org), partner_data(world, logo=logo))
    assert response.status_code == 302
    world.partner_org.refresh_from_db()
    with Image.open(world.partner_org.logo.path) as stored:
        assert stored.format == "PNG"
        assert dict(stored.getexif()) == {}
    assert "Retirer le logo actuel" in text(client.get(partner_url(world.partner_org)))


def test_a_file_that_is_not_an_image_is_refused_beside_the_logo_field(
    world: World, media: Path
) -> None:
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.7 not an image")
    response = client_of(world).post(
        partner_url(world.partner_org),
        partner_data(world, logo=fake, description="Gardé"),
    )
    page = text(response)
    assert 'id="id_logo_error"' in page
    assert "Gardé</textarea>" in page
    world.partner_org.refresh_from_db()
    assert not world.partner_org.logo


def test_a_logo_replaced_or_removed_leaves_no_file_behind(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(world)
    url = partner_url(world.partner_org)
    first = SimpleUploadedFile("un.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, partner_data(world, logo=first))
    world.partner_org.refresh_from_db()
    old = Path(world.partner_org.logo.path)
    second = SimpleUploadedFile("deux.jpg", jpeg_with_gps((200, 80)), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, partner_data(world, logo=second))
    world.partner_org.refresh_from_db()
    assert not old.exists()
    current = Path(world.partner_org.logo.path)
    assert current.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, partner_data(world, remove_logo="on"))
    world.partner_org.refresh_from_db()
    assert not world.partner_org.logo
    assert not current.exists()
