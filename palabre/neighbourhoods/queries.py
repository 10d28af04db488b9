"""Reads of neighbourhoods, partners and venues, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from palabre.neighbourhoods.models import Neighbourhood, Partner, Venue
from palabre.neighbourhoods.permissions import can_see_unpublished


def visible_neighbourhoods(user: Any) -> QuerySet[Neighbourhood]:
    """Return the neighbourhoods `user` may see, with their count of visible venues."""
    queryset = Neighbourhood.objects.all()
    venue_filter = Q()
    if not can_see_unpublished(user):
        queryset = queryset.filter(is_published=True)
        venue_filter = Q(venues__is_published=True)
    return queryset.annotate(venue_count=Count("venues", filter=venue_filter))


def visible_venues(user: Any) -> QuerySet[Venue]:
    """Return the venues `user` may see (in neighbourhoods they may see)."""
    queryset = Venue.objects.select_related("neighbourhood", "host")
    if not can_see_unpublished(user):
        queryset = queryset.filter(is_published=True, neighbourhood__is_published=True)
    return queryset


def neighbourhood_page(user: Any, slug: str) -> Neighbourhood:
    """Return one visible neighbourhood with its partners and visible venues loaded."""
    return (
        visible_neighbourhoods(user)
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
            Prefetch("venues", queryset=visible_venues(user), to_attr="visible_venues"),
        )
        .get(slug=slug)
    )
