"""The `palabre opinions` command line, driven through cli.main()."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from palabre.opinion_map import analyze
from palabre.opinion_map.cli import main
from palabre.opinion_map.tests.helpers import export_of, planted_votes, write_export


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = _run(capsys, *argv)
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def test_analyze_json_prints_groups_labels_consensus_and_repness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    votes = planted_votes(seed=3, participants=60, statements=30, camps=3, noise=0.1)
    data = _json(capsys, "analyze", str(export_of(tmp_path, votes)), "--json")
    assert {"group_count", "labels", "consensus", "repness"} <= set(data)
    assert data["group_count"] == 3
    assert set(data["labels"].values()) == {0, 1, 2}
    assert set(data["consensus"]) == {"agree", "disagree"}
    assert set(data["repness"]) == {"0", "1", "2"}
    assert data == analyze(votes).to_json()


def test_analyze_json_on_a_real_export_reproduces_the_reference(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "scoop-hivemind.ubi"
    reference = json.loads((shared_data / "polis" / "reference" / f"{name}.json").read_text())
    data = _json(capsys, "analyze", str(shared_data / "polis" / name), "--json")
    assert data["labels"] == reference["labels"]
    assert data["consensus"] == reference["consensus"]


def test_participants_votes_csv_is_read_when_votes_csv_is_missing(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = shared_data / "polis" / "london.youth.policing"
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(source / name, tmp_path / name)
    from_wide = _json(capsys, "analyze", str(tmp_path), "--json")
    from_votes = _json(capsys, "analyze", str(source), "--json")
    assert from_wide == from_votes


def test_json_details_add_coordinates_and_statistics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    votes = planted_votes(seed=4, participants=30, statements=10)
    data = _json(capsys, "analyze", str(export_of(tmp_path, votes)), "--json", "--details")
    assert len(data["coordinates"]) == 30
    for stats in data["repness_stats"]["0"]:
        assert stats["direction"] in ("agree", "disagree")
        assert 0 < stats["p_success"] < 1
        assert stats["n_success"] <= stats["n_trials"]


@pytest.mark.parametrize(
    ("language", "caption", "reaction"),
    [
        ("en", "What sets Group A apart", "agree"),
        ("fr", "Ce qui distingue le Groupe A", "d'accord"),
        ("nl", "Wat Groep A onderscheidt", "eens"),
    ],
)
def test_the_text_report_is_written_in_the_chosen_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    caption: str,
    reaction: str,
) -> None:
    votes = planted_votes(seed=5, participants=40, statements=12)
    code, out, err = _run(capsys, "analyze", str(export_of(tmp_path, votes)), "--lang", language)
    assert (code, err) == (0, "")
    assert caption in out
    assert f" {reaction} " in out
    assert "Statement " in out


def test_svg_and_html_files_are_written_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = export_of(tmp_path / "export", planted_votes(6, 40, 12))
    svg, html = tmp_path / "map.svg", tmp_path / "map.html"
    code, _, err = _run(capsys, "analyze", str(export), "--svg", str(svg), "--html", str(html))
    assert (code, err) == (0, "")
    # The SVG is the command's own output under test, not untrusted input.
    root = ElementTree.fromstring(svg.read_text(encoding="utf-8"))  # noqa: S314
    assert root.get("role") == "img"
    assert "<table>" in html.read_text(encoding="utf-8")


def test_help_exits_with_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "analyze", "--help")
    assert code == 0
    assert "--json" in out


def _good_comments() -> list[tuple[object, object, str]]:
    return [(s, 1, f"S{s}") for s in range(8)]


def _good_votes(participants: int = 12) -> list[tuple[object, object, object, object]]:
    return [
        (p * 10 + s, s, p, 1 if (p + s) % 3 else -1) for p in range(participants) for s in range(8)
    ]


BAD_EXPORTS: dict[str, tuple[Any, Any, str]] = {
    "an empty folder": (None, None, "no Pol.is export"),
    "votes.csv with a header only": (_good_comments(), [], "no votes"),
    "votes for unknown statements": (
        _good_comments(),
        [*_good_votes(), (999, 42, 0, 1)],
        "missing from comments.csv: 42",
    ),
    "a non-numeric voter id": (
        _good_comments(),
        [*_good_votes(), (999, 1, "alice", 1)],
        "voter-id must be a whole number, not 'alice'",
    ),
    "a non-numeric comment id": (
        [*_good_comments(), ("x7", 1, "S")],
        _good_votes(),
        "comment-id must be a whole number, not 'x7'",
    ),
    "an unknown vote value": (
        _good_comments(),
        [*_good_votes(), (999, 1, 0, 2)],
        "unknown vote value '2'",
    ),
    "a textual vote value": (
        _good_comments(),
        [*_good_votes(), (999, 1, 0, "agree")],
        "unknown vote value 'agree'",
    ),
    "a non-numeric timestamp": (
        _good_comments(),
        [*_good_votes(), ("yesterday", 1, 0, 1)],
        "timestamp must be a whole number",
    ),
    "fewer participants than groups": (_good_comments(), _good_votes(2), "cannot form 2 groups"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_bad_exports_give_a_clear_message_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    comments, votes, message = BAD_EXPORTS[case]
    write_export(tmp_path, comments, votes)
    code, out, err = _run(capsys, "analyze", str(tmp_path), "--json")
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("palabre opinions: error: ")
    assert "Traceback" not in err


def test_a_missing_folder_gives_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "analyze", str(tmp_path / "nowhere"))
    assert code == 2
    assert "is not a directory" in err


def test_a_line_number_points_at_the_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_export(tmp_path, _good_comments(), [(1, 0, 0, 1), (2, 1, 0, 1), (3, 2, 0, 5)])
    _, _, err = _run(capsys, "analyze", str(tmp_path))
    assert "votes.csv, line 4: unknown vote value '5'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze"], "the following arguments are required: directory"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required: command"),
        (["analyze", ".", "--max-groups", "0"], "must be a positive whole number"),
        (["analyze", ".", "--lang", "de"], "invalid choice"),
    ],
)
def test_command_line_mistakes_exit_with_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert message in err


def test_inconsistent_group_bounds_exit_with_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = export_of(tmp_path, planted_votes(7, 20, 10))
    code, _, err = _run(capsys, "analyze", str(export), "--min-groups", "4", "--max-groups", "3")
    assert code == 2
    assert "min_groups <= max_groups" in err


def test_a_file_in_place_of_the_comments_gives_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_export(tmp_path, None, _good_votes())
    (tmp_path / "comments.csv").write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = _run(capsys, "analyze", str(tmp_path))
    assert code == 2
    assert "comments.csv" in err


def test_the_extra_start_option_reaches_a_better_silhouette_on_seattle(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(shared_data / "polis" / "15-per-hour-seattle")
    faithful = _json(capsys, "analyze", folder, "--json")
    better = _json(capsys, "analyze", folder, "--json", "--extra-start")
    assert better["silhouette"] > faithful["silhouette"]
