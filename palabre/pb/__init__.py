"""Participatory-budgeting counting engine: greedy rules and the Method of Equal Shares.

Pure Python (plus numpy); never imports Django. Typical use::

    from palabre.pb import read_pabulib, allocate
    result = allocate(read_pabulib("file.pb"), "mes-add1")
    result.winners, result.total_cost, result.explanations
"""

from palabre.pb.errors import PbError, PbFormatError
from palabre.pb.greedy import GreedyOptions, greedy
from palabre.pb.mes import MesOptions, Stop, add1_options, equal_shares
from palabre.pb.model import Ballot, Election, Project, VoteType, make_election
from palabre.pb.pabulib import parse_pabulib, read_pabulib, write_pabulib
from palabre.pb.result import Explanation, Result
from palabre.pb.rules import allocate, official_rule
from palabre.pb.scores import Utility
from palabre.pb.tiebreak import TieBreak

__all__ = [
    "Ballot",
    "Election",
    "Explanation",
    "GreedyOptions",
    "MesOptions",
    "PbError",
    "PbFormatError",
    "Project",
    "Result",
    "Stop",
    "TieBreak",
    "Utility",
    "VoteType",
    "add1_options",
    "allocate",
    "equal_shares",
    "greedy",
    "make_election",
    "official_rule",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]
