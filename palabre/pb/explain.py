"""Turn a result's explanation data into JSON-ready data and sentences in fr, nl or en."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from palabre.pb.errors import PbError
from palabre.pb.i18n import Lang, text
from palabre.pb.model import Election
from palabre.pb.result import Explanation, Fact, Result

MONEY_FACTS = {"cost", "money_left", "money_left_after", "available", "share"}


def _number(value: Fraction, decimals: int = 2) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    rounded = round(Decimal(value.numerator) / Decimal(value.denominator), decimals)
    return f"{rounded:.{decimals}f}"


def fact_value(election: Election, key: str, value: Fact) -> str | int | bool | list[str] | None:
    """Return a fact as a JSON value; money is in the file's currency unit."""
    if isinstance(value, tuple):
        return list(value)
    if key in MONEY_FACTS and isinstance(value, int | Fraction) and not isinstance(value, bool):
        return _number(election.money(value))
    if key == "rho" and isinstance(value, Fraction):
        return str(value * election.money_scale)
    if isinstance(value, Fraction):
        return _number(value)
    return value


def explanation_data(election: Election, explanation: Explanation) -> dict[str, object]:
    """Return one explanation as JSON-ready data."""
    return {
        "project": explanation.project_id,
        "funded": explanation.funded,
        "reason": explanation.reason,
        "facts": {k: fact_value(election, k, v) for k, v in explanation.facts.items()},
    }


def explanation_text(election: Election, result: Result, project_id: str, lang: Lang) -> str:
    """Return why a project was or was not funded, as a sentence in `lang`."""
    explanation = result.explanations.get(project_id)
    if explanation is None:
        election.index_of(project_id)
        raise PbError(f"no explanation for project {project_id!r}")
    currency = election.meta.get("currency", "")
    values: dict[str, str] = {}
    for key, value in {**result.details, **explanation.facts}.items():
        shown = fact_value(election, key, value)
        if isinstance(shown, list):
            shown = ", ".join(shown) if shown else text("none", lang)
        if key in MONEY_FACTS and currency:
            shown = f"{shown} {currency}"
        if key == "rho" and isinstance(value, Fraction):
            shown = _number(value * election.money_scale, 6)
        values[key] = str(shown)
    project = election.projects[election.index_of(project_id)]
    values["project"] = f"{project.id} ({project.name})" if project.name else project.id
    reason = explanation.reason
    prefix = ""
    if reason.startswith("comparison_"):
        prefix, reason = text("comparison", lang), reason.removeprefix("comparison_")
    if reason.startswith("completion_"):
        prefix, reason = prefix + text("completion", lang), "greedy_" + reason.split("_", 1)[1]
    if reason == "mes_selected" and "share" not in explanation.facts:
        reason = "mes_selected_points"
    return (prefix + text(reason, lang)).format(**values)
