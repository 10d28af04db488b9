"""An envelope's ballots counted with Palabre's engine (`palabre.pb`) under the frozen rule.

`count` returns what the results page shows (stored as JSON when the results are published)
and the ballots as a pabulib file: shuffled with a system random generator and numbered 1…N,
so that the file says nothing of who voted when, and anyone can recount it with pabutools.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _

from palabre.budgets.models import Envelope, Project, Rule
from palabre.pb import Ballot as PbBallot
from palabre.pb import (
    Election,
    Result,
    TieBreak,
    VoteType,
    add1_options,
    allocate,
    make_election,
    write_pabulib,
)
from palabre.pb import Project as PbProject
from palabre.pb.explain import explanation_text
from palabre.pb.i18n import Lang
from palabre.pb.model import VoterRecord

LANGUAGES: tuple[Lang, ...] = ("fr", "nl", "en")
# Ties: the cheaper project first, then the one with more votes, then the id as text.
TIE = TieBreak.COST_VOTES_ID
COMMENTS: dict[str, str] = {
    Rule.GREEDY: "Counted by Palabre: most votes first, skipping projects that do not fit; "
    "ties broken by lower cost, then more votes, then project id as text.",
    Rule.MES: "Counted by Palabre: Method of Equal Shares with Add1, then greedy completion by "
    "votes; ties broken by lower cost, then more votes, then project id as text.",
}


def _election(
    envelope: Envelope, projects: list[Project], ballots: list[tuple[int, ...]]
) -> Election:
    index = {project.pk: i for i, project in enumerate(projects)}
    pb_projects = [PbProject(str(p.pk), p.cost, p.title) for p in projects]
    pb_ballots = [PbBallot(tuple(index[pk] for pk in ballot)) for ballot in ballots]
    election = make_election(pb_projects, envelope.amount, VoteType.APPROVAL, pb_ballots)
    # Shuffled, numbered voters: the file keeps every ballot but no order of arrival.
    shuffled = list(pb_ballots)
    random.SystemRandom().shuffle(shuffled)
    voters = tuple(VoterRecord(str(n), b) for n, b in enumerate(shuffled, start=1))
    process = envelope.process
    with translation.override("en"):
        unit = envelope.neighbourhood.name if envelope.neighbourhood else "whole city"
    return Election(
        projects=election.projects,
        budget=election.budget,
        vote_type=election.vote_type,
        groups=election.groups,
        meta={
            "description": f"{process.title} — {unit}",
            "country": "Belgium",
            "unit": unit,
            "instance": process.slug,
            "rule": "greedy" if process.rule == Rule.GREEDY else "equalshares/add1",
            "comment": COMMENTS[process.rule],
            "vote_type": "approval",
            "currency": "EUR",
            "date_begin": f"{process.vote_opens_at:%d.%m.%Y}",
            "date_end": f"{(process.closed_at or process.vote_closes_at):%d.%m.%Y}",
        },
        voter_loader=lambda: voters,
    )


def _counted(election: Election, rule: str) -> Result:
    if rule == Rule.GREEDY:
        return allocate(election, "greedy", TIE)
    # Equal shares with Add1 (voters' budgets raised one euro at a time while the outcome
    # stays within the envelope), then what is left goes to the projects with most votes.
    return allocate(election, "mes-add1", TIE, mes_options=add1_options(TIE, completion=True))


def _nobody_chose() -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            texts[lang] = _("Not funded: nobody voted for it.")
    return texts


class Paper(NamedTuple):
    """An agreed paper ballot: the projects it counts for, or why none ("spoilt": blank or
    unreadable; "invalid": over the envelope or too many projects)."""

    projects: tuple[int, ...]
    void: str


def count(envelope: Envelope, paper: Sequence[Paper] = ()) -> tuple[dict[str, Any], str]:
    """Count the envelope's online ballots and its agreed paper ballots: the result to
    publish, and the pabulib text of every counted ballot.

    Projects nobody chose are left out of the count and of the file (no rule may fund a
    project without a single vote: pabutools' greedy completion would, when it fits).
    """
    rows = list(envelope.ballots.values_list("choices", "channel"))
    choices = [tuple(int(pk) for pk in text.split(",") if pk) for text, _ in rows]
    on_paper = [ballot.projects for ballot in paper if not ballot.void]
    choices += on_paper
    rows += [("", "paper")] * len(on_paper)
    chosen = {pk for ballot in choices for pk in ballot}
    projects = list(envelope.projects.order_by("pk"))
    counted = [project for project in projects if project.pk in chosen]
    election = _election(envelope, counted, choices)
    winners: list[str] = []
    most: list[str] = []
    spent = 0
    texts: dict[str, dict[str, str]] = {}
    if counted:
        result = _counted(election, envelope.process.rule)
        most = list(allocate(election, "greedy", TIE).winners)
        winners, spent = list(result.winners), result.total_cost
        texts = {
            p.id: {lang: explanation_text(election, result, p.id, lang) for lang in LANGUAGES}
            for p in election.projects
        }
    votes = dict(zip((p.id for p in election.projects), election.supporters(), strict=True))
    data = {
        "rule": envelope.process.rule,
        "voters": len(rows),
        "spent": spent,
        "winners": winners,
        "most_votes": most,
        "projects": {
            str(project.pk): {
                "votes": votes.get(str(project.pk), 0),
                "funded": str(project.pk) in winners,
                "most_votes_funded": str(project.pk) in most,
                "explanation": texts.get(str(project.pk)) or _nobody_chose(),
            }
            for project in projects
        },
        "channels": dict(Counter(channel for _, channel in rows)),
        # The paper tally, shown apart: votes per project on paper, and the void ballots.
        "paper": {
            "counted": len(on_paper),
            "spoilt": sum(ballot.void == "spoilt" for ballot in paper),
            "invalid": sum(ballot.void == "invalid" for ballot in paper),
            "votes": dict(Counter(str(pk) for ballot in on_paper for pk in ballot)),
        },
    }
    return data, write_pabulib(election)
