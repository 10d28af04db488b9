"""Reading and writing pabulib files, and the messages bad files get."""

from __future__ import annotations

from pathlib import Path

import pytest

from palabre.pb import (
    Election,
    PbFormatError,
    VoteType,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)
from palabre.pb.pabulib import _NotBulk, _parse

SMALL = """META
key;value
budget;100
vote_type;approval
num_projects;3
num_votes;3
PROJECTS
project_id;cost;name
a/1;40;"Park; with a bench"
b;50;None
c;60,5;Bridge
VOTES
voter_id;vote;age
v1;a/1,b;None
v2;b;34
v3;c,a/1;51
"""


def test_every_reference_file_is_read_with_the_declared_counts(pb_files: list[Path]) -> None:
    for path in pb_files:
        election = read_pabulib(path)
        assert len(election.projects) == int(election.meta["num_projects"]), path.name
        assert election.num_voters == int(election.meta["num_votes"]), path.name
        assert election.budget >= min(p.cost for p in election.projects)


def test_every_reference_file_round_trips_to_an_equal_election(pb_files: list[Path]) -> None:
    for path in pb_files:
        election = read_pabulib(path)
        text = write_pabulib(election)
        again = parse_pabulib(text)
        assert again.projects == election.projects, path.name
        assert again.groups == election.groups, path.name
        assert again.voters == election.voters, path.name
        assert dict(again.meta) == dict(election.meta), path.name
        assert write_pabulib(again) == text


def test_quoted_fields_decimal_commas_none_cells_bom_and_slashes_are_read() -> None:
    election = parse_pabulib("\ufeff" + SMALL.replace("\n", "\r\n"))
    assert [p.id for p in election.projects] == ["a/1", "b", "c"]
    assert election.money_scale == 10
    assert [p.cost for p in election.projects] == [400, 500, 605]
    assert election.projects[0].name == "Park; with a bench"
    assert election.projects[1].name == ""
    assert election.vote_type is VoteType.APPROVAL
    assert election.voters[0].fields == (("age", "None"),)
    round_trip = parse_pabulib(write_pabulib(election))
    assert [p.cost for p in round_trip.projects] == [400, 500, 605]


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("b;50;None", "b;-50;None"), 10, "non-negative cost"),
        (("v2;b;34", "v2;z;34"), 15, "unknown project 'z'"),
        (("c;60,5;Bridge", "b;60;Bridge"), 11, "duplicated project id 'b'"),
        (("v3;c,a/1;51", "v1;c,a/1;51"), 16, "duplicated voter id 'v1'"),
        (("budget;100", "budget;10"), 3, "below the cost of every project"),
        (("v3;c,a/1;51\n", ""), 6, "num_votes=3"),
        (("v2;b;34", "v2;b"), 15, "expected 3 fields"),
        (("vote_type;approval", "vote_type;plurality"), 4, "expected vote_type"),
    ],
)
def test_bad_files_raise_a_message_with_the_line_and_what_was_expected(
    change: tuple[str, str], line: int, words: str
) -> None:
    with pytest.raises(PbFormatError) as caught:
        parse_pabulib(SMALL.replace(*change), "bad.pb")
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"bad.pb:{line}: ")


def test_a_file_without_voters_is_refused() -> None:
    text = SMALL.split("v1;")[0].replace("num_votes;3\n", "")
    with pytest.raises(PbFormatError, match="zero voters"):
        parse_pabulib(text)


def test_a_file_truncated_after_a_section_title_is_refused() -> None:
    text = SMALL.split("voter_id;vote;age")[0]
    with pytest.raises(PbFormatError, match="truncated VOTES section") as caught:
        parse_pabulib(text)
    assert caught.value.line == 12


def test_a_file_without_a_votes_section_is_refused() -> None:
    with pytest.raises(PbFormatError, match="expected a VOTES section"):
        parse_pabulib(SMALL.split("VOTES")[0])


def test_identical_ballots_are_grouped_with_their_weight() -> None:
    text = SMALL.replace("v3;c,a/1;51", "v3;b;51").replace("v1;a/1,b;None", "v1;b;None")
    election = parse_pabulib(text)
    assert [(g.ballot.projects, g.weight) for g in election.groups] == [((1,), 3)]


def _both_ways(text: str) -> tuple[Election, Election]:
    return _parse(text, None, bulk=True), _parse(text, None, bulk=False)


def _assert_same(bulk: Election, rows: Election) -> None:
    assert bulk.projects == rows.projects
    assert bulk.groups == rows.groups  # same ballots, weights and order
    assert bulk.voters == rows.voters
    assert dict(bulk.meta) == dict(rows.meta)
    assert (bulk.budget, bulk.money_scale, bulk.vote_type) == (
        rows.budget,
        rows.money_scale,
        rows.vote_type,
    )
    assert bulk.vote_columns == rows.vote_columns


def test_every_reference_file_is_read_in_bulk_to_the_same_election(pb_files: list[Path]) -> None:
    for path in pb_files:
        text = path.read_text(encoding="utf-8-sig")
        _assert_same(*_both_ways(text))
        lf = text.replace("\r\n", "\n")
        _assert_same(*_both_ways(lf + "\n\n"))


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("v2;b;34", "v2 ;b;34"), "a space (str.strip would remove it)"),
        (("v2;b;34", 'v2;"b";34'), "quotes"),
        (("v2;b;34", "v2;b;34\n\n"), "a blank line"),
        (("v2;b;34", "votes;;"), "a row that reads as a section title"),
        (("v2;b;34", "v2;b;Zoë"), "non-ASCII text"),
        (("v2;b;34\n", "v2;b;34\r"), "a lone carriage return"),
        (("v2;b;34", "v2;b;3\x004"), "a NUL character"),
    ],
)
def test_votes_that_are_not_plain_are_read_row_by_row(change: tuple[str, str], why: str) -> None:
    text = SMALL.replace(*change)
    with pytest.raises(_NotBulk):
        _parse(text, None, bulk=True)
    try:
        expected: Election | str = _parse(text, None, bulk=False)
    except PbFormatError as error:  # the row-by-row reader's message, with its line
        expected = str(error)
    if isinstance(expected, str):
        with pytest.raises(PbFormatError) as caught:
            parse_pabulib(text)
        assert str(caught.value) == expected, why
    else:
        _assert_same(parse_pabulib(text), expected)


def test_a_voter_called_votes_is_a_voter_in_bulk_too() -> None:
    _assert_same(*_both_ways(SMALL.replace("v2;b;34", "VOTES;b;34")))


def test_ballots_written_in_another_order_are_grouped_in_bulk_as_row_by_row() -> None:
    rows = ["v1;c,a/1;1,2", "v2;a/1,c;2,1", "v3;b;5", "v4;a/1,c;1,2", "v5;b;5"]
    text = (
        SMALL.replace("approval", "cumulative")
        .replace("num_votes;3", "num_votes;5")
        .replace("voter_id;vote;age", "voter_id;vote;points")
        .split("v1;")[0]
        + "\n".join(rows)
        + "\n"
    )
    bulk, by_rows = _both_ways(text)
    _assert_same(bulk, by_rows)
    assert [(g.ballot.projects, g.ballot.points, g.weight) for g in bulk.groups] == [
        ((0, 2), (2, 1), 2),
        ((1,), (5,), 2),
        ((0, 2), (1, 2), 1),
    ]
    assert bulk.voters[0].ballot.projects == (2, 0)  # as written, for export


def _votes(vote_type: str, header: str, rows: list[str]) -> str:
    """Return SMALL with another ballot type and these VOTES rows."""
    head = SMALL.split("VOTES")[0].replace("approval", vote_type)
    head = head.replace("num_votes;3", f"num_votes;{len(rows)}")
    return head + f"VOTES\n{header}\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("vote_type", "header", "rows"),
    [
        # Approval ballots in another order than the projects': sorted, then grouped.
        ("approval", "voter_id;vote", ["v1;c,a/1", "v2;a/1,c", "v3;b", "v4;c,b,a/1", "v5;b"]),
        # An empty ballot among common ones.
        ("approval", "voter_id;vote", ["v1;a/1,b", "v2;None", "v3;a/1,b"]),
        # Points written two ways ("01" and "1") are one ballot; so are "+2" and "2".
        ("cumulative", "voter_id;vote;points", ["v1;a/1,b;1,2", "v2;a/1,b;01,+2", "v3;b;3"]),
        # Rankings keep their order: two orders are two ballots.
        ("ordinal", "voter_id;vote", ["v1;c,a/1", "v2;a/1,c", "v3;a/1,c", "v4;b"]),
        ("choose-1", "voter_id;vote", ["v1;c", "v2;a/1", "v3;c"]),
    ],
)
def test_common_ballots_are_read_in_bulk_as_row_by_row(
    vote_type: str, header: str, rows: list[str]
) -> None:
    bulk, by_rows = _both_ways(_votes(vote_type, header, rows))
    _assert_same(bulk, by_rows)
    assert bulk.table == by_rows.table
    assert bulk.supporters() == by_rows.supporters()


@pytest.mark.parametrize(
    ("vote_type", "header", "bad", "words"),
    [
        ("approval", "voter_id;vote", "v2;b,a/1,b", "appears twice"),
        ("ordinal", "voter_id;vote", "v2;b,a/1,b", "appears twice"),
        ("choose-1", "voter_id;vote", "v2;b,a/1", "names 2 projects"),
        ("cumulative", "voter_id;vote;points", "v2;b,a/1;1", "expected 2 points"),
        ("cumulative", "voter_id;vote;points", "v2;b,a/1;1,-1", "non-negative points"),
        ("cumulative", "voter_id;vote;points", "v2;b,a/1;1,x", "whole number of points"),
        ("approval", "voter_id;vote", "v2;b,zz", "unknown project 'zz'"),
    ],
)
def test_bad_ballots_in_a_plain_section_get_the_row_by_row_message(
    vote_type: str, header: str, bad: str, words: str
) -> None:
    good = "v1;a/1,c;1,2" if "points" in header else "v1;c"
    text = _votes(vote_type, header, [good, bad, good.replace("v1", "v3")])
    with pytest.raises(PbFormatError) as caught:
        parse_pabulib(text, "bad.pb")
    assert caught.value.line == 15
    assert words in caught.value.message


def test_plain_ballots_are_counted_without_an_object_per_ballot() -> None:
    from palabre.pb import allocate

    election = parse_pabulib(_votes("approval", "voter_id;vote", ["v1;a/1,b", "v2;c", "v3;b"]))
    for rule in ("greedy", "mes", "mes-add1"):
        assert allocate(election, rule).winners
    assert "groups" not in vars(election)  # built only when something asks for them
    assert [g.ballot.projects for g in election.groups] == [(0, 1), (2,), (1,)]


def test_scores_from_the_ballot_table_equal_the_per_ballot_utilities() -> None:
    from palabre.pb.scores import Utility, ballot_utilities, total_scores

    rows = ["v1;a/1,b;3,-2", "v2;b,c;0,4", "v3;a/1,b;3,-2"]
    election = parse_pabulib(_votes("scoring", "voter_id;vote;points", rows))
    for utility in (Utility.POINTS, Utility.VOTES, Utility.COST):
        expected = [0] * len(election.projects)
        for group in election.groups:
            for index, value in ballot_utilities(election, group.ballot, utility):
                expected[index] += group.weight * value
        assert total_scores(election, utility) == expected, utility
