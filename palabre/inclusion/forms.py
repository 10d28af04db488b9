"""Forms: the questionnaire (on a phone, or keyed from paper), the population figures, and the
period of the "who we reach" page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palabre.core.forms import INTEGER, ErrorInViewForm, PlainCharField
from palabre.inclusion.actions import Said
from palabre.inclusion.models import (
    AGE_FIELDS,
    FIRST_YEAR,
    LAST_YEAR,
    NATIONALITY_FIELDS,
    AgeBand,
    Heard,
    Language,
    Population,
    Residence,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Cycle

KEY = r"^[A-Za-z0-9_-]{16,64}$"
UNSAID = "unsaid"


class _Radios(forms.RadioSelect):
    """Radios that can put the keyboard's focus on one of their options (the one ticked)."""

    focus_value: str | None = None

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if self.focus_value is not None and str(option["value"]) == self.focus_value:
            option["attrs"]["autofocus"] = True
        return option


class QuestionnaireForm(ErrorInViewForm):
    """The five questions; every one may be left out. On paper, "left blank" is ticked at
    first, so the keyer only moves the ticks the sheet has."""

    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        neighbourhoods: Sequence[Neighbourhood],
        paper: bool = False,
        focus_first: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.places = {f"n{place.pk}": place for place in neighbourhoods}
        unsaid = (
            (UNSAID, _("Left blank, or “rather not say”"))
            if paper
            else (UNSAID, _("I would rather not say"))
        )

        def radios(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
            return forms.ChoiceField(
                label=label,
                choices=[*choices, unsaid],
                required=False,
                initial=UNSAID if paper else None,
                widget=_Radios,
                error_messages={"invalid_choice": _("Choose one of the answers in the list.")},
            )

        self.fields["age_band"] = radios(_("How old are you?"), list(AgeBand.choices))
        self.fields["first_time"] = radios(
            _("Is this your first neighbourhood workshop?"),
            [("yes", _("Yes, it is my first")), ("no", _("No, I came before"))],
        )
        self.fields["residence"] = radios(
            _("Where do you live?"),
            [
                *((value, place.name) for value, place in self.places.items()),
                (Residence.CITY.value, Residence.CITY.label),
                (Residence.OUTSIDE.value, Residence.OUTSIDE.label),
            ],
        )
        self.fields["heard"] = radios(_("How did you hear of this workshop?"), list(Heard.choices))
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Which languages do you speak at home?"),
            help_text=_("Tick every one you speak at home. Tick none if you would rather not say."),
            choices=Language.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose the languages in the list.")},
        )
        if focus_first:
            # The keyer starts on the first question's ticked box ("left blank").
            widget = self.fields["age_band"].widget
            assert isinstance(widget, _Radios)
            widget.focus_value = UNSAID

    def said(self) -> Said:
        """What the questionnaire says (after validation)."""
        data = self.cleaned_data
        place = data.get("residence") or ""
        first = data.get("first_time") or ""
        age = data.get("age_band") or ""
        heard = data.get("heard") or ""
        neighbourhood = self.places.get(place)
        return Said(
            age_band="" if age == UNSAID else age,
            first_time={"yes": True, "no": False}.get(first),
            languages=tuple(data.get("languages") or ()),
            residence=(
                Residence.NEIGHBOURHOOD
                if neighbourhood is not None
                else ("" if place == UNSAID else place)
            ),
            neighbourhood=neighbourhood,
            heard="" if heard == UNSAID else heard,
        )

    def radio_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("age_band", "first_time", "residence", "heard")]


def _count(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=INTEGER,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Type the number of people (0 if there is nobody)."),
            "invalid": _("Type a whole number of people, without spaces or dots, e.g. 1250."),
            "min_value": _("A number of people cannot be below 0."),
            "max_value": _("This number is too large: check it."),
        },
    )


class PopulationForm(ErrorInViewForm):
    """One neighbourhood's population of one year, as the official statistics publish it."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.order_by("position", "name"),
        error_messages={
            "required": _("Choose the neighbourhood."),
            "invalid_choice": _("Choose a neighbourhood in the list."),
        },
    )
    year = forms.IntegerField(
        label=_("Year (population on 1 January)"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Type the year of the figures, e.g. 2026."),
            "invalid": _("Type the year as four digits, e.g. 2026."),
            "min_value": _("Give a year between 2000 and 2100."),
            "max_value": _("Give a year between 2000 and 2100."),
        },
    )
    source = PlainCharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where the figures come from, e.g. “Statbel, population on 1 January 2026”."),
        error_messages={"required": _("Say where the figures come from.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields = {"neighbourhood": fields["neighbourhood"], "year": fields["year"]}
        for band, name in AGE_FIELDS.items():
            self.fields[name] = _count(band.label)
        self.fields["belgian"] = _count(_("Belgian nationality"), required=False)
        self.fields["other_eu"] = _count(_("Another EU nationality"), required=False)
        self.fields["outside_eu"] = _count(_("A nationality outside the EU"), required=False)
        self.fields["source"] = fields["source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in NATIONALITY_FIELDS if data.get(name) is not None]
        if given and len(given) < len(NATIONALITY_FIELDS):
            missing = next(name for name in NATIONALITY_FIELDS if name not in given)
            self.add_error(
                missing, _("Give the three nationality groups, or leave all three empty.")
            )
        ages = [data.get(name) for name in AGE_FIELDS.values()]
        if len(given) == len(NATIONALITY_FIELDS) and None not in ages:
            by_age = sum(value for value in ages if value is not None)
            by_nationality = sum(data[name] for name in NATIONALITY_FIELDS)
            if by_age != by_nationality:
                self.add_error(
                    "belgian",
                    _(
                        "The nationality groups add up to %(nationality)d people, the age "
                        "bands to %(age)d: both should count the same population."
                    )
                    % {"nationality": by_nationality, "age": by_age},
                )
        return data

    def by_age(self) -> dict[str, int]:
        return {band.value: self.cleaned_data[name] for band, name in AGE_FIELDS.items()}

    def by_nationality(self) -> dict[str, int] | None:
        if self.cleaned_data.get("belgian") is None:
            return None
        return {name: self.cleaned_data[name] for name in NATIONALITY_FIELDS}

    def age_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in AGE_FIELDS.values()]

    def nationality_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NATIONALITY_FIELDS]

    @staticmethod
    def initial_from(row: Population) -> dict[str, Any]:
        """The form filled with a stored row, to correct it."""
        initial: dict[str, Any] = {
            "neighbourhood": row.neighbourhood_id,
            "year": row.year,
            "source": row.source,
        }
        initial |= {name: getattr(row, name) for name in AGE_FIELDS.values()}
        initial |= {name: getattr(row, name) for name in NATIONALITY_FIELDS}
        return initial


class ReachForm(ErrorInViewForm):
    """Which answers to count: a year, or a cycle; all neighbourhoods or one."""

    year = forms.IntegerField(
        label=pgettext_lazy("reach period", "Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        error_messages={
            "invalid": _("Type the year as four digits, e.g. 2026."),
            "min_value": _("Give a year between 2000 and 2100."),
            "max_value": _("Give a year between 2000 and 2100."),
        },
    )
    cycle = forms.ModelChoiceField(
        label=_("Or a cycle of workshops"),
        queryset=Cycle.objects.order_by("-starts_on"),
        to_field_name="slug",
        required=False,
        empty_label=_("No: the whole year"),
        help_text=_("A cycle counts its own dates instead of the year."),
        error_messages={"invalid_choice": _("Choose a cycle in the list.")},
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.filter(is_published=True).order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All neighbourhoods"),
        error_messages={"invalid_choice": _("Choose a neighbourhood in the list.")},
    )

    def year_or_default(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year


class PaperLanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
