"""The front page: the neighbourhoods on their map, the city-wide events coming up and, in its
template, those of the cities this one follows. At the top of the stack (it reads other apps'
queries), so that `core` stays below every domain app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from palabre.core.pagecache import public_page
from palabre.core.shortcuts import render_page
from palabre.neighbourhoods.maps import build_map
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.workshops.queries import upcoming_city_wide


@public_page()
def index(request: HttpRequest) -> HttpResponse:
    neighbourhoods = list(visible_neighbourhoods(request.user))
    return render_page(
        request,
        "home/index.html",
        {
            "neighbourhoods": neighbourhoods,
            "map": build_map(neighbourhoods),
            "events": upcoming_city_wide(request.user),
        },
    )
