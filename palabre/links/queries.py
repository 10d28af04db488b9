"""Reads on private links."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils import timezone

from palabre.links.models import hash_of


def holding[M: Model](objects: QuerySet[M], token: str, *, through: str = "link") -> QuerySet[M]:
    """Narrow `objects` to the one whose active private link carries this secret."""
    if not token or "\x00" in token or len(token) > 100:
        return objects.none()
    return objects.filter(
        **{
            f"{through}__token_hash": hash_of(token),
            f"{through}__revoked_at__isnull": True,
            f"{through}__expires_at__gt": timezone.now(),
        }
    )
