from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from palabre.neighbourhoods.geo import BoundaryError, Projection, parse_boundary, validate_boundary
from palabre.neighbourhoods.tests.factories import square

RING = [[4.85, 50.46], [4.86, 50.46], [4.86, 50.47], [4.85, 50.47], [4.85, 50.46]]


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ("bomel", 'The boundary must be a GeoJSON object with a "type".'),
        (
            {"type": "Point", "coordinates": [4.8, 50.4]},
            "The boundary must be a Polygon or a MultiPolygon, not 'Point'.",
        ),
        ({"type": "Polygon"}, 'The boundary has no "coordinates".'),
        (
            {"type": "Polygon", "coordinates": [RING[:-1]]},
            "Outer ring is not closed: its last position must repeat the first.",
        ),
        (
            {"type": "Polygon", "coordinates": [RING[:2] + RING[:1]]},
            "Outer ring needs at least 4 positions (a closed triangle); it has 3.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[4.85, 95.0], *RING[1:]]]},
            "Outer ring, position 1 has a latitude outside -90..90: 95.0",
        ),
        (
            {"type": "Polygon", "coordinates": [[[4.85, "50.46"], *RING[1:]]]},
            "Outer ring, position 1 must hold numbers.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[4.85], *RING[1:]]]},
            "Outer ring, position 1 is not a [longitude, latitude] pair.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "Outer ring crosses itself (edges 1 and 3).",
        ),
        (
            {"type": "Polygon", "coordinates": [RING, RING[:-1]]},
            "Hole 1 is not closed: its last position must repeat the first.",
        ),
        (
            {"type": "MultiPolygon", "coordinates": [[RING], [RING[:-1]]]},
            "Polygon 2, outer ring is not closed: its last position must repeat the first.",
        ),
    ],
)
def test_a_malformed_boundary_is_refused_with_a_message_that_names_the_problem(
    boundary: Any, message: str
) -> None:
    with translation.override("en"), pytest.raises(BoundaryError) as error:
        validate_boundary(boundary)
    assert str(error.value) == message


def test_the_boundary_message_speaks_the_users_language() -> None:
    with translation.override("fr"), pytest.raises(BoundaryError) as error:
        validate_boundary({"type": "Polygon", "coordinates": [RING[:-1]]})
    assert str(error.value) == (
        "Le contour extérieur n'est pas fermé\u00a0: sa dernière position doit répéter la première."
    )


def test_a_feature_wrapping_a_polygon_is_accepted() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": square(4.8, 50.4)}
    assert len(parse_boundary(feature)) == 1


def test_the_projection_keeps_proportions_and_puts_north_up() -> None:
    rings = parse_boundary(square(4.8, 50.4, size=0.01))[0]
    projection = Projection.fit(rings, width=600, padding=0)
    south_west = projection.point(4.8, 50.4)
    north_east = projection.point(4.81, 50.41)
    assert south_west == (0.0, projection.height)
    assert north_east[1] == 0.0
    # A degree of longitude at 50° N is about 0.64 of a degree of latitude.
    assert projection.height / projection.width == pytest.approx(1 / 0.6374, rel=0.01)
