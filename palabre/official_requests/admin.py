from __future__ import annotations

from django.contrib import admin

from palabre.accounts.permissions import is_staff_member
from palabre.core.admin_base import PredicateAdmin
from palabre.official_requests.models import AnswerTemplate, CabinetMember, ClosedDay, Department


@admin.register(Department)
class DepartmentAdmin(PredicateAdmin):
    """City departments, their competences and the people who answer for them."""

    change_predicate = staticmethod(is_staff_member)
    list_display = ["name", "email"]
    filter_horizontal = ["competences", "members"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ClosedDay)
class ClosedDayAdmin(PredicateAdmin):
    """The city's calendar of closed days (legal holidays preset): not counted in deadlines."""

    change_predicate = staticmethod(is_staff_member)
    delete_predicate = staticmethod(is_staff_member)  # the city works on a usual closed day
    list_display = ["day", "name"]
    date_hierarchy = "day"


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(PredicateAdmin):
    """Ready answers officials start from."""

    change_predicate = staticmethod(is_staff_member)
    list_display = ["title", "kind"]


@admin.register(CabinetMember)
class CabinetMemberAdmin(PredicateAdmin):
    """Who works in each official's cabinet, and whether they publish in the official's name
    (until the service's own page lists cabinets, see issue 15)."""

    change_predicate = staticmethod(is_staff_member)
    delete_predicate = staticmethod(is_staff_member)
    list_display = ["collaborator", "official", "may_publish"]
    autocomplete_fields = ["collaborator", "official"]
