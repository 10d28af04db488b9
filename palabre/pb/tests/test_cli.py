"""The `palabre pb` command line, through `palabre.pb.cli.main`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from palabre.pb.cli import main

ASSEN = "Netherlands_Assen_2024.pb"


def _reference(pabulib_dir: Path, config: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (pabulib_dir / "reference" / f"Netherlands_Assen_2024.{config}.json").read_text()
    )
    return data


@pytest.mark.parametrize(("rule", "config"), [("greedy", "G"), ("mes", "M1"), ("mes-add1", "M+")])
def test_allocate_json_prints_winners_total_cost_and_rule(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str], rule: str, config: str
) -> None:
    assert main(["allocate", str(pabulib_dir / ASSEN), "--rule", rule, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    reference = _reference(pabulib_dir, config)
    assert printed == {
        "rule": rule,
        "winners": reference["winners_in_order"],
        "total_cost": int(str(reference["total_cost"])),
    }
    assert type(printed["total_cost"]) is int  # a JSON number, not a string


DECIMAL_COSTS = """META
key;value
budget;250000000,10
vote_type;approval
PROJECTS
project_id;cost
a;123456789,05
b;0,005
c;300000000
VOTES
voter_id;vote
1;a,b
2;a
3;b,c
"""


def test_allocate_json_total_cost_is_an_exact_decimal_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "decimal.pb"
    path.write_text(DECIMAL_COSTS)
    assert main(["allocate", str(path), "--rule", "greedy", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"total_cost": 123456789.055}' in out  # exact digits, never a float's rounding
    printed = json.loads(out, parse_float=Decimal)
    assert printed["winners"] == ["b", "a"]
    assert printed["total_cost"] == Decimal("123456789.055")
    assert type(json.loads(out)["total_cost"]) is float


def test_allocate_with_lexicographic_tie_break_matches_pabutools_default(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["allocate", str(pabulib_dir / ASSEN), "--rule", "mes", "--tie-break", "lexicographic"]
    assert main([*args, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["winners"] == _reference(pabulib_dir, "M1-lex")["winners_in_order"]


def test_allocate_without_json_prints_a_readable_table(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["allocate", str(pabulib_dir / ASSEN), "--rule", "official"]) == 0
    out = capsys.readouterr().out
    assert "9 projects funded" in out
    assert out.strip().endswith("total cost 76700")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "was funded in round 1"), ("fr", "est financé au tour 1"), ("nl", "ronde 1")],
)
def test_explain_says_why_a_project_was_funded_in_three_languages(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    args = ["explain", str(pabulib_dir / ASSEN), "--rule", "mes", "3", "--lang", lang]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert words in out
    assert "PopUp Podium" in out


def test_explain_json_gives_the_data_behind_a_rejection(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(pabulib_dir / "Poland_Katowice_2023_Ligota_-_Panewniki.pb")
    assert main(["explain", path, "--rule", "official", "L6/12/X", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["funded"] is False
    assert data["reason"] == "greedy_skipped"
    facts = data["facts"]
    assert int(facts["money_left"]) < int(facts["cost"])
    assert facts["funded_before"][0] == "L6/18/X"


def test_explain_an_unknown_project_exits_with_code_2(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(pabulib_dir / ASSEN), "--rule", "mes", "nope"]) == 2
    assert "unknown project 'nope'" in capsys.readouterr().err


def test_bad_file_exits_with_code_2_and_a_line_number_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
        "1;50\n2;-5\nVOTES\nvoter_id;vote\n1;1\n"
    )
    assert main(["allocate", str(bad), "--rule", "greedy"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:8:" in err
    assert "non-negative cost" in err
    assert "Traceback" not in err


def test_usage_errors_exit_with_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["allocate", "x.pb", "--rule", "phragmen"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2


def test_export_writes_a_file_that_counts_the_same(
    pabulib_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.pb"
    assert main(["export", str(pabulib_dir / ASSEN), str(out)]) == 0
    assert main(["allocate", str(out), "--rule", "mes-add1", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["winners"] == _reference(pabulib_dir, "M+")["winners_in_order"]


def test_a_large_file_keeps_freed_memory_and_counts_the_same(
    pabulib_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from palabre.pb import cli

    args = ["allocate", str(pabulib_dir / ASSEN), "--rule", "mes", "--json"]
    assert main(args) == 0
    small = capsys.readouterr().out
    asked: list[bool] = []
    monkeypatch.setattr(cli, "LARGE_FILE_BYTES", 1)
    monkeypatch.setattr(cli, "_keep_freed_memory", lambda: asked.append(True))
    assert main(args) == 0
    assert capsys.readouterr().out == small
    assert asked == [True]
    assert not cli._large(str(pabulib_dir / "missing.pb"))  # the reader says why


def test_keeping_freed_memory_sets_two_malloc_options_or_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ctypes

    from palabre.pb.cli import _keep_freed_memory

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, option: int, value: int) -> int:
            calls.append((option, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())  # not this test process's malloc
    _keep_freed_memory()
    assert calls == [(-3, 32 << 20), (-1, 256 << 20)]

    def no_libc(name: object) -> object:
        raise OSError("no C library")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    _keep_freed_memory()  # elsewhere than glibc: nothing, and no error
