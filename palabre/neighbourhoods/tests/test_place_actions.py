"""The writes behind the service's pages of venues and partners: slugs made from names,
duplicates refused by the database's constraints with a sentence, the permission re-checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palabre.core.testing import World
from palabre.neighbourhoods import actions
from palabre.neighbourhoods.models import Partner, PartnerContact, PartnerKind, Venue
from palabre.neighbourhoods.tests.factories import make_contact

pytestmark = pytest.mark.django_db

NOT_STAFF = ("resident", "neighbour", "facilitator", "partner", "official")


def new_venue(world: World, name: str = "Salle Été", **fields: Any) -> Venue:
    values: dict[str, Any] = {
        "neighbourhood": world.home,
        "name": name,
        "street": "Rue de Bomel",
        "house_number": "154",
        "postcode": "5000",
        "locality": "Namur",
        "capacity": 30,
    }
    return Venue(**(values | fields))


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_a_new_venue_gets_its_short_name_from_its_name(world: World) -> None:
    venue = actions.save_venue(by=world.person("coordinator"), venue=new_venue(world))
    assert venue.slug == "salle-ete"
    assert venue.get_absolute_url() == "/quartiers/bomel/lieux/salle-ete/"


def test_a_venue_named_like_the_creation_page_gets_another_short_name(world: World) -> None:
    venue = actions.save_venue(by=None, venue=new_venue(world, "Nouveau !"))
    assert venue.slug == "nouveau-lieu"


def test_a_name_without_latin_letters_still_gives_a_short_name(world: World) -> None:
    assert actions.save_venue(by=None, venue=new_venue(world, "قاعة")).slug == "lieu"


def test_a_long_name_gives_a_short_name_that_fits_the_column(world: World) -> None:
    venue = actions.save_venue(by=None, venue=new_venue(world, "Grande salle " * 15))
    assert len(venue.slug) <= 50
    assert not venue.slug.endswith("-")


def test_a_short_name_cut_at_a_dash_does_not_end_with_it(world: World) -> None:
    venue = actions.save_venue(by=None, venue=new_venue(world, "a" * 49 + " b"))
    assert venue.slug == "a" * 49  # the 50th character was the dash before "b"


def test_a_taken_name_and_another_mistake_are_both_said(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.save_venue(
            by=None, venue=new_venue(world, world.venue.name, capacity=-1, postcode="")
        )
    said = messages_of(error)
    assert said["name"] == [str(actions.DUPLICATE_VENUE)]
    assert said["postcode"] == ["Ce champ ne peut pas être vide."]
    assert len(said["capacity"]) == 1
    assert "0" in said["capacity"][0]


def test_a_venue_name_taken_in_the_neighbourhood_is_refused_on_the_name(world: World) -> None:
    actions.save_venue(by=None, venue=new_venue(world, "Salle Été"))
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=new_venue(world, "salle ete"))
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_VENUE)]}
    assert Venue.objects.filter(neighbourhood=world.home, slug="salle-ete").count() == 1


def test_a_venue_name_taken_under_another_short_name_is_refused_too(world: World) -> None:
    # The demo's and the admin's venues have short names of their own, not made from the name.
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=new_venue(world, world.venue.name.upper()))
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_VENUE)]}


def test_renaming_a_venue_like_another_is_refused(world: World) -> None:
    world.hidden_venue.name = world.venue.name
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=world.hidden_venue)
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_VENUE)]}


def test_the_same_venue_name_is_fine_in_another_neighbourhood(world: World) -> None:
    actions.save_venue(by=None, venue=new_venue(world, "Salle Été"))
    other = actions.save_venue(
        by=None, venue=new_venue(world, "Salle Été", neighbourhood=world.elsewhere)
    )
    assert other.slug == "salle-ete"


def test_a_venue_saved_meanwhile_under_the_same_name_is_refused_by_the_database(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two coordinators submit at once: both pass the validation, the constraint decides.
    actions.save_venue(by=None, venue=new_venue(world, "Salle Été"))
    monkeypatch.setattr(Venue, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=new_venue(world, "Salle Ete"))
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_VENUE)]}
    assert Venue.objects.filter(neighbourhood=world.home, slug="salle-ete").count() == 1


def test_other_refusals_keep_their_field(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=new_venue(world, street="", capacity=0))
    found = messages_of(error)
    assert "street" in found
    assert "name" not in found


def test_a_venue_cannot_be_given_the_reserved_short_name(world: World) -> None:
    world.venue.slug = "nouveau"
    with pytest.raises(ValidationError) as error:
        actions.save_venue(by=None, venue=world.venue)
    assert list(messages_of(error)) == ["slug"]


def test_renaming_a_venue_keeps_its_address(world: World) -> None:
    world.venue.name = "Salle rénovée"
    actions.save_venue(by=world.person("administrator"), venue=world.venue)
    world.venue.refresh_from_db()
    assert (world.venue.name, world.venue.slug) == ("Salle rénovée", "salle-bomel")


def test_a_new_partner_gets_its_short_name_and_its_neighbourhoods(world: World) -> None:
    partner = actions.save_partner(
        by=world.person("coordinator"),
        partner=Partner(name="Club de pétanque", kind=PartnerKind.CLUB),
        neighbourhoods=[world.home, world.elsewhere],
    )
    assert partner.slug == "club-de-petanque"
    assert set(partner.neighbourhoods.all()) == {world.home, world.elsewhere}


def test_a_partner_name_taken_is_refused_on_the_name(world: World) -> None:
    actions.save_partner(by=None, partner=Partner(name="Club de pétanque"))
    with pytest.raises(ValidationError) as error:
        actions.save_partner(
            by=None, partner=Partner(name="CLUB DE PETANQUE"), neighbourhoods=[world.home]
        )
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_PARTNER)]}


def test_a_partner_saved_meanwhile_under_the_same_name_is_refused_by_the_database(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.save_partner(by=None, partner=Partner(name="Club de pétanque"))
    monkeypatch.setattr(Partner, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as error:
        actions.save_partner(by=None, partner=Partner(name="Club de petanque"))
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_PARTNER)]}
    assert Partner.objects.filter(slug="club-de-petanque").count() == 1


def test_the_same_contact_twice_is_one_contact(world: World) -> None:
    first = make_contact(partner=world.partner_org, name="Luc", email="luc@example.org", phone="")
    twice = PartnerContact(partner=world.partner_org, name="Luc", email="luc@example.org")
    with pytest.raises(ValidationError) as error:
        actions.save_contact(by=world.person("coordinator"), contact=twice)
    assert messages_of(error) == {"name": [str(actions.DUPLICATE_CONTACT)]}
    assert list(world.partner_org.contacts.filter(name="Luc")) == [first]


def test_a_contact_is_removed(world: World) -> None:
    contact = world.partner_org.contacts.get()
    actions.remove_contact(by=world.person("coordinator"), contact=contact)
    assert not world.partner_org.contacts.exists()


@pytest.mark.parametrize("persona", NOT_STAFF)
def test_only_the_service_may_write_venues_partners_and_contacts(
    world: World, persona: str
) -> None:
    someone = world.person(persona)
    contact = world.partner_org.contacts.get()
    with pytest.raises(PermissionDenied):
        actions.save_venue(by=someone, venue=new_venue(world))
    with pytest.raises(PermissionDenied):
        actions.save_partner(by=someone, partner=Partner(name="Nouveau club"))
    with pytest.raises(PermissionDenied):
        actions.save_contact(
            by=someone, contact=PartnerContact(partner=world.partner_org, name="X")
        )
    with pytest.raises(PermissionDenied):
        actions.remove_contact(by=someone, contact=contact)
    assert not Venue.objects.filter(slug="salle-ete").exists()
    assert not Partner.objects.filter(name="Nouveau club").exists()
    assert world.partner_org.contacts.get() == contact
