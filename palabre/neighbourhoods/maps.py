"""Prepare neighbourhood boundaries for the inline SVG map templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from palabre.neighbourhoods.geo import Projection, centroid, parse_boundary
from palabre.neighbourhoods.models import Neighbourhood, Venue


@dataclass(frozen=True)
class MapShape:
    name: str
    url: str
    path: str
    label_x: float
    label_y: float
    current: bool


@dataclass(frozen=True)
class MapPin:
    name: str
    url: str
    x: float
    y: float


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    shapes: list[MapShape]
    pins: list[MapPin]


def build_map(
    neighbourhoods: Sequence[Neighbourhood],
    *,
    current: Neighbourhood | None = None,
    venues: Sequence[Venue] = (),
) -> SvgMap:
    """Project neighbourhoods (and venue pins) into one SVG map."""
    parsed = [(n, parse_boundary(n.boundary)) for n in neighbourhoods]
    projection = Projection.fit(ring for _, polygons in parsed for p in polygons for ring in p)
    shapes = []
    for neighbourhood, polygons in parsed:
        x, y = projection.point(*centroid(polygons))
        shapes.append(
            MapShape(
                name=neighbourhood.name,
                url=neighbourhood.get_absolute_url(),
                path=projection.path(polygons),
                label_x=x,
                label_y=y,
                current=current is not None and neighbourhood.pk == current.pk,
            )
        )
    pins = [
        MapPin(
            venue.name, venue.get_absolute_url(), *projection.point(venue.longitude, venue.latitude)
        )
        for venue in venues
        if venue.longitude is not None and venue.latitude is not None
    ]
    return SvgMap(view_box=projection.view_box, shapes=shapes, pins=pins)
