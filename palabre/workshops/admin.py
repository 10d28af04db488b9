from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from palabre.core.admin_base import PredicateAdmin, PredicateInline
from palabre.workshops import actions
from palabre.workshops.forms import SessionAdminForm, WorkshopAdminForm
from palabre.workshops.models import Cycle, Session, Speaker, Workshop
from palabre.workshops.permissions import can_manage_workshops


@admin.register(Cycle)
class CycleAdmin(PredicateAdmin):
    change_predicate = staticmethod(can_manage_workshops)
    list_display = ["name", "starts_on", "ends_on", "workshops_per_neighbourhood"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["neighbourhoods"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_cycle(
            by=request.user, cycle=obj, neighbourhoods=form.cleaned_data["neighbourhoods"]
        )


class ManagedInline(PredicateInline):
    change_predicate = staticmethod(can_manage_workshops)


class SessionInline(ManagedInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "room"]
    show_change_link = True


class SpeakerInline(ManagedInline):
    model = Speaker


@admin.register(Session)
class SessionAdmin(PredicateAdmin):
    change_predicate = staticmethod(can_manage_workshops)
    form = SessionAdminForm
    # Translated on the session's "translations" page, not as raw JSON here.
    exclude = ["translations"]
    list_display = ["title", "workshop", "starts_at"]
    list_select_related = ["workshop"]
    inlines = [SpeakerInline]


@admin.register(Workshop)
class WorkshopAdmin(PredicateAdmin):
    form = WorkshopAdminForm
    change_predicate = staticmethod(can_manage_workshops)
    list_display = ["title", "cycle", "neighbourhood", "starts_at", "status"]
    list_filter = ["cycle", "status", "kind", "neighbourhood"]
    list_select_related = ["cycle", "neighbourhood"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["partners", "facilitators"]
    # Status changes go through the life cycle on the workshop page, never by editing; the
    # translations are written on the workshop's "texts" page, not as raw JSON here.
    exclude = ["status", "cancellation_reason", "created_at", "translations"]
    inlines = [SessionInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.plan_workshop(
            by=request.user,
            workshop=obj,
            partners=form.cleaned_data["partners"],
            facilitators=form.cleaned_data["facilitators"],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
