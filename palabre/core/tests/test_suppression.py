from __future__ import annotations

from palabre.core.suppression import THRESHOLD, suppress


def test_counts_under_five_are_withheld_and_the_others_published() -> None:
    assert THRESHOLD == 5
    assert [suppress(n) for n in range(8)] == [None, None, None, None, None, 5, 6, 7]
    assert suppress(1_000) == 1_000
