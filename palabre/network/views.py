"""The network of cities: this city's signed feed, and the service's network page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.core import throttle
from palabre.core.shortcuts import render_page, require
from palabre.network import actions, feed, queries, signing
from palabre.network.forms import FollowForm, FormatForm, ImportForm, ShareForm, format_initial
from palabre.network.models import CONTENT_LANGUAGES, FollowedCity, Format
from palabre.network.permissions import can_manage_network
from palabre.network.reading import FeedRefused
from palabre.workshops.models import Workshop

# A follower reads the feed once a day; making it takes a few tenths of a second (the yearly
# figures): a client asking more often than this is told to wait.
FEED_READS = throttle.Limit("network-feed", 30, timedelta(minutes=10))


@require_GET
def feed_json(request: HttpRequest) -> HttpResponse:
    """What this city shares, signed over the exact bytes sent (public: other cities read it)."""
    wait = throttle.claim([throttle.tally(FEED_READS, throttle.client_address(request))])
    if wait is not None:
        return throttle.too_many_response(request, wait)
    body, signature = feed.signed_body()
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response[signing.HEADER] = signature
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def elsewhere(request: HttpRequest) -> HttpResponse:
    """The coming events the cities this city follows opened to the network (public: residents
    here may register for them on the organising city's site)."""
    return render_page(
        request,
        "network/elsewhere.html",
        {"events": queries.events_elsewhere(), "here": settings.CITY_NAME},
    )


def _year(request: HttpRequest, years: list[int]) -> int:
    given = request.GET.get("annee", "")
    if given.isdigit() and int(given) in years:
        return int(given)
    return timezone.localdate().year  # the year under way (last year is one click away)


def _index(request: HttpRequest, follow_form: FollowForm, *, status: int = 200) -> HttpResponse:
    cities = list(queries.followed_cities())
    years = queries.comparison_years(cities)
    return render_page(
        request,
        "network/index.html",
        {
            "follow_form": follow_form,
            "cities": queries.city_statuses(cities),
            "comparison": queries.comparison(
                _year(request, years), cities, here=settings.CITY_NAME
            ),
            "own_playbooks": queries.own_playbooks(),
            "imported_playbooks": queries.imported_playbooks(),
            "formats": queries.formats(),
            "workshops": queries.workshops_without_format(),
            "events": queries.events_to_open(),
            "fingerprint": signing.fingerprint(signing.public_key_text()),
            "language_choices": CONTENT_LANGUAGES,
        },
        status=status,
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(can_manage_network(request.user))
    return _index(request, FollowForm())


@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a city by its feed's address; its key's fingerprint is shown to compare."""
    require(can_manage_network(request.user))
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    url = form.cleaned_data["url"]
    known = FollowedCity.objects.filter(feed_url=url.strip()).first()
    if known is not None:  # a second click, or followed already
        messages.info(request, _("You already follow %(city)s.") % {"city": known.name})
        return redirect("network:city", pk=known.pk)
    try:
        city = actions.follow_city(by=request.user, url=url)
    except FeedRefused as refused:
        form.add_error("url", refused.message)
        return _index(request, form, status=400)
    messages.success(
        request,
        _(
            "You now follow %(city)s. The fingerprint of its key is %(fingerprint)s: check it "
            "with the other city (by phone or in a letter); if it differs, stop following it."
        )
        % {"city": city.name, "fingerprint": signing.fingerprint(city.public_key)},
    )
    return redirect("network:city", pk=city.pk)


def _city(pk: int) -> FollowedCity:
    return get_object_or_404(queries.followed_cities(), pk=pk)


@require_GET
def city(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    found = _city(pk)
    return render_page(
        request,
        "network/city.html",
        {
            "page": queries.city_page(found),
            "status": queries.city_statuses([found])[0],
        },
    )


@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    found = _city(pk)
    refused = actions.refresh_city(by=request.user, city=found)
    if refused is None:
        messages.success(request, _("The feed of %(city)s was read again.") % {"city": found.name})
    else:
        messages.error(request, refused.message)
    return redirect("network:city", pk=found.pk)


@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    found = _city(pk)
    actions.unfollow_city(by=request.user, city=found)
    messages.success(
        request,
        _("You no longer follow %(city)s. What you imported from it stays.") % {"city": found.name},
    )
    return redirect("network:index")


def _import(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    require(can_manage_network(request.user))
    found = _city(pk)
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to import."))
        return redirect("network:city", pk=found.pk)
    key = form.cleaned_data["key"]
    try:
        if kind == "playbook":
            imported, made = actions.import_playbook(by=request.user, city=found, key=key)
            title = imported.playbook.title
        else:
            item, made = actions.import_format(by=request.user, city=found, key=key)
            title = item.title
    except FeedRefused as refused:
        messages.error(request, refused.message)
        return redirect("network:city", pk=found.pk)
    if made:
        messages.success(
            request,
            _("“%(title)s” was imported from %(city)s.") % {"title": title, "city": found.name},
        )
    else:
        messages.info(request, _("“%(title)s” was already imported.") % {"title": title})
    return redirect("network:city", pk=found.pk)


@require_POST
def import_playbook(request: HttpRequest, pk: int) -> HttpResponse:
    return _import(request, pk, "playbook")


@require_POST
def import_format(request: HttpRequest, pk: int) -> HttpResponse:
    return _import(request, pk, "format")


def _shared(request: HttpRequest) -> tuple[bool, str]:
    form = ShareForm(request.POST)
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    return bool(data.get("shared")), data.get("language") or settings.LANGUAGE_CODE


@require_POST
def share_playbook(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    found = get_object_or_404(queries.own_playbooks(), pk=pk)
    shared, language = _shared(request)
    actions.share_playbook(by=request.user, playbook=found, shared=shared, language=language)
    if shared:
        messages.success(request, _("“%(title)s” is shared with the network.") % {"title": found})
    else:
        messages.success(request, _("“%(title)s” is no longer shared.") % {"title": found})
    return redirect(f"{_index_url()}#shared-playbooks")


def _index_url() -> str:
    return reverse("network:index")


@require_POST
def make_format(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    workshop = get_object_or_404(Workshop.objects.all(), pk=pk)
    try:
        made = actions.make_format(by=request.user, workshop=workshop)
    except actions.NetworkError as error:
        messages.error(request, str(error))
        return redirect(f"{_index_url()}#formats")
    messages.success(
        request, _("The format “%(title)s” was made; check its texts.") % {"title": made.title}
    )
    return redirect("network:format", pk=made.pk)


@require_http_methods(["GET", "POST"])
def format_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A format's duration and texts per language (fr, nl, en, de)."""
    require(can_manage_network(request.user))
    item = get_object_or_404(queries.formats(), pk=pk)
    if request.method == "POST":
        if item.is_imported:
            raise Http404
        form = FormatForm(request.POST, original=item.language)
        if form.is_valid():
            try:
                actions.save_format(
                    by=request.user,
                    item=item,
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    texts=form.texts(),
                )
            except actions.NetworkError as error:
                form.add_error(f"title_{item.language}", str(error))
            else:
                messages.success(request, _("Format saved."))
                return redirect("network:format", pk=item.pk)
    else:
        form = FormatForm(
            initial=format_initial(item, feed.format_texts(item)), original=item.language
        )
    return render_page(request, "network/format.html", {"item": item, "form": form})


@require_POST
def share_format(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    item = get_object_or_404(Format.objects.filter(source_feed_url=""), pk=pk)
    shared, _language = _shared(request)
    actions.share_format(by=request.user, item=item, shared=shared)
    if shared:
        messages.success(request, _("“%(title)s” is shared with the network.") % {"title": item})
    else:
        messages.success(request, _("“%(title)s” is no longer shared.") % {"title": item})
    return redirect(f"{_index_url()}#formats")


@require_POST
def open_event(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_network(request.user))
    event = get_object_or_404(queries.events_to_open(), pk=pk)
    opened, _language = _shared(request)
    actions.open_event(by=request.user, workshop=event, opened=opened)
    if opened:
        messages.success(request, _("“%(title)s” is open to other cities.") % {"title": event})
    else:
        messages.success(
            request, _("“%(title)s” is no longer open to other cities.") % {"title": event}
        )
    return redirect(f"{_index_url()}#events")
