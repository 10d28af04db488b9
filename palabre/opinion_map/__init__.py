"""Opinion-mapping engine: Pol.is' groups, consensus and representative statements.

Pure Python and NumPy: no Django, so it runs from the command line without a database.
"""

from palabre.opinion_map.model import (
    GroupAwareConsensus,
    InvalidVotes,
    NotEnoughParticipants,
    OpinionMap,
    OpinionMapError,
    Parameters,
    StatementStats,
    Vote,
    VoteRecord,
    Votes,
)
from palabre.opinion_map.pipeline import analyze

__all__ = [
    "GroupAwareConsensus",
    "InvalidVotes",
    "NotEnoughParticipants",
    "OpinionMap",
    "OpinionMapError",
    "Parameters",
    "StatementStats",
    "Vote",
    "VoteRecord",
    "Votes",
    "analyze",
]
