from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from palabre.core.forms import ids
from palabre.core.pagecache import public_page
from palabre.core.shortcuts import render_page, require
from palabre.neighbourhoods import actions, queries
from palabre.neighbourhoods.forms import ContactForm, PartnerForm, VenueForm
from palabre.neighbourhoods.maps import build_map
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, Venue
from palabre.neighbourhoods.permissions import can_manage_neighbourhoods, can_view_partner_contacts
from palabre.workshops.queries import past_in, upcoming_in


@public_page()
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
            "can_manage": can_manage_neighbourhoods(request.user),
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
            "can_manage": can_manage_neighbourhoods(request.user),
        },
    )


def _visible_neighbourhood(request: HttpRequest, slug: str) -> Neighbourhood:
    try:
        return queries.visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None


def _posted_id(request: HttpRequest, name: str) -> int:
    """The primary key posted as `name`, or 0 (which finds nothing) for anything else."""
    found = ids([request.POST.get(name, "")])
    return found[0] if found else 0


@require_GET
def places(request: HttpRequest, slug: str) -> HttpResponse:
    """The service's list of a neighbourhood's venues and partners, to add and change them."""
    try:
        neighbourhood = queries.places_page(request.user, slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    require(can_manage_neighbourhoods(request.user))
    return render_page(
        request,
        "neighbourhoods/places.html",
        {
            "neighbourhood": neighbourhood,
            "venues": neighbourhood.visible_venues,  # type: ignore[attr-defined]
            "partners": neighbourhood.partner_list,  # type: ignore[attr-defined]
        },
    )


def _venue_form(
    request: HttpRequest, neighbourhood: Neighbourhood, venue: Venue | None
) -> VenueForm:
    return VenueForm(
        request.POST if request.method == "POST" else None,
        initial=VenueForm.initial_for(venue) if venue else None,
        hosts=queries.possible_hosts(neighbourhood, venue),
    )


def _save_venue(request: HttpRequest, form: VenueForm, venue: Venue) -> Venue | None:
    """Save the valid form's venue; None (the reasons on the form) if the action refuses it."""
    try:
        return actions.save_venue(by=request.user, venue=form.fill(venue))
    except ValidationError as error:
        form.refused(error)
        if venue.pk:
            venue.refresh_from_db(fields=list(VenueForm.COPIED))  # the heading's name
        return None


@require_http_methods(["GET", "POST"])
def new_venue(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = _visible_neighbourhood(request, slug)
    require(can_manage_neighbourhoods(request.user))
    form = _venue_form(request, neighbourhood, None)
    if request.method == "POST" and form.is_valid():
        saved = _save_venue(request, form, Venue(neighbourhood=neighbourhood))
        if saved is not None:
            messages.success(request, _("Venue added: %(name)s.") % {"name": saved.name})
            return redirect("neighbourhoods:places", slug=neighbourhood.slug)
    return render_page(
        request,
        "neighbourhoods/venue_form.html",
        {"neighbourhood": neighbourhood, "form": form, "venue": None},
    )


@require_http_methods(["GET", "POST"])
def edit_venue(request: HttpRequest, slug: str, venue_slug: str) -> HttpResponse:
    try:
        place = queries.visible_venues(request.user).get(neighbourhood__slug=slug, slug=venue_slug)
    except Venue.DoesNotExist:
        raise Http404 from None
    require(can_manage_neighbourhoods(request.user))
    form = _venue_form(request, place.neighbourhood, place)
    if request.method == "POST" and form.is_valid() and _save_venue(request, form, place):
        messages.success(request, _("Changes saved: %(name)s.") % {"name": place.name})
        return redirect("neighbourhoods:places", slug=place.neighbourhood.slug)
    return render_page(
        request,
        "neighbourhoods/venue_form.html",
        {"neighbourhood": place.neighbourhood, "form": form, "venue": place},
    )


@require_http_methods(["GET", "POST"])
def new_partner(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = _visible_neighbourhood(request, slug)
    require(can_manage_neighbourhoods(request.user))
    form = PartnerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"neighbourhoods": [neighbourhood.pk]},
        neighbourhoods=queries.visible_neighbourhoods(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner = actions.save_partner(
                by=request.user,
                partner=form.fill(Partner()),
                neighbourhoods=form.cleaned_data["neighbourhoods"],
            )
        except ValidationError as error:
            form.refused(error)
        else:
            messages.success(
                request,
                _("Partner added: %(name)s. Add the people to contact there below.")
                % {"name": partner.name},
            )
            return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
    return render_page(
        request,
        "neighbourhoods/partner_form.html",
        {"neighbourhood": neighbourhood, "form": form, "partner": None},
    )


@require_http_methods(["GET", "POST"])
def edit_partner(request: HttpRequest, partner_slug: str) -> HttpResponse:
    """A partner's details and its contacts; each form on the page posts its own `step`."""
    try:
        partner = queries.partner_page(partner_slug)
    except Partner.DoesNotExist:
        raise Http404 from None
    require(can_manage_neighbourhoods(request.user))
    step = request.POST.get("step") if request.method == "POST" else None
    form = PartnerForm(
        request.POST if step == "partner" else None,
        request.FILES if step == "partner" else None,
        initial=PartnerForm.initial_for(partner),
        neighbourhoods=queries.visible_neighbourhoods(request.user),
    )
    new_contact = ContactForm(request.POST if step == "add" else None, prefix="new-contact")
    refused: dict[int, ContactForm] = {}
    if step == "partner" and form.is_valid():
        try:
            actions.save_partner(
                by=request.user,
                partner=form.fill(partner),
                neighbourhoods=form.cleaned_data["neighbourhoods"],
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as error:
            form.refused(error)
            partner.refresh_from_db(fields=list(PartnerForm.COPIED))  # the heading's name
        else:
            messages.success(request, _("Changes saved: %(name)s.") % {"name": partner.name})
            return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
    elif step == "add" and new_contact.is_valid():
        try:
            added = actions.save_contact(
                by=request.user, contact=new_contact.fill(PartnerContact(partner=partner))
            )
        except ValidationError as error:
            new_contact.refused(error)
        else:
            messages.success(request, _("Contact added: %(name)s.") % {"name": added.name})
            return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
    elif step in ("contact", "remove"):
        contact = partner.contacts.filter(pk=_posted_id(request, "contact")).first()
        if contact is None:
            messages.info(request, _("This contact was removed meanwhile."))
            return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
        if step == "remove":
            actions.remove_contact(by=request.user, contact=contact)
            messages.success(request, _("Contact removed: %(name)s.") % {"name": contact.name})
            return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
        changed = ContactForm(request.POST, prefix=f"contact-{contact.pk}")
        if changed.is_valid():
            try:
                actions.save_contact(by=request.user, contact=changed.fill(contact))
            except ValidationError as error:
                changed.refused(error)
            else:
                messages.success(request, _("Changes saved: %(name)s.") % {"name": contact.name})
                return redirect("neighbourhoods:edit_partner", partner_slug=partner.slug)
        refused[contact.pk] = changed
    contacts = [
        (
            contact,
            refused.get(contact.pk)
            or ContactForm(
                initial=ContactForm.initial_for(contact), prefix=f"contact-{contact.pk}"
            ),
        )
        for contact in partner.contacts.all()
    ]
    return render_page(
        request,
        "neighbourhoods/partner_form.html",
        {
            "partner": partner,
            "form": form,
            "contacts": contacts,
            "new_contact": new_contact,
            "neighbourhood": None,
        },
    )
