"""Builders shared by the opinion-map tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map import Votes

POLIS_CONVERSATIONS = (
    "15-per-hour-seattle",
    "canadian-electoral-reform",
    "london.youth.policing",
    "scoop-hivemind.ubi",
)


def planted_votes(
    seed: int,
    participants: int,
    statements: int,
    camps: int = 2,
    density: float = 0.8,
    noise: float = 0.15,
) -> Votes:
    """Return votes from participants split into camps that mostly vote their camp's way."""
    return planted(seed, participants, statements, camps, density, noise)[0]


def planted(
    seed: int,
    participants: int,
    statements: int,
    camps: int = 2,
    density: float = 0.8,
    noise: float = 0.15,
) -> tuple[Votes, NDArray[np.int64]]:
    """Return planted votes together with each participant's camp (participant id = index)."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, camps, participants)
    stance = rng.choice([-1, 1], size=(camps, statements))
    rows, columns = np.nonzero(rng.random((participants, statements)) < density)
    values = stance[camp[rows], columns]
    flip = rng.random(len(rows))
    values = np.where(flip < noise, -values, values)
    values = np.where(flip > 1 - noise / 2, 0, values)
    times = rng.integers(0, 1_000_000, len(rows))
    return Votes(rows, columns, values, times), camp.astype(np.int64)


def write_export(
    directory: Path,
    comments: Iterable[Sequence[object]] | None,
    votes: Iterable[Sequence[object]] | None,
) -> Path:
    """Write a Pol.is-shaped export: comments (id, moderated, text) and votes rows."""
    directory.mkdir(parents=True, exist_ok=True)
    if comments is not None:
        with (directory / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "timestamp",
                    "datetime",
                    "comment-id",
                    "author-id",
                    "agrees",
                    "disagrees",
                    "moderated",
                    "comment-body",
                ]
            )
            for statement, moderated, text in comments:
                writer.writerow([0, "", statement, 0, 0, 0, moderated, text])
    if votes is not None:
        with (directory / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
            for time, statement, participant, value in votes:
                writer.writerow([time, "", statement, participant, value])
    return directory


def export_of(directory: Path, votes: Votes, moderated_out: Iterable[int] = ()) -> Path:
    """Write a Pol.is export holding the given votes."""
    excluded = set(moderated_out)
    comments = [
        (int(s), -1 if int(s) in excluded else 1, f"Statement {int(s)}")
        for s in np.unique(votes.statements)
    ]
    rows = [
        (int(t), int(s), int(p), int(v))
        for p, s, v, t in zip(
            votes.participants, votes.statements, votes.values, votes.times, strict=True
        )
    ]
    return write_export(directory, comments, rows)
