from __future__ import annotations

from django.contrib import admin

from palabre.accounts.permissions import is_staff_member
from palabre.contributions.models import Board, Theme
from palabre.core.admin_base import PredicateAdmin


@admin.register(Theme)
class ThemeAdmin(PredicateAdmin):
    """The coordinator's taxonomy: themes are retired (not in use), never deleted."""

    change_predicate = staticmethod(is_staff_member)
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Board)
class BoardAdmin(PredicateAdmin):
    """The coordinator opens or closes a neighbourhood's online board and sets its moderation."""

    change_predicate = staticmethod(is_staff_member)
    list_display = ["neighbourhood", "is_open", "moderation"]
    list_editable = ["is_open", "moderation"]
    fields = ["neighbourhood", "is_open", "moderation", "prompt"]
