"""Agreement with pabutools 1.2.3's recorded outcomes and with the cities' official results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from palabre.pb import (
    Ballot,
    GreedyOptions,
    MesOptions,
    Project,
    Stop,
    TieBreak,
    Utility,
    add1_options,
    equal_shares,
    greedy,
    make_election,
    official_rule,
    read_pabulib,
)
from palabre.pb.greedy import pabutools_greedy_options

CONFIGS = ("G", "G-lex", "M1", "M1-lex", "M+")


def _count(path: Path, config: str) -> tuple[list[str], int]:
    election = read_pabulib(path)
    tie = TieBreak.LEXICOGRAPHIC if config.endswith("-lex") else TieBreak.COST_VOTES_ID
    if config.startswith("G"):
        result = greedy(election, pabutools_greedy_options(election, tie))
    elif config.startswith("M1"):
        result = equal_shares(election, MesOptions(tie_break=tie))
    else:
        result = equal_shares(election, add1_options(tie))
    return list(result.winners), result.total_cost


def test_every_reference_outcome_is_reproduced_in_order(pabulib_dir: Path) -> None:
    references = sorted((pabulib_dir / "reference").glob("*.json"))
    assert len(references) == 40
    for reference in references:
        expected = json.loads(reference.read_text())
        winners, total = _count(pabulib_dir / expected["file"], expected["config"])
        assert winners == expected["winners_in_order"], reference.name
        assert str(total) == expected["total_cost"], reference.name


def _official(path: Path) -> set[str]:
    election = read_pabulib(path)
    return {
        dict(fields)["project_id"]
        for fields in election.project_fields
        if dict(fields).get("selected") == "1"
    }


@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Assen_2024",
        "Poland_Czestochowa_2024_Mirow",
        "Poland_Katowice_2023_Ligota_-_Panewniki",
        "Poland_Krakow_2022_Zwierzyniec",
        "Poland_Swiecie_2023",
        "Poland_Wieliczka_2023_Green_Budget",
        "Poland_Wroclaw_2016_Rejon_nr_13_250",
    ],
)
def test_the_rule_named_in_meta_reproduces_the_official_selected_column(
    pabulib_dir: Path, name: str
) -> None:
    path = pabulib_dir / f"{name}.pb"
    rule, result = official_rule(read_pabulib(path), TieBreak.COST_VOTES_ID)
    assert rule == read_pabulib(path).meta["rule"]
    assert set(result.winners) == _official(path)


def test_mes_add1_reproduces_wieliczka_official_result_only_without_exhaustive_stop(
    pabulib_dir: Path,
) -> None:
    election = read_pabulib(pabulib_dir / "Poland_Wieliczka_2023_Green_Budget.pb")
    official = equal_shares(election, add1_options(stop=Stop.OVER_BUDGET))
    assert (len(official.winners), official.total_cost) == (30, 995079)
    pabutools_like = equal_shares(election, add1_options())
    assert (len(pabutools_like.winners), pabutools_like.total_cost) == (31, 984579)
    compared = equal_shares(election, add1_options(stop=Stop.OVER_BUDGET, comparison=True))
    assert compared.winners == official.winners
    assert compared.details["kept"] == "mes"
    assert int(str(compared.details["prefer_mes"])) > int(str(compared.details["prefer_greedy"]))


def test_krakow_city_scores_use_three_two_one_points_not_borda(pabulib_dir: Path) -> None:
    election = read_pabulib(pabulib_dir / "Poland_Krakow_2022_Zwierzyniec.pb")
    from palabre.pb.scores import total_scores

    published = [int(dict(f)["score"]) for f in election.project_fields]
    assert total_scores(election, Utility.POSITIONAL) == published
    assert total_scores(election, Utility.BORDA) != published


def test_greedy_without_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    projects = [Project("a", 60), Project("b", 50), Project("c", 10)]
    ballots = [Ballot((0, 1, 2)), Ballot((0, 1)), Ballot((0,))]
    election = make_election(projects, 100, "approval", ballots)
    skip = greedy(election, GreedyOptions(score=Utility.VOTES))
    stop = greedy(election, GreedyOptions(score=Utility.VOTES, skip=False))
    assert skip.winners == ("a", "c")
    assert stop.winners == ("a",)
    assert stop.explanations["b"].reason == "greedy_stopped_here"
    assert stop.explanations["c"].reason == "greedy_stopped"
    assert skip.explanations["b"].reason == "greedy_skipped"


def test_completion_spends_money_mes_left_without_exceeding_the_budget(
    pabulib_dir: Path,
) -> None:
    election = read_pabulib(pabulib_dir / "Poland_Wieliczka_2023_Green_Budget.pb")
    plain = equal_shares(election, MesOptions())
    completed = equal_shares(election, MesOptions(completion=True))
    assert completed.winners[: len(plain.winners)] == plain.winners
    assert plain.total_cost < completed.total_cost <= election.budget
