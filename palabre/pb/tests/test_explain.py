"""Explanations: the data behind each decision, consistent with the outcome."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from palabre.pb import MesOptions, equal_shares, make_election, read_pabulib
from palabre.pb.explain import explanation_text
from palabre.pb.i18n import LANGUAGES
from palabre.pb.model import Ballot, Project


def test_every_project_gets_an_explanation_in_every_language(pabulib_dir: Path) -> None:
    election = read_pabulib(pabulib_dir / "Poland_Swiecie_2023.pb")
    result = equal_shares(election, MesOptions())
    assert set(result.explanations) == {p.id for p in election.projects}
    for project in election.projects:
        explanation = result.explanations[project.id]
        assert explanation.funded == (project.id in result.winners)
        for lang in LANGUAGES:
            assert project.id in explanation_text(election, result, project.id, lang)


def test_mes_explanation_shows_the_share_each_supporter_paid() -> None:
    # Four voters, budget 100 (25 each): A (cost 40) has 3 supporters who pay 40/3 each;
    # B (cost 60) is backed by voters 3 and 4: after A they hold 25 - 40/3 + 25 (about 37).
    projects = [Project("A", 40), Project("B", 60)]
    ballots = [Ballot((0,)), Ballot((0,)), Ballot((0, 1)), Ballot((1,))]
    election = make_election(projects, 100, "approval", ballots)
    result = equal_shares(election, MesOptions())
    assert result.winners == ("A",)
    chosen = result.explanations["A"].facts
    assert chosen["share"] == Fraction(40, 3)
    assert chosen["effective_votes"] == 3
    assert (chosen["full_payers"], chosen["partial_payers"]) == (3, 0)
    dropped = result.explanations["B"]
    assert dropped.reason == "mes_unaffordable"
    assert (dropped.facts["available"], dropped.facts["round"]) == (37, 2)
