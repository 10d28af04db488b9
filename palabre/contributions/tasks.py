"""Background tasks of contributions; each one only calls an action."""

from __future__ import annotations

from django.tasks import task

from palabre.contributions import actions


@task
def train_theme_suggester() -> int:
    """Train a new theme suggester (a few seconds: scikit-learn is imported for it)."""
    return actions.train_suggester().pk
