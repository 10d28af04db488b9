from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from palabre.core.shortcuts import render_page
from palabre.neighbourhoods import queries
from palabre.neighbourhoods.maps import build_map
from palabre.neighbourhoods.models import Neighbourhood, Venue
from palabre.neighbourhoods.permissions import can_view_partner_contacts
from palabre.workshops.queries import past_in, upcoming_in


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        neighbourhood = queries.neighbourhood_page(request.user, slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    venues = neighbourhood.visible_venues  # type: ignore[attr-defined]
    return render_page(
        request,
        "neighbourhoods/detail.html",
        {
            "neighbourhood": neighbourhood,
            "venues": venues,
            "partners": neighbourhood.partners.all(),
            "workshops": upcoming_in(request.user, neighbourhood),
            "past_workshops": past_in(request.user, neighbourhood),
            "map": build_map([neighbourhood], current=neighbourhood, venues=venues),
        },
    )


def venue(request: HttpRequest, slug: str, venue_slug: str) -> HttpResponse:
    try:
        place = queries.visible_venues(request.user).get(neighbourhood__slug=slug, slug=venue_slug)
    except Venue.DoesNotExist:
        raise Http404 from None
    contacts = (
        place.host.contacts.all()
        if place.host and can_view_partner_contacts(request.user, place.host)
        else []
    )
    return render_page(
        request,
        "neighbourhoods/venue.html",
        {
            "venue": place,
            "contacts": contacts,
            "map": build_map([place.neighbourhood], venues=[place]),
        },
    )
