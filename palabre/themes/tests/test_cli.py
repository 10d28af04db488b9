"""`palabre themes` driven through cli.main(): output, JSON fields, bad input and exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palabre.themes import builtin, train_and_evaluate
from palabre.themes.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"
ROWS = [
    ("Les poubelles débordent tous les lundis", "propreté"),
    ("Des dépôts clandestins derrière l'église", "propreté"),
    ("Les crottes de chien sur le trottoir", "propreté"),
    ("Le bus TEC passe une fois par heure", "mobilité"),
    ("Les voitures roulent trop vite dans la rue", "mobilité"),
    ("Pas de place pour se garer le soir", "mobilité"),
    ("La plaine de jeux est cassée", "jeunesse"),
    ("Rien pour les ados le mercredi", "jeunesse"),
    ("Une maison des jeunes ouverte le soir", "jeunesse"),
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _csv(
    path: Path, rows: list[tuple[str, str]], header: tuple[str, ...] = ("text", "theme")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def train_csv(tmp_path: Path) -> Path:
    return _csv(tmp_path / "train.csv", ROWS)


def test_evaluate_json_prints_one_object_with_n_top1_and_top3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        capsys,
        "evaluate",
        "--train",
        str(DATA / "train.csv"),
        "--test",
        str(DATA / "test.csv"),
        "--json",
    )
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    assert isinstance(data["n"], int)
    assert data["n"] == len(builtin("test"))
    assert isinstance(data["top1"], float)
    assert isinstance(data["top3"], float)
    assert 0.0 <= data["top1"] <= data["top3"] <= 1.0
    expected = train_and_evaluate(builtin("train"), builtin("test"))
    assert data["top1"] == round(expected.top1, 4)
    assert data["top3"] == round(expected.top3, 4)
    assert data["train_n"] == len(builtin("train"))
    assert sum(theme["n"] for theme in data["per_theme"].values()) == data["n"]
    assert data["notes"] == []


def test_evaluate_prints_n_top1_and_top3_lines_for_people(
    train_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_csv = _csv(tmp_path / "test.csv", [("Encore des sacs poubelles dans la rue", "propreté")])
    code, out, err = _run(capsys, "evaluate", "--train", str(train_csv), "--test", str(test_csv))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "n: 1"
    assert lines[1].startswith("top1: 1.0000")
    assert lines[2].startswith("top3: 1.0000")


def test_a_test_theme_unknown_to_training_counts_as_a_miss_with_a_note(
    train_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_csv = _csv(
        tmp_path / "test.csv",
        [("Les poubelles du parc débordent", "propreté"), ("La bibliothèque ferme", "culture")],
    )
    code, out, err = _run(
        capsys, "evaluate", "--train", str(train_csv), "--test", str(test_csv), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["n"], data["hits1"], data["hits3"]) == (2, 1, 1)
    assert data["top1"] == 0.5
    assert data["unknown_themes"] == {"culture": 1}
    assert "note:" in err
    assert "'culture'" in err
    assert "count as misses" in err
    assert len(data["notes"]) == 1


def test_rows_without_text_or_theme_are_skipped_with_a_note(
    train_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_csv = _csv(
        tmp_path / "test.csv",
        [("Le bus est toujours en retard", "mobilité"), ("", "propreté"), ("sans thème", " ")],
    )
    code, out, err = _run(capsys, "evaluate", "--train", str(train_csv), "--test", str(test_csv))
    assert code == 0
    assert out.startswith("n: 1\n")
    assert "2 rows were skipped (no text or no theme)" in err


def test_extra_columns_a_byte_order_mark_and_header_case_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train_csv = tmp_path / "train.csv"
    lines = ["id,Theme,Text"] + [f'{i},{theme},"{text}"' for i, (text, theme) in enumerate(ROWS)]
    train_csv.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _run(
        capsys, "evaluate", "--train", str(train_csv), "--test", str(train_csv), "--json"
    )
    assert code == 0
    assert json.loads(out)["n"] == len(ROWS)


def _bad_input_cases(tmp: Path) -> list[tuple[list[str], str]]:
    good = _csv(tmp / "good.csv", ROWS)
    empty = tmp / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = tmp / "header.csv"
    header_only.write_text("text,theme\n", encoding="utf-8")
    no_theme = _csv(tmp / "no_theme.csv", [("texte", "x")], header=("text", "label"))
    latin1 = tmp / "latin1.csv"
    latin1.write_bytes("text,theme\nLes aînés,aînés\n".encode("latin-1"))
    one_theme = _csv(tmp / "one.csv", [("les poubelles", "propreté"), ("les sacs", "propreté")])
    broken = tmp / "broken.csv"
    broken.write_text('text,theme\n"unterminated,propreté\n', encoding="utf-8")
    return [
        (["--train", str(tmp / "missing.csv"), "--test", str(good)], "missing.csv: no such file"),
        (["--train", str(good), "--test", str(empty)], "empty.csv: the file is empty"),
        (["--train", str(header_only), "--test", str(good)], "no row has both a text and a theme"),
        (["--train", str(no_theme), "--test", str(good)], "missing column 'theme'"),
        (["--train", str(latin1), "--test", str(good)], "not UTF-8"),
        (["--train", str(tmp), "--test", str(good)], "is a folder"),
        (["--train", str(one_theme), "--test", str(good)], "at least two different themes"),
        (["--train", str(broken), "--test", str(good)], "not a valid CSV file"),
    ]


def test_unusable_input_exits_2_with_one_clear_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, message in _bad_input_cases(tmp_path):
        code, out, err = _run(capsys, "evaluate", *args)
        assert (code, out) == (2, ""), args
        assert err.startswith("palabre themes: error: "), (args, err)
        assert message in err, (args, err)
        assert "Traceback" not in err
        assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["evaluate"],
        ["evaluate", "--train", "a.csv"],
        ["nonsense"],
        ["crossval", "x.csv", "--folds", "0"],
    ],
)
def test_usage_mistakes_exit_2_with_the_usage_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("usage: palabre themes")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "evaluate", "--help")
    assert code == 0
    assert "--train TRAIN.csv" in out


def test_crossval_pools_every_text_once_over_the_folds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(zip(builtin("train").texts[:120], builtin("train").themes[:120], strict=True))
    first = _csv(tmp_path / "a.csv", rows[:60])
    second = _csv(tmp_path / "b.csv", rows[60:])
    code, out, err = _run(capsys, "crossval", str(first), str(second), "--folds", "4", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["n"] == 120
    assert data["folds"] == 4
    assert data["train_n"] == 90
    assert 0.0 <= data["top1"] <= data["top3"] <= 1.0
    code, out, err = _run(capsys, "crossval", str(first), "--folds", "99")
    assert code == 2
    assert "cannot be split into 99 folds" in err


def test_suggest_uses_the_shipped_training_set_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        capsys, "suggest", "Des dépôts clandestins au coin de la rue", "-k", "2", "--json"
    )
    assert (code, err) == (0, "")
    (result,) = json.loads(out)
    assert next(s["theme"] for s in result["suggestions"]) == "propreté"
    assert len(result["suggestions"]) == 2
    code, out, _ = _run(capsys, "suggest", "Le bus passe trop rarement")
    assert code == 0
    assert "mobilité" in out.splitlines()[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=200) | st.text(alphabet='text,heme"\n\r\x00 aé;', max_size=120))
def test_arbitrary_file_content_gives_a_result_or_exit_2_never_an_exception(
    content: bytes | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzz.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    train_csv = _csv(tmp_path / "train.csv", ROWS)
    code, _, err = _run(capsys, "evaluate", "--train", str(train_csv), "--test", str(path))
    assert code in {0, 2}
    if code == 2:
        assert err.startswith("palabre themes: error: ")
    code, _, _ = _run(capsys, "evaluate", "--train", str(path), "--test", str(train_csv))
    assert code in {0, 2}
