"""The forms of ideas, their review and the projects made of them (parsing only: the rules are
in idea_actions.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.budgets.actions import money
from palabre.budgets.forms import envelope_choice, place_name
from palabre.budgets.models import Envelope, Idea
from palabre.core.forms import (
    INTEGER,
    TOO_LONG,
    ErrorInViewForm,
    ModelMultipleChoiceField,
    PlainCharField,
    text_field,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Department, ReceivedVia

KEY = r"^[A-Za-z0-9_-]{16,64}$"
WHOLE_CITY = "city"
TITLE_ERRORS = TOO_LONG | {"required": _("Give the idea a title.")}
DESCRIPTION_ERRORS = {
    "required": _("Say what is proposed and where, so that the city can check it.")
}


def _title(label: Any = None) -> PlainCharField:
    return PlainCharField(
        label=label or _("Title of the idea"), max_length=200, error_messages=TITLE_ERRORS
    )


def _description(label: Any = None, help_text: Any = "") -> forms.CharField:
    return text_field(
        label or _("What is proposed, and where"),
        rows=6,
        error_messages=DESCRIPTION_ERRORS,
        help_text=help_text,
    )


class IdeaForm(ErrorInViewForm):
    """An idea proposed online or typed in from a paper form: a title, what and where, and the
    envelope it is for (a neighbourhood of the budget, or the whole city)."""

    key = forms.RegexField(
        regex=KEY,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("This form was already used: reload the page.")},
    )
    title = _title()
    description = _description(
        help_text=_(
            "Say what you would like, where exactly, and for whom. Please do not name neighbours "
            "or give anyone's address or phone number."
        )
    )
    place = forms.ChoiceField(
        label=_("For"), error_messages={"required": _("Choose where the idea is for.")}
    )

    def __init__(self, *args: Any, envelopes: Iterable[Envelope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places: dict[str, Neighbourhood | None] = {
            str(e.neighbourhood_id) if e.neighbourhood_id else WHOLE_CITY: e.neighbourhood
            for e in envelopes
        }
        names = {
            str(e.neighbourhood_id) if e.neighbourhood_id else WHOLE_CITY: place_name(e)
            for e in envelopes
        }
        self.fields["place"].choices = [("", _("Choose…")), *names.items()]  # type: ignore[attr-defined]
        self.fields["place"].error_messages["invalid_choice"] = _(
            "Choose one of the places of this budget."
        )

    def neighbourhood(self) -> Neighbourhood | None:
        """The neighbourhood chosen (None: the whole city)."""
        return self.places[self.cleaned_data["place"]]


class ContributionIdeaForm(ErrorInViewForm):
    """What a resident said, made an idea: a title and the text (the contribution's, which the
    facilitator may shorten or complete)."""

    title = _title()
    description = text_field(
        _("What is proposed, and where"),
        rows=6,
        required=False,
        help_text=_("Left empty: what the resident said."),
    )


class FundingForm(ErrorInViewForm):
    """A citizen action asking for funding: what the money is for, and how much."""

    title = _title(_("Title of the request"))
    description = _description(
        _("What the money is for"),
        help_text=_("Say what you would buy or do with it, and roughly how much it costs."),
    )


class MergeForm(ErrorInViewForm):
    keep = forms.ModelChoiceField[Idea](
        label=_("The idea it duplicates"),
        queryset=Idea.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the idea it duplicates."),
            "invalid_choice": _("Choose one of the ideas listed."),
        },
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["keep"]
        field.queryset = targets


class ReviewForm(ErrorInViewForm):
    """The department an idea goes to and, for a city-wide idea, where it would be done."""

    department = forms.ModelChoiceField[Department](
        label=_("Department that checks it"),
        queryset=Department.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the department that checks it."),
            "invalid_choice": _("Choose one of the departments listed."),
        },
    )
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood where it would be done"),
        queryset=Neighbourhood.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the neighbourhood where it would be done."),
            "invalid_choice": _("Choose one of the neighbourhoods listed."),
        },
    )

    def __init__(
        self, *args: Any, departments: Any, places: Any, city_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments
        if city_wide:
            fields["neighbourhood"].queryset = places
        else:
            del fields["neighbourhood"]


FEASIBLE = "feasible"
NOT_FEASIBLE = "not_feasible"


class EstimateForm(ErrorInViewForm):
    """The department's answer: feasible with a cost estimate, or not with its reasons; the
    service recording it says how the department gave it."""

    verdict = forms.ChoiceField(
        label=_("Is it feasible?"),
        choices=[(FEASIBLE, _("Feasible")), (NOT_FEASIBLE, _("Not feasible"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it is feasible.")},
    )
    cost_estimate = forms.IntegerField(
        label=_("Estimated cost (€, if feasible)"),
        min_value=1,
        max_value=INTEGER,
        required=False,
    )
    reasons = text_field(
        _("Why it is not feasible (if not)"),
        required=False,
        help_text=_("Residents read these reasons on the idea's page."),
    )
    received_via = forms.ChoiceField(
        label=_("How the department gave its answer"),
        choices=[("", _("Choose…")), *ReceivedVia.choices],
        error_messages={"required": _("Say how the department gave its answer.")},
    )

    def __init__(self, *args: Any, recording: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not recording:
            del self.fields["received_via"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict = data.get("verdict")
        if (
            verdict == FEASIBLE
            and not data.get("cost_estimate")
            and "cost_estimate" not in self.errors
        ):
            self.add_error("cost_estimate", _("Give the estimated cost in euros."))
        if verdict == NOT_FEASIBLE and not data.get("reasons") and "reasons" not in self.errors:
            self.add_error("reasons", _("Say why it is not feasible: residents read the reasons."))
        return data


class ProjectForm(ErrorInViewForm):
    """Feasible ideas made one project on an envelope's ballot."""

    ideas = ModelMultipleChoiceField[Idea](
        label=_("The ideas it comes from"),
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the ideas the project comes from."),
            "invalid_choice": _("Choose among the feasible ideas listed."),
            "invalid_pk_value": _("Choose among the feasible ideas listed."),
        },
    )
    envelope = forms.ModelChoiceField[Envelope](
        label=_("Envelope"),
        queryset=Envelope.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the envelope whose ballot it goes on."),
            "invalid_choice": _("Choose one of the envelopes listed."),
        },
    )
    title = PlainCharField(
        label=_("Title of the project (as voters read it)"),
        max_length=200,
        error_messages=TOO_LONG | {"required": _("Give the project a title.")},
    )
    summary = text_field(
        _("Short description (as voters read it)"), required=False, max_length=1_000, rows=3
    )
    cost = forms.IntegerField(
        label=_("Cost (€)"),
        min_value=1,
        max_value=INTEGER,
        required=False,
        help_text=_("Left empty: the sum of the ideas' estimates."),
    )

    def __init__(self, *args: Any, ideas: Any, envelopes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["ideas"].queryset = ideas
        fields["ideas"].label_from_instance = _idea_choice
        fields["envelope"].queryset = envelopes
        fields["envelope"].label_from_instance = envelope_choice


def _idea_choice(idea: Idea) -> str:
    where = idea.neighbourhood.name if idea.neighbourhood else str(_("The whole city"))
    return f"{idea.title} — {money(idea.cost_estimate or 0)} · {where}"


class FollowForm(ErrorInViewForm):
    """The department that carries out a funded project whose ideas none checked."""

    department = forms.ModelChoiceField[Department](
        label=_("Department that carries it out"),
        queryset=Department.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the department that carries it out."),
            "invalid_choice": _("Choose one of the departments listed."),
        },
    )
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood where it is done"),
        queryset=Neighbourhood.objects.none(),
        empty_label=_("Choose…"),
        required=False,
    )

    def __init__(
        self, *args: Any, departments: Any, places: Any, city_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = departments
        if city_wide:
            fields["neighbourhood"].queryset = places
        else:
            del fields["neighbourhood"]
