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


def places_page(user: Any, slug: str) -> Neighbourhood:
    """Return one visible neighbourhood with its visible venues (and hosts) and its partners
    (with their contacts) loaded, for the service's page of venues and partners."""
    return (
        visible_neighbourhoods(user)
        .prefetch_related(
            Prefetch("venues", queryset=visible_venues(user), to_attr="visible_venues"),
            Prefetch(
                "partners",
                queryset=Partner.objects.order_by("name").prefetch_related("contacts"),
                to_attr="partner_list",
            ),
        )
        .get(slug=slug)
    )


def possible_hosts(neighbourhood: Neighbourhood, venue: Venue | None = None) -> QuerySet[Partner]:
    """Return the partners that may host a venue of `neighbourhood`: those working there, and
    the venue's current host even if it no longer does (so that saving keeps it)."""
    working_here = Q(neighbourhoods=neighbourhood)
    if venue is not None and venue.host_id is not None:
        working_here |= Q(pk=venue.host_id)
    return Partner.objects.filter(working_here).distinct().order_by("name")


def partner_page(slug: str) -> Partner:
    """Return one partner with its contacts and the neighbourhoods it works in loaded."""
    return Partner.objects.prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("position", "name")),
        "contacts",
    ).get(slug=slug)
