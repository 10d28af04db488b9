"""Compare Palabre's opinion maps with red-dwarf 0.4.0's stored reference outputs.

Run: .venv/bin/python benchmarks/opinions_agreement.py
Prints, per shared conversation and k-means start, the figures quoted in docs/opinions.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from palabre.opinion_map import Parameters, analyze
from palabre.opinion_map.polis_csv import read_export
from palabre.opinion_map.tests.helpers import POLIS_CONVERSATIONS as CONVERSATIONS

POLIS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"


def main() -> None:
    """Print the agreement table."""
    print(
        "| conversation | start | groups (ref) | ARI | silhouette (ref) "
        "| consensus agree top-5 | consensus disagree top-5 | repness identical |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name in CONVERSATIONS:
        reference = json.loads((POLIS / "reference" / f"{name}.json").read_text())
        conversation = read_export(POLIS / name)
        for start, parameters in (
            ("Pol.is", Parameters()),
            ("Pol.is + farthest-first", Parameters(extra_start=True)),
        ):
            result = analyze(conversation.votes, conversation.moderated_out, parameters)
            data = result.to_json()
            ids = sorted(reference["labels"], key=int)
            ari = adjusted_rand_score(
                [reference["labels"][p] for p in ids], [data["labels"].get(p, -1) for p in ids]
            )
            overlap = {
                d: f"{len(set(data['consensus'][d]) & set(reference['consensus'][d][:5]))}"
                f"/{len(reference['consensus'][d][:5])}"
                for d in ("agree", "disagree")
            }
            print(
                f"| {name} | {start} | {result.group_count} ({reference['group_count']}) "
                f"| {ari:.3f} | {result.silhouette:.4f} ({reference['silhouette']:.4f}) "
                f"| {overlap['agree']} | {overlap['disagree']} "
                f"| {data['repness'] == reference['repness']} |"
            )


if __name__ == "__main__":
    main()
