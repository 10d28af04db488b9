"""The evaluation's filters: a calendar year or a cycle, one neighbourhood or the whole city."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import ErrorInViewForm
from palabre.evaluation.figures import Scope, cycle_scope, year_scope
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Cycle

FIRST_YEAR = 2020


def years() -> list[int]:
    """The years one may choose: from 2020 (or the first cycle) to this year, newest first."""
    this_year = timezone.localdate().year
    first = Cycle.objects.order_by("starts_on").values_list("starts_on__year", flat=True).first()
    return list(range(this_year, min(first or this_year, FIRST_YEAR) - 1, -1))


class ScopeForm(ErrorInViewForm):
    period = forms.ChoiceField(label=_("Period"), required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.order_by("position", "name"),
        required=False,
        empty_label=_("The whole city"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = {cycle.slug: cycle for cycle in Cycle.objects.order_by("-starts_on")}
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (_("Calendar years"), [(f"year-{year}", str(year)) for year in years()]),
            (_("Cycles"), [(f"cycle-{slug}", cycle.name) for slug, cycle in self.cycles.items()]),
        ]

    def scope(self) -> Scope:
        """The scope chosen; this year in the whole city when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or f"year-{timezone.localdate().year}"
        neighbourhood = data.get("neighbourhood")
        kind, _dash, value = period.partition("-")
        if kind == "cycle":
            return cycle_scope(self.cycles[value], neighbourhood)
        return year_scope(int(value), neighbourhood)


class ReportForm(ErrorInViewForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years()]  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["language"].initial = settings.LANGUAGE_CODE
