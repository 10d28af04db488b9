from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from palabre.accounts import actions
from palabre.accounts.models import Competence, User
from palabre.accounts.permissions import can_manage_accounts, can_view_accounts
from palabre.core.admin_base import PredicateAdmin

admin.site.site_header = _("Palabre back-office")
admin.site.site_title = _("Palabre back-office")
admin.site.index_title = _("Management")
# Roles are a field of the user, not permission groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PredicateAdmin):
    view_predicate = staticmethod(can_view_accounts)
    change_predicate = staticmethod(can_manage_accounts)
    list_display = ["display_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["display_name", "email"]
    ordering = ["display_name"]
    fields = [
        "email",
        "display_name",
        "role",
        "is_active",
        "preferred_language",
        "home_neighbourhood",
        "organisation",
        "official_title",
        "portfolio",
        "date_joined",
    ]
    readonly_fields = ["date_joined"]
    filter_horizontal = ["portfolio"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_user(by=cast(User, request.user), user=obj)


@admin.register(Competence)
class CompetenceAdmin(PredicateAdmin):
    view_predicate = staticmethod(can_view_accounts)
    change_predicate = staticmethod(can_manage_accounts)
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
