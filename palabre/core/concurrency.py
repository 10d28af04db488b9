"""Writes that cannot be lost when two people save at once."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet


def update_if_version(
    target: type[Model] | QuerySet[Any], pk: Any, version: int, **fields: Any
) -> bool:
    """Write `fields` and the next version on row `pk` only if it is still at `version`.

    The version is a condition of the UPDATE itself, so the database decides who was first: on
    PostgreSQL the second writer waits for the first one's row lock, then finds the new version
    and changes nothing. A read before the write ("is it still version 3?") cannot do that, as
    both writers read 3. Returns whether the row was written; `target` may be a queryset that
    adds conditions (for example the status the change starts from).
    """
    queryset = target if isinstance(target, QuerySet) else target._default_manager.all()
    return queryset.filter(pk=pk, version=version).update(version=version + 1, **fields) == 1
