"""Base for every back-office page: permissions come from the apps' typed predicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest


def _never(user: Any) -> bool:
    return False


class PredicateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose rights are plain predicates on the user, not Django's permission rows.

    Deleting is off unless `delete_predicate` says otherwise: records are unpublished instead.
    """

    view_predicate: Callable[[Any], bool] = staticmethod(_never)
    change_predicate: Callable[[Any], bool] = staticmethod(_never)
    delete_predicate: Callable[[Any], bool] = staticmethod(_never)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.view_predicate(request.user) or self.change_predicate(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.change_predicate(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.change_predicate(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.delete_predicate(request.user)


class PredicateInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline editable by whoever `change_predicate` allows, and by nobody else."""

    extra = 1
    change_predicate: Callable[[Any], bool] = staticmethod(_never)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.change_predicate(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.change_predicate(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.change_predicate(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.change_predicate(request.user)
