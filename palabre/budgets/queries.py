"""Reads of participatory budgets, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from palabre.budgets.models import Ballot, CodeBatch, Envelope, Process, Project, VotingCode
from palabre.budgets.permissions import can_run_budgets


def visible_processes(user: Any) -> QuerySet[Process]:
    """Processes `user` may see: published ones; the service also sees those it prepares."""
    if can_run_budgets(user):
        return Process.objects.all()
    return Process.objects.filter(is_published=True)


def visible_envelopes(user: Any, process: Process | None = None) -> QuerySet[Envelope]:
    """The envelopes (of `process`, or of every process) in places `user` may see, the
    whole city's first, each with its projects."""
    queryset = (
        Envelope.objects.select_related("neighbourhood")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("position", "pk")))
        .order_by(F("neighbourhood__position").asc(nulls_first=True), "neighbourhood__name")
    )
    if process is not None:
        queryset = queryset.filter(process=process)
    if can_run_budgets(user):
        return queryset
    return queryset.filter(Q(neighbourhood__isnull=True) | Q(neighbourhood__is_published=True))


def ballot_by_receipt(process: Process, receipt: str) -> Ballot | None:
    """The ballot a receipt code names in this process, or None."""
    return (
        Ballot.objects.select_related("envelope__neighbourhood")
        .filter(envelope__process=process, receipt=receipt)
        .first()
    )


def with_ballot_counts(envelopes: QuerySet[Envelope]) -> QuerySet[Envelope]:
    """The envelopes with `ballot_count`: ballots stored so far."""
    return envelopes.annotate(ballot_count=Count("ballots"))


def code_batches(process: Process) -> QuerySet[CodeBatch]:
    """The process's batches of voting codes, with how many there are and how many were used."""
    return process.code_batches.annotate(
        code_count=Count("codes"), used_count=Count("codes", filter=Q(codes__used_at__isnull=False))
    )


def batch_codes(process: Process, batch: int) -> list[VotingCode] | None:
    """The codes of one of the process's batches, in order, or None."""
    if not process.code_batches.filter(pk=batch).exists():
        return None
    return list(VotingCode.objects.filter(batch_id=batch).order_by("pk"))
