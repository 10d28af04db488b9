from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from palabre.core.admin_base import PredicateAdmin, PredicateInline
from palabre.core.images import clean_image
from palabre.neighbourhoods import actions
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, Venue
from palabre.neighbourhoods.permissions import can_manage_neighbourhoods


class NeighbourhoodDataAdmin(PredicateAdmin):
    change_predicate = staticmethod(can_manage_neighbourhoods)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(NeighbourhoodDataAdmin):
    list_display = ["name", "slug", "is_published", "position"]
    list_filter = ["is_published"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_neighbourhood(by=request.user, neighbourhood=obj)


class ContactInline(PredicateInline):
    model = PartnerContact
    change_predicate = staticmethod(can_manage_neighbourhoods)


class PartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Partner
        fields = ["slug", "name", "kind", "description", "website", "logo", "neighbourhoods"]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return clean_image(logo, max_side=800)  # refused with a message, or cleaned
        return logo


@admin.register(Partner)
class PartnerAdmin(NeighbourhoodDataAdmin):
    form = PartnerForm
    list_display = ["name", "kind"]
    list_filter = ["kind", "neighbourhoods"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods"]
    inlines = [ContactInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_partner(by=request.user, partner=obj)


class VenueAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Venue
        fields = [
            "neighbourhood",
            "host",
            "slug",
            "name",
            "street",
            "house_number",
            "postcode",
            "locality",
            "capacity",
            "step_free_access",
            "hearing_loop",
            "childcare_room",
            "public_transport",
            "access_notes",
            "longitude",
            "latitude",
            "is_published",
        ]

    def clean_slug(self) -> Any:
        slug = self.cleaned_data.get("slug")
        if slug in actions.RESERVED_VENUE_SLUGS:
            raise forms.ValidationError(actions.RESERVED_SLUG, code="reserved")
        return slug


@admin.register(Venue)
class VenueAdmin(NeighbourhoodDataAdmin):
    form = VenueAdminForm
    list_display = ["name", "neighbourhood", "capacity", "step_free_access", "is_published"]
    list_filter = ["neighbourhood", "step_free_access", "hearing_loop", "childcare_room"]
    list_select_related = ["neighbourhood"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "street"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_venue(by=request.user, venue=obj)
