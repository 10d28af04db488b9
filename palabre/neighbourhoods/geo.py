"""GeoJSON boundaries: validation with messages that name the problem, and SVG projection.

Maps are drawn as inline SVG from the boundaries themselves: no tile server, no script.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

Ring = list[tuple[float, float]]  # (longitude, latitude) pairs
MAX_POSITIONS = 5_000


class BoundaryError(ValueError):
    """A boundary that is not a usable GeoJSON polygon; the message says why."""


def _position(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise BoundaryError(_("%(where)s is not a [longitude, latitude] pair.") % {"where": where})
    lon, lat = value[0], value[1]
    if isinstance(lon, bool) or isinstance(lat, bool):
        raise BoundaryError(_("%(where)s must hold numbers.") % {"where": where})
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        raise BoundaryError(_("%(where)s must hold numbers.") % {"where": where})
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise BoundaryError(
            _("%(where)s has a longitude outside -180..180: %(value)s")
            % {"where": where, "value": lon}
        )
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise BoundaryError(
            _("%(where)s has a latitude outside -90..90: %(value)s")
            % {"where": where, "value": lat}
        )
    return float(lon), float(lat)


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]
) -> bool:
    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


def _ring(value: Any, where: str) -> Ring:
    if not isinstance(value, list):
        raise BoundaryError(_("%(where)s must be a list of positions.") % {"where": where})
    points = [
        _position(item, _("%(where)s, position %(n)d") % {"where": where, "n": index + 1})
        for index, item in enumerate(value)
    ]
    if len(points) < 4:
        raise BoundaryError(
            _("%(where)s needs at least 4 positions (a closed triangle); it has %(n)d.")
            % {"where": where, "n": len(points)}
        )
    if points[0] != points[-1]:
        raise BoundaryError(
            _("%(where)s is not closed: its last position must repeat the first.")
            % {"where": where}
        )
    edges = list(itertools.pairwise(points))
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue  # the first and last edges share the closing point
            c, d = edges[j]
            if _segments_cross(a, b, c, d):
                raise BoundaryError(
                    _("%(where)s crosses itself (edges %(i)d and %(j)d).")
                    % {"where": where, "i": i + 1, "j": j + 1}
                )
    return points


def parse_boundary(data: Any) -> list[list[Ring]]:
    """Return the polygons (each a list of rings) of a GeoJSON Polygon or MultiPolygon."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict):
        raise BoundaryError(_('The boundary must be a GeoJSON object with a "type".'))
    kind = data.get("type")
    coordinates = data.get("coordinates")
    if kind not in {"Polygon", "MultiPolygon"}:
        raise BoundaryError(
            _("The boundary must be a Polygon or a MultiPolygon, not %(kind)s.")
            % {"kind": repr(kind)}
        )
    if not isinstance(coordinates, list) or not coordinates:
        raise BoundaryError(_('The boundary has no "coordinates".'))
    polygons_data = [coordinates] if kind == "Polygon" else coordinates
    total = sum(
        len(ring)
        for polygon in polygons_data
        if isinstance(polygon, list)
        for ring in polygon
        if isinstance(ring, list)
    )
    if total > MAX_POSITIONS:
        raise BoundaryError(
            _("The boundary has %(n)d positions; simplify it to at most %(max)d.")
            % {"n": total, "max": MAX_POSITIONS}
        )
    polygons: list[list[Ring]] = []
    for p_index, polygon in enumerate(polygons_data):
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError(_("Polygon %(n)d has no rings.") % {"n": p_index + 1})
        rings = []
        for r_index, ring in enumerate(polygon):
            where = _("Outer ring") if r_index == 0 else _("Hole %(n)d") % {"n": r_index}
            if len(polygons_data) > 1:
                where = _("Polygon %(p)d, %(ring)s") % {"p": p_index + 1, "ring": where.lower()}
            rings.append(_ring(ring, where))
        polygons.append(rings)
    return polygons


def validate_boundary(data: Any) -> None:
    """Raise BoundaryError unless `data` is a usable GeoJSON polygon."""
    parse_boundary(data)


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of a bounding box onto an SVG viewBox."""

    min_lon: float
    max_lat: float
    scale: float
    x_factor: float
    padding: float
    width: float
    height: float

    @classmethod
    def fit(cls, rings: Iterable[Ring], *, width: float = 600, padding: float = 12) -> Projection:
        """Fit every position of `rings` into a viewBox `width` wide, keeping proportions."""
        points = [point for ring in rings for point in ring]
        if not points:
            return cls(0, 0, 1, 1, padding, width, width * 0.6)
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        # One degree of longitude is shorter than one of latitude away from the equator.
        x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - min(lons)) * x_factor, 1e-9)
        span_y = max(max(lats) - min(lats), 1e-9)
        scale = (width - 2 * padding) / span_x
        height = span_y * scale + 2 * padding
        return cls(min(lons), max(lats), scale, x_factor, padding, width, round(height, 1))

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the SVG coordinates of a position."""
        x = (lon - self.min_lon) * self.x_factor * self.scale + self.padding
        y = (self.max_lat - lat) * self.scale + self.padding
        return round(x, 1), round(y, 1)

    def path(self, polygons: Sequence[Sequence[Ring]]) -> str:
        """Return the SVG path data of polygons (holes drawn with the even-odd rule)."""
        parts = []
        for polygon in polygons:
            for ring in polygon:
                coords = " ".join(f"{x},{y}" for x, y in (self.point(*p) for p in ring[:-1]))
                parts.append(f"M{coords}Z")
        return " ".join(parts)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def centroid(polygons: Sequence[Sequence[Ring]]) -> tuple[float, float]:
    """Return the mean position of the outer rings (good enough to place a label)."""
    points = [p for polygon in polygons for p in polygon[0][:-1]]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
