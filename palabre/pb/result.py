"""What a rule returns: the winners in selection order, their total cost and explanations."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

Fact = int | str | Fraction | bool | tuple[str, ...] | None

_NO_FACTS: Mapping[str, Fact] = MappingProxyType({})


class Lazy[K, V](Mapping[K, V]):
    """A read-only mapping built by `build` the first time it is read."""

    def __init__(self, build: Callable[[], Mapping[K, V]]) -> None:
        self._build: Callable[[], Mapping[K, V]] | None = build
        self._data: Mapping[K, V] = {}

    def _mapping(self) -> Mapping[K, V]:
        if self._build is not None:
            self._data, self._build = self._build(), None
        return self._data

    def __getitem__(self, key: K) -> V:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


class Explanation(NamedTuple):
    """Why one project was or was not funded, as data (see `palabre.pb.explain` for text).

    `reason` is a stable code (for example `mes_selected`, `mes_unaffordable`,
    `greedy_skipped`); `facts` holds the figures behind it, amounts in scaled money units.
    """

    project_id: str
    funded: bool
    reason: str
    facts: Mapping[str, Fact] = _NO_FACTS


class Result(NamedTuple):
    """The outcome of a rule on an election."""

    rule: str
    winners: tuple[str, ...]
    total_cost: int
    explanations: Mapping[str, Explanation] = MappingProxyType({})
    details: Mapping[str, Fact] = _NO_FACTS
