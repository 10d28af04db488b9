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

from palabre.budgets.models import BallotType, Envelope, Project, Rule
from palabre.pb import Ballot as PbBallot
from palabre.pb import (
    Election,
    GreedyOptions,
    Result,
    TieBreak,
    VoteType,
    add1_options,
    allocate,
    greedy,
    make_election,
    write_pabulib,
)
from palabre.pb import Project as PbProject
from palabre.pb.explain import explanation_text
from palabre.pb.i18n import Lang
from palabre.pb.model import VoterRecord
from palabre.pb.rules import city_score

LANGUAGES: tuple[Lang, ...] = ("fr", "nl", "en")
# Ties: the cheaper project first, then the one with more votes, then the id as text.
TIE = TieBreak.COST_VOTES_ID
COMMENTS: dict[str, str] = {
    Rule.GREEDY: "Counted by Palabre: most votes first, skipping projects that do not fit; "
    "ties broken by lower cost, then more votes, then project id as text.",
    Rule.MES: "Counted by Palabre: Method of Equal Shares with Add1, then greedy completion by "
    "votes; ties broken by lower cost, then more votes, then project id as text.",
}


# A points ballot is pabulib's "cumulative", a ranking its "ordinal"; the rest approval.
VOTE_TYPES = {BallotType.CUMULATIVE: VoteType.CUMULATIVE, BallotType.RANKING: VoteType.ORDINAL}


class Parsed(NamedTuple):
    """One counted ballot: project ids (a ranking in its order) and, for points, its points."""

    projects: tuple[int, ...]
    points: tuple[int, ...] | None = None


def parse(text: str) -> Parsed:
    """A stored ballot (`Ballot.choices`) as the engine counts it."""
    parts = [part for part in text.split(",") if part]
    if parts and ":" in parts[0]:
        pairs = [tuple(map(int, part.split(":"))) for part in parts]
        return Parsed(tuple(pk for pk, _ in pairs), tuple(points for _, points in pairs))
    return Parsed(tuple(int(part) for part in parts))


def _election(envelope: Envelope, projects: list[Project], ballots: list[Parsed]) -> Election:
    index = {project.pk: i for i, project in enumerate(projects)}
    pb_projects = [PbProject(str(p.pk), p.cost, p.title) for p in projects]
    pb_ballots = [
        PbBallot(tuple(index[pk] for pk in ballot.projects), ballot.points) for ballot in ballots
    ]
    process = envelope.process
    vote_type = VOTE_TYPES.get(BallotType(process.ballot_type), VoteType.APPROVAL)
    election = make_election(pb_projects, envelope.amount, vote_type, pb_ballots)
    # Shuffled, numbered voters: the file keeps every ballot but no order of arrival.
    shuffled = list(pb_ballots)
    random.SystemRandom().shuffle(shuffled)
    voters = tuple(VoterRecord(str(n), b) for n, b in enumerate(shuffled, start=1))
    limits = {"max_sum_points": str(process.points)} if process.points else {}
    if process.max_choices:
        limits["max_length"] = str(process.max_choices)
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
            "vote_type": vote_type.value,
            **limits,
            "currency": "EUR",
            "date_begin": f"{process.vote_opens_at:%d.%m.%Y}",
            "date_end": f"{(process.closed_at or process.vote_closes_at):%d.%m.%Y}",
        },
        voter_loader=lambda: voters,
    )


def _most_votes(election: Election) -> Result:
    """ "Most votes wins": approval ballots by votes (pabutools' greedy); points and rankings
    by the total a city would publish (points; 3-2-1 places), not per euro."""
    if election.vote_type is VoteType.APPROVAL:
        return allocate(election, "greedy", TIE)
    options = GreedyOptions(score=city_score(election.vote_type), tie_break=TIE)
    return greedy(election, options, "greedy")


def _counted(election: Election, rule: str) -> Result:
    if rule == Rule.GREEDY:
        return _most_votes(election)
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
    """An agreed paper ballot: what it counts for, or why none ("spoilt": blank or
    unreadable; "invalid": over the rules of the ballot)."""

    ballot: Parsed | None
    void: str


def count(envelope: Envelope, paper: Sequence[Paper] = ()) -> tuple[dict[str, Any], str]:
    """Count the envelope's online ballots and its agreed paper ballots: the result to
    publish, and the pabulib text of every counted ballot.

    Projects nobody chose are left out of the count and of the file (no rule may fund a
    project without a single vote: pabutools' greedy completion would, when it fits).
    """
    rows = list(envelope.ballots.values_list("choices", "channel"))
    choices = [parse(text) for text, _ in rows]
    on_paper = [read.ballot for read in paper if read.ballot is not None]
    choices += on_paper
    rows += [("", "paper")] * len(on_paper)
    chosen = {pk for ballot in choices for pk in ballot.projects}
    projects = list(envelope.projects.order_by("pk"))
    counted = [project for project in projects if project.pk in chosen]
    election = _election(envelope, counted, choices)
    winners: list[str] = []
    most: list[str] = []
    spent = 0
    texts: dict[str, dict[str, str]] = {}
    if counted:
        result = _counted(election, envelope.process.rule)
        most = list(_most_votes(election).winners)
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
            "votes": dict(Counter(str(pk) for ballot in on_paper for pk in ballot.projects)),
        },
    }
    return data, write_pabulib(election)
