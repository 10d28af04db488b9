from __future__ import annotations

import pytest
from django.utils import translation

from palabre.initiatives.playbooks import PlaybookError, parse


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Ligne 1\u00a0: «\u00a0kind\u00a0» doit être l'un de"),
        ("nl", "Regel 1: \u201ckind\u201d moet een van deze zijn"),
        ("en", "Line 1: “kind” must be one of"),
    ],
)
def test_the_reason_is_given_in_the_readers_language(language: str, expected: str) -> None:
    with translation.override(language), pytest.raises(PlaybookError) as refused:
        parse('kind = "barbecue"\ntitle = "Fête"\n')
    assert str(refused.value).startswith(expected)
