from __future__ import annotations

from typing import Any, cast

import factory

from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, PartnerKind, Venue


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, object]:
    """Return a closed square GeoJSON polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    summary = "Un quartier de test."
    # Side by side, along 10 degrees of longitude: a long run (mutation testing creates
    # thousands in one process) starts again from the west rather than leave the globe.
    boundary = factory.Sequence(lambda n: square(4.80 + 0.02 * (n % 500), 50.45))


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Maison de quartier {n}")
    slug = factory.Sequence(lambda n: f"partenaire-{n}")
    kind = PartnerKind.NEIGHBOURHOOD_HOUSE

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: list[Neighbourhood] | None) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)


class PartnerContactFactory(factory.django.DjangoModelFactory[PartnerContact]):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = "Anne Contact"
    email = "anne.contact@example.org"
    phone = "081/12.34.56"


class VenueFactory(factory.django.DjangoModelFactory[Venue]):
    class Meta:
        model = Venue

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    slug = factory.Sequence(lambda n: f"salle-{n}")
    name = factory.Sequence(lambda n: f"Salle {n}")
    street = "Rue des Tilleuls"
    house_number = "12"
    postcode = "5000"
    locality = "Namur"
    capacity = 40
    step_free_access = True


def make_neighbourhood(**fields: Any) -> Neighbourhood:
    return cast(Neighbourhood, NeighbourhoodFactory(**fields))


def make_partner(**fields: Any) -> Partner:
    return cast(Partner, PartnerFactory(**fields))


def make_contact(**fields: Any) -> PartnerContact:
    return cast(PartnerContact, PartnerContactFactory(**fields))


def make_venue(**fields: Any) -> Venue:
    return cast(Venue, VenueFactory(**fields))
