"""Who may capture and see residents' contributions. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.workshops.models import Workshop
from palabre.workshops.permissions import can_check_in


def can_capture(user: Any, workshop: Workshop) -> bool:
    """Whether `user` notes what is said at `workshop` (its facilitators and the service)."""
    return can_check_in(user, workshop)
