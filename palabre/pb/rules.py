"""Rule names, as the command line and pabulib's META `rule` field use them."""

from __future__ import annotations

from palabre.pb.errors import PbError
from palabre.pb.greedy import GreedyOptions, greedy, pabutools_greedy_options
from palabre.pb.mes import MesOptions, Stop, add1_options, equal_shares
from palabre.pb.model import Election, VoteType
from palabre.pb.result import Result
from palabre.pb.scores import Utility
from palabre.pb.tiebreak import TieBreak

RULES = ("greedy", "mes", "mes-add1", "official")


def city_score(vote_type: VoteType) -> Utility:
    """Return the score cities rank by: votes, points, or 3/2/1-style positional points."""
    if vote_type.has_points:
        return Utility.POINTS
    if vote_type is VoteType.ORDINAL:
        return Utility.POSITIONAL
    return Utility.VOTES


def official_rule(election: Election, tie_break: TieBreak) -> tuple[str, Result]:
    """Count with the rule named in the file's META `rule` field; return its name and result."""
    name = election.meta.get("rule", "").strip()
    score = city_score(election.vote_type)
    threshold = election.meta.get("min_project_score_threshold", "0").strip() or "0"
    if name in ("greedy", "greedy-no-skip", "greedy-threshold"):
        options = GreedyOptions(
            score=score,
            skip=name != "greedy-no-skip",
            threshold=int(threshold) if name == "greedy-threshold" else 0,
            tie_break=tie_break,
        )
        return name, greedy(election, options, name)
    if name == "equalshares":
        return name, equal_shares(election, MesOptions(tie_break=tie_break), name)
    if name == "equalshares/add1":
        return name, equal_shares(election, add1_options(tie_break), name)
    if name == "equalshares/add1-comparison":
        mes_options = add1_options(tie_break, stop=Stop.OVER_BUDGET, comparison=True)
        return name, equal_shares(election, mes_options, name)
    raise PbError(
        f"the file's META rule {name!r} is not one the engine can reproduce; "
        "choose --rule greedy, mes or mes-add1"
    )


def allocate(
    election: Election,
    rule: str,
    tie_break: TieBreak = TieBreak.COST_VOTES_ID,
    greedy_options: GreedyOptions | None = None,
    mes_options: MesOptions | None = None,
) -> Result:
    """Count an election with a named rule (defaults match pabutools' functions)."""
    if rule == "greedy":
        options = greedy_options or pabutools_greedy_options(election, tie_break)
        return greedy(election, options, rule)
    if rule == "mes":
        return equal_shares(election, mes_options or MesOptions(tie_break=tie_break), rule)
    if rule == "mes-add1":
        return equal_shares(election, mes_options or add1_options(tie_break), rule)
    if rule == "official":
        return official_rule(election, tie_break)[1]
    raise PbError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
