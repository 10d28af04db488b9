"""The numpy reader of plain VOTES sections gives the pure-Python reader's election (ADR 0067)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from palabre.pb import PbFormatError, allocate, parse_pabulib
from palabre.pb import vectorised as vec
from palabre.pb.cli import json_string
from palabre.pb.model import Election
from palabre.pb.pabulib import _parse
from palabre.pb.scores import Utility, total_scores


@pytest.fixture(autouse=True)
def _every_section(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read with numpy even sections whose first ballots repeat (the reader's sample)."""
    monkeypatch.setattr("palabre.pb.pabulib.DISTINCT_SHARE", 0.0)


def _both(text: str) -> tuple[Election, Election]:
    """Return the election read the pure-Python bulk way and the numpy way."""
    return _parse(text, None, bulk=True, vectorise=False), _parse(
        text, None, bulk=True, vectorise=True
    )


def _assert_same(python: Election, numpy: Election) -> None:
    assert numpy.projects == python.projects
    assert numpy.table == python.table  # same ballots, weights and order of first appearance
    assert numpy.groups == python.groups
    assert numpy.num_voters == python.num_voters
    assert numpy.supporters() == python.supporters()
    assert numpy.voters == python.voters
    assert dict(numpy.meta) == dict(python.meta)
    assert (numpy.budget, numpy.money_scale, numpy.vote_type) == (
        python.budget,
        python.money_scale,
        python.vote_type,
    )
    if python.vote_type.has_points:
        assert total_scores(numpy, Utility.POINTS) == total_scores(python, Utility.POINTS)


def _election(
    vote_type: str,
    rows: list[str],
    *,
    ids: list[str] | None = None,
    header: str | None = None,
) -> str:
    ids = ids or ["a", "b", "c", "d"]
    points = vote_type in ("cumulative", "scoring")
    header = header or ("voter_id;vote;points" if points else "voter_id;vote")
    lines = [
        "META",
        "key;value",
        "budget;100",
        f"vote_type;{vote_type}",
        f"num_projects;{len(ids)}",
        f"num_votes;{len(rows)}",
        "PROJECTS",
        "project_id;cost",
        *(f"{name};{10 + 7 * n}" for n, name in enumerate(ids)),
        "VOTES",
        header,
        *rows,
    ]
    return "\n".join(lines) + "\n"


def _random_rows(
    rng: random.Random,
    vote_type: str,
    ids: list[str],
    voters: int,
    *,
    voter_id: str = "v{}",
    extra: bool = False,
    unsorted: bool = False,
) -> list[str]:
    """Rows with many repeated ballots, canonical points, projects in index order (or ranked;
    with `unsorted`, half the rows list their projects in another order)."""
    points = vote_type in ("cumulative", "scoring")
    pool = []
    for _ in range(max(3, voters // 4)):
        size = 1 if vote_type == "choose-1" else rng.randint(1, min(6, len(ids)))
        chosen = rng.sample(range(len(ids)), size)
        if vote_type != "ordinal":
            chosen.sort()
        values = [rng.choice([0, 1, 2, 9, 10, 123456789]) for _ in chosen]
        pool.append(list(zip(chosen, values, strict=True)))
    rows = []
    for n in range(voters):
        ballot = list(rng.choice(pool))
        if unsorted and rng.random() < 0.5:
            rng.shuffle(ballot)
        row = f"{voter_id.format(n)};" + ",".join(ids[i] for i, _ in ballot)
        if points:
            row += ";" + ",".join(str(v) for _, v in ballot)
        if extra:  # a column the counting ignores, with commas in it
            row += ";" + rng.choice(["x", "1,2", "a,b,c", "None"])
        rows.append(row)
    return rows


@pytest.mark.parametrize("vote_type", ["approval", "cumulative", "ordinal", "choose-1", "scoring"])
@pytest.mark.parametrize(
    ("ids", "voter_id"),
    [
        (["a", "b", "c", "d", "e"], "v{}"),
        ([f"p{n}" for n in range(70)], "{}"),
        # ids over 8 and 16 bytes (several packed words), voter ids of 9-16 bytes
        ([f"project/{n:012d}" for n in range(20)] + ["x"], "voter-{:010d}"),
    ],
)
def test_random_plain_sections_are_read_with_numpy_to_the_same_election(
    vote_type: str, ids: list[str], voter_id: str
) -> None:
    rng = random.Random(f"{vote_type}{len(ids)}")
    for voters, extra, unsorted in ((1, False, False), (40, True, True), (700, False, False)):
        rows = _random_rows(
            rng, vote_type, ids, voters, voter_id=voter_id, extra=extra, unsorted=unsorted
        )
        header = None
        if extra:
            points = vote_type in ("cumulative", "scoring")
            header = "voter_id;vote;points;district" if points else "voter_id;vote;district"
        python, numpy = _both(_election(vote_type, rows, ids=ids, header=header))
        assert numpy.rows is not None  # the numpy reader did read it
        _assert_same(python, numpy)


def test_every_reference_file_is_read_with_numpy_to_the_same_election(
    pb_files: list[Path],
) -> None:
    read = 0
    for path in pb_files:
        text = path.read_text(encoding="utf-8-sig")
        for variant in (text, text.replace("\r\n", "\n") + "\n\n"):
            python, numpy = _both(variant)
            _assert_same(python, numpy)
            read += numpy.rows is not None
    assert read == 2 * len(pb_files)  # every reference file is of the common form


@pytest.mark.parametrize(
    ("vote_type", "rows", "why"),
    [
        ("approval", ["v1;None", "v2;a"], "a None cell"),
        ("cumulative", ["v1;a,b;01,2", "v2;a,b;1,2"], "a leading zero"),
        ("cumulative", ["v1;a,b;+1,2", "v2;a;3"], "a sign"),
        ("scoring", ["v1;a,b;-1,2", "v2;a;3"], "negative points"),
        ("cumulative", ["v1;a,b;1", "v2;a;3"], "points missing"),
        ("cumulative", ["v1;a,b;1,2,3", "v2;a;3"], "points in excess"),
        ("cumulative", ["v1;a;1234567890123456", "v2;a;3"], "16 digits"),
        ("approval", ["v1;a", "v1;b"], "a duplicated voter id"),
        ("approval", ["v1;a,zz", "v2;b"], "an unknown project"),
        ("approval", ["v1;a,ab", "v2;b"], "a token longer than every id"),
        ("approval", ["v1;", "v2;b"], "an empty vote cell"),
        ("approval", ["v1;a,,b", "v2;b"], "an empty token"),
        ("choose-1", ["v1;a,b", "v2;b"], "a choose-1 ballot with two projects"),
        ("ordinal", ["v1;b,a,b", "v2;a"], "a project ranked twice"),
        ("approval", ["v1;a,a", "v2;a"], "a project named twice"),
        ("approval", ["x" * 65 + ";a", "v2;b"], "a voter id over 64 bytes"),
    ],
)
def test_sections_out_of_the_common_form_are_left_to_the_python_reader(
    vote_type: str, rows: list[str], why: str
) -> None:
    text = _election(vote_type, rows)
    try:
        expected: Election | str = _parse(text, None, bulk=False)
    except PbFormatError as error:
        expected = str(error)
    if isinstance(expected, str):
        with pytest.raises(PbFormatError) as caught:
            parse_pabulib(text, vectorise=True)
        assert str(caught.value) == expected, why
        return
    numpy = parse_pabulib(text, vectorise=True)
    assert numpy.rows is None, why
    _assert_same(_parse(text, None, bulk=True, vectorise=False), numpy)
    assert numpy.groups == expected.groups


@pytest.mark.parametrize("unsorted", [False, True])
@pytest.mark.parametrize("vote_type", ["approval", "cumulative", "scoring"])
def test_ballots_in_another_order_are_sorted_and_merged_with_numpy_as_in_python(
    vote_type: str, unsorted: bool
) -> None:
    rng = random.Random(vote_type)
    ids = [f"p{n}" for n in range(9)]
    rows = _random_rows(rng, vote_type, ids, 800, unsorted=unsorted)
    python, numpy = _both(_election(vote_type, rows, ids=ids))
    assert numpy.rows is not None
    _assert_same(python, numpy)
    if unsorted:  # some ballots merged with the same set written in another order
        assert len(numpy.groups) < len({row.split(";", 1)[1] for row in rows})


def test_the_reference_example_of_ballots_in_another_order_is_read_with_numpy() -> None:
    rows = ["v1;c,a;1,2", "v2;a,c;2,1", "v3;b;5", "v4;a,c;1,2", "v5;b;5"]
    python, numpy = _both(_election("cumulative", rows))
    assert numpy.rows is not None
    _assert_same(python, numpy)
    assert [(g.ballot.projects, g.ballot.points, g.weight) for g in numpy.groups] == [
        ((0, 2), (2, 1), 2),
        ((1,), (5,), 2),
        ((0, 2), (1, 2), 1),
    ]
    assert numpy.voters[0].ballot.projects == (2, 0)  # as written, for export


def _spy_on_merge(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every project key 0 (all ballots of one length collide) and record what the hash
    merge returns (None: it refused, and the ballots were merged exactly instead)."""
    monkeypatch.setattr(vec, "_keys", lambda n, start=0: np.zeros(n, dtype=np.uint64))
    results: list[object] = []
    merge = vec._merge

    def spy(*args: object) -> object:
        results.append(merge(*args))  # type: ignore[arg-type]
        return results[-1]

    monkeypatch.setattr(vec, "_merge", spy)
    return results


def test_a_hash_collision_is_never_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _election("approval", ["v1;a,b", "v2;c,d", "v3;a,b", "v4;b,c"])
    python = _parse(text, None, bulk=True, vectorise=False)
    merged = _spy_on_merge(monkeypatch)  # all four ballots (two projects each): one hash
    numpy = parse_pabulib(text, vectorise=True)
    assert numpy.rows is not None
    _assert_same(python, numpy)
    assert merged == [None]  # the verification refused the hash groups


def test_a_collision_with_a_longer_ballot_is_never_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    # a,b and a,b,c collide; c alone does not. The entries after a,b are c (the next ballot),
    # so comparing entries without the lengths would merge a,b,c into a,b.
    text = _election("approval", ["v1;a,b", "v2;c", "v3;a,b,c"], ids=["a", "b", "c", "d", "e"])
    python = _parse(text, None, bulk=True, vectorise=False)
    merged = _spy_on_merge(monkeypatch)

    def keys(n: int, start: int = 0) -> np.ndarray:
        if start == 0:  # the projects' keys
            return np.zeros(n, dtype=np.uint64)
        return np.array([0, 7, 0, 0][:n], dtype=np.uint64)  # the lengths' keys

    monkeypatch.setattr(vec, "_keys", keys)
    numpy = parse_pabulib(text, vectorise=True)
    _assert_same(python, numpy)
    assert merged == [None]
    assert [g.weight for g in numpy.groups] == [1, 1, 1]


def test_identical_ballots_alone_are_merged_by_hash_even_when_hashes_collide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    merged = _spy_on_merge(monkeypatch)
    numpy = parse_pabulib(_election("approval", ["v1;a,b", "v2;a,b"]), vectorise=True)
    assert [(g.ballot.projects, g.weight) for g in numpy.groups] == [((0, 1), 2)]
    assert merged[0] is not None


def test_greedy_sums_the_voters_ballots_without_merging_them() -> None:
    rng = random.Random("greedy")
    ids = [f"p{n}" for n in range(12)]
    text = _election("cumulative", _random_rows(rng, "cumulative", ids, 300), ids=ids)
    python, numpy = _both(text)
    assert allocate(numpy, "greedy").winners == allocate(python, "greedy").winners
    assert total_scores(numpy, Utility.POINTS) == total_scores(python, Utility.POINTS)
    assert numpy.supporters() == python.supporters()
    assert "arrays" not in vars(numpy)  # greedy never merged the ballots
    assert allocate(numpy, "mes").winners == allocate(python, "mes").winners
    assert "arrays" in vars(numpy)  # MES did


def test_points_too_large_for_float_sums_are_added_as_python_integers() -> None:
    rows = [f"v{n};a,b;999999999999999,{n}" for n in range(20)]
    python, numpy = _both(_election("cumulative", rows))
    assert numpy.rows is not None
    assert numpy.arrays is not None
    assert vec.point_totals(numpy.rows, len(numpy.projects)) is None
    assert vec.point_totals(numpy.arrays, len(numpy.projects)) is None
    _assert_same(python, numpy)
    assert total_scores(numpy, Utility.POINTS)[0] == 20 * 999999999999999


@pytest.mark.parametrize("vote_type", ["approval", "cumulative", "ordinal"])
def test_counts_from_the_arrays_equal_counts_from_the_lists(vote_type: str) -> None:
    rng = random.Random(vote_type)
    ids = [f"p{n}" for n in range(12)]
    text = _election(vote_type, _random_rows(rng, vote_type, ids, 600), ids=ids)
    python, numpy = _both(text)
    assert numpy.rows is not None
    for rule in ("greedy", "mes", "mes-add1"):
        expected = allocate(python, rule)
        got = allocate(numpy, rule)
        assert (got.winners, got.total_cost) == (expected.winners, expected.total_cost), rule


def test_the_automatic_choice_reads_large_sections_with_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _election("approval", ["v1;a,b", "v2;c"])
    monkeypatch.setattr("palabre.pb.pabulib.VECTORISE_BYTES", 1)
    monkeypatch.delitem(sys.modules, "numpy")  # as in a command that has not loaded it yet
    assert parse_pabulib(text).rows is not None
    assert parse_pabulib(text, vectorise=False).rows is None
    monkeypatch.setattr("palabre.pb.pabulib.VECTORISE_BYTES", 10**9)
    assert parse_pabulib(text).rows is None


def test_sections_whose_first_ballots_repeat_are_left_to_the_python_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("palabre.pb.pabulib.DISTINCT_SHARE", 0.5)
    repeated = _election("approval", ["v1;a,b", "v2;a,b", "v3;c", "v4;a,b"])
    distinct = _election("approval", ["v1;a,b", "v2;a,b", "v3;c", "v4;a"])
    assert parse_pabulib(repeated, vectorise=True).rows is None  # 2 ballots in 4 rows
    assert parse_pabulib(distinct, vectorise=True).rows is not None  # 3 in 4
    monkeypatch.setattr("palabre.pb.pabulib.SAMPLE_ROWS", 2)  # the first rows only
    assert parse_pabulib(distinct, vectorise=True).rows is None  # 1 in 2
    monkeypatch.setattr("palabre.pb.pabulib.SAMPLE_ROWS", 2_000)
    monkeypatch.setattr("palabre.pb.pabulib.SAMPLE_BYTES", 14)  # "v1;a,b\nv2;a,b\n"
    assert parse_pabulib(distinct, vectorise=True).rows is None  # 1 in 2


def test_rankings_are_not_merged_when_projects_and_positions_swap() -> None:
    python, numpy = _both(_election("ordinal", ["v1;d,c,b,e,a", "v2;e,c,b,a,d"], ids=list("abcde")))
    assert numpy.rows is not None
    _assert_same(python, numpy)
    assert [g.weight for g in numpy.groups] == [1, 1]


@pytest.mark.parametrize(
    "text", ["", "L6/12/X", 'a "quoted" \\ id', "é ☃ \u2028 \x7f", "".join(map(chr, range(32)))]
)
def test_json_strings_are_written_as_json_dumps_writes_them(text: str) -> None:
    assert json_string(text) == json.dumps(text, ensure_ascii=False)
