from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palabre.budgets import actions
from palabre.budgets.actions import money
from palabre.budgets.models import BallotType, Envelope, Rule
from palabre.core.forms import (
    ISO_DATE,
    ISO_TIME,
    TOO_LONG,
    DateField,
    ErrorInViewForm,
    PlainCharField,
)
from palabre.neighbourhoods.models import Neighbourhood


class CodeForm(ErrorInViewForm):
    code = PlainCharField(
        label=_("Voting code (on your letter)"),
        max_length=40,
        help_text=_("Twelve letters and digits; spaces and dashes do not matter."),
        error_messages=TOO_LONG | {"required": _("Type the code printed on your letter.")},
    )


def add_choice_fields(form: forms.Form, envelope: Envelope) -> None:
    """Give `form` a points field (`points-<id>`) or a place field (`rank-<id>`) per project
    of the envelope, when its ballot asks for points or a ranking."""
    process = envelope.process
    for project in envelope.projects.all():
        label = f"{project.title} — {money(project.cost)}"
        if process.ballot_type == BallotType.CUMULATIVE:
            form.fields[f"points-{project.pk}"] = forms.IntegerField(
                label=label, min_value=0, max_value=process.points or 0, required=False
            )
        elif process.ballot_type == BallotType.RANKING:
            places = [("", "—")] + [
                (str(n), str(n)) for n in range(1, (process.max_choices or 0) + 1)
            ]
            form.fields[f"rank-{project.pk}"] = forms.TypedChoiceField(
                label=label, choices=places, coerce=int, empty_value=None, required=False
            )


def picked(form: forms.Form, data: dict[str, Any]) -> tuple[list[int], dict[int, int]]:
    """The projects in order of the places given (a ranking), and the points given; adds an
    error to `form` when two projects have the same place."""
    points = {
        int(name.split("-")[1]): value
        for name, value in data.items()
        if name.startswith("points-") and value
    }
    places = {
        int(name.split("-")[1]): value
        for name, value in data.items()
        if name.startswith("rank-") and value
    }
    if len(set(places.values())) != len(places):
        form.add_error(None, _("Two projects have the same place: give each its own."))
    return sorted(places, key=places.__getitem__), points


def choice_fields(form: forms.Form) -> list[forms.BoundField]:
    """The points or place fields of `form`, in the order of the projects."""
    return [form[name] for name in form.fields if name.startswith(("points-", "rank-"))]


class BallotForm(ErrorInViewForm):
    """The voter's choices, as the ballot asks for them: ticked projects, points per project
    (`points-<id>`) or a place per project (`rank-<id>`); checked against the envelope by
    `actions.ballot_text`, whose result is `cleaned_data["choices"]`."""

    projects = forms.TypedMultipleChoiceField(
        label=_("Projects"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, envelope: Envelope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.envelope = envelope
        field = self.fields["projects"]
        field.choices = [(p.pk, p.title) for p in envelope.projects.all()]  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _(
            "A project you chose is not on this ballot. Choose among the projects listed."
        )
        add_choice_fields(self, envelope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        ranked, points = picked(self, data)
        if self.errors:
            return data
        try:
            data["choices"] = actions.ballot_text(
                self.envelope, ranked or data.get("projects", []), points=points
            )
        except actions.Refused as refused:
            self.add_error(None if points or ranked else "projects", refused.message)
        data["points"], data["ranked"] = points, ranked
        return data

    def cast_arguments(self) -> dict[str, Any]:
        """What `actions.cast_ballot` takes from this form."""
        data = self.cleaned_data
        return {"project_ids": data["ranked"] or data["projects"], "points": data["points"]}


class ReceiptForm(ErrorInViewForm):
    receipt = PlainCharField(
        label=_("Receipt code"),
        max_length=40,
        error_messages=TOO_LONG | {"required": _("Type the receipt code you were given.")},
    )


class RulesForm(ErrorInViewForm):
    rule = forms.ChoiceField(label=_("Counting rule"), choices=Rule.choices)
    ballot_type = forms.ChoiceField(label=_("Ballot"), choices=BallotType.choices)
    max_choices = forms.IntegerField(
        label=_("Most projects a voter chooses or ranks"),
        min_value=1,
        max_value=100,
        required=False,
    )
    points = forms.IntegerField(
        label=_("Points each voter shares (for a points ballot)"),
        min_value=1,
        max_value=100,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limited = (BallotType.APPROVAL_MAX, BallotType.RANKING)
        if data.get("ballot_type") in limited and not data.get("max_choices"):
            self.add_error("max_choices", _("Say how many projects a voter may choose."))
        if data.get("ballot_type") == BallotType.CUMULATIVE and not data.get("points"):
            self.add_error("points", _("Say how many points each voter shares."))
        return data


class CodesForm(ErrorInViewForm):
    label = PlainCharField(
        label=_("Name of the batch (for example: letters to Bomel)"),
        max_length=120,
        error_messages=TOO_LONG | {"required": _("Name the batch so that you find it again.")},
    )
    count = forms.IntegerField(
        label=_("Number of letters"), min_value=1, max_value=actions.MAX_CODES_AT_ONCE
    )


class PaperForm(ErrorInViewForm):
    """One paper ballot as read: its number, the ticked projects, or blank/unreadable."""

    number = forms.IntegerField(
        label=_("Ballot number (written on the paper)"),
        min_value=1,
        max_value=1_000_000,
        error_messages={"required": _("Type the number written on the ballot.")},
    )
    projects = forms.TypedMultipleChoiceField(
        label=_("Projects ticked on the paper"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    spoilt = forms.BooleanField(label=_("Blank or unreadable ballot"), required=False)

    def __init__(self, *args: Any, envelope: Envelope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["projects"]
        field.choices = [(p.pk, f"{p.title} — {money(p.cost)}") for p in envelope.projects.all()]  # type: ignore[attr-defined]
        add_choice_fields(self, envelope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ranked, points = picked(self, data)
        marked = data.get("projects") or ranked or points
        if data.get("spoilt") and marked:
            self.add_error(
                "spoilt", _("A blank ballot has no project ticked: untick one or the other.")
            )
        elif not data.get("spoilt") and not marked and not self.errors:
            self.add_error(
                "projects", _("Tick the projects marked on the ballot, or mark it blank.")
            )
        data["reading"] = {"project_ids": ranked or data.get("projects", []), "points": points}
        return data

    def choice_fields(self) -> list[forms.BoundField]:
        return choice_fields(self)


class MessageForm(ErrorInViewForm):
    address = PlainCharField(
        label=_("Email address or mobile number"),
        max_length=254,
        help_text=_("We send you a code to vote. It is used for nothing else."),
        error_messages=TOO_LONG | {"required": _("Type your email address or mobile number.")},
    )


class MessageCodeForm(ErrorInViewForm):
    code = PlainCharField(
        label=_("Code received (6 digits)"),
        max_length=20,
        error_messages=TOO_LONG | {"required": _("Type the code you received.")},
    )


def place_name(envelope: Envelope) -> str:
    """Where an envelope's money goes: its neighbourhood, or the whole city."""
    return envelope.neighbourhood.name if envelope.neighbourhood else str(_("Whole city"))


def envelope_choice(envelope: Envelope) -> str:
    """An envelope as a choice in a list: its place and its amount."""
    return f"{place_name(envelope)} — {money(envelope.amount)}"


RESERVED_SLUGS = {"nouveau"}  # addresses of budgets/urls.py next to <slug>/


class ProcessForm(ErrorInViewForm):
    """A new participatory budget: its name, its calendar and its ballot."""

    title = PlainCharField(
        label=_("Title (for example: Participatory budget 2028)"),
        max_length=200,
        error_messages=TOO_LONG | {"required": _("Give the budget a title.")},
    )
    slug = forms.SlugField(
        label=_("Short name in addresses (small letters, digits, dashes)"),
        max_length=50,
        error_messages={"required": _("Give a short name for the addresses, such as bp-2028.")},
    )
    description = forms.CharField(
        label=_("What it is for (optional)"), widget=forms.Textarea, required=False
    )
    ideas_from = DateField(label=_("Ideas from"), widget=ISO_DATE)
    ideas_until = DateField(label=_("Ideas until"), widget=ISO_DATE)
    review_until = DateField(label=_("Feasibility review until"), widget=ISO_DATE)
    vote_opens_on = DateField(label=_("Vote opens on"), widget=ISO_DATE)
    vote_opens_time = forms.TimeField(label=_("at"), widget=ISO_TIME, initial=time(9))
    vote_closes_on = DateField(label=_("Vote closes on"), widget=ISO_DATE)
    vote_closes_time = forms.TimeField(label=_("at"), widget=ISO_TIME, initial=time(20))
    rule = forms.ChoiceField(label=_("Counting rule"), choices=Rule.choices, initial=Rule.MES)
    ballot_type = forms.ChoiceField(
        label=_("Ballot"), choices=BallotType.choices, initial=BallotType.APPROVAL_BUDGET
    )
    max_choices = forms.IntegerField(
        label=_("Most projects a voter chooses or ranks"),
        min_value=1,
        max_value=100,
        required=False,
    )
    points = forms.IntegerField(
        label=_("Points each voter shares (for a points ballot)"),
        min_value=1,
        max_value=100,
        required=False,
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age to vote"), min_value=0, max_value=120, initial=16
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not data["ideas_from"] <= data["ideas_until"] <= data["review_until"]:
            self.add_error(
                "ideas_until",
                _("Put the dates in order: ideas, then their review, then the vote."),
            )
        zone = timezone.get_current_timezone()
        opens = datetime.combine(data["vote_opens_on"], data["vote_opens_time"], tzinfo=zone)
        closes = datetime.combine(data["vote_closes_on"], data["vote_closes_time"], tzinfo=zone)
        if data["vote_opens_on"] <= data["review_until"]:
            self.add_error("vote_opens_on", _("The vote opens after the feasibility review."))
        elif closes <= opens:
            self.add_error("vote_closes_on", _("The vote closes after it opens."))
        limited = (BallotType.APPROVAL_MAX, BallotType.RANKING)
        if data.get("ballot_type") in limited and not data.get("max_choices"):
            self.add_error("max_choices", _("Say how many projects a voter may choose."))
        if data.get("ballot_type") == BallotType.CUMULATIVE and not data.get("points"):
            self.add_error("points", _("Say how many points each voter shares."))
        data["vote"] = (opens, closes)
        return data

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is used by the site: choose another."))
        return slug

    def create_arguments(self) -> dict[str, Any]:
        """What `actions.create_process` takes from this form."""
        data = self.cleaned_data
        names = ["slug", "title", "description", "rule", "ballot_type", "max_choices"]
        names += ["points", "minimum_age", "review_until"]
        return {
            **{name: data[name] for name in names},
            "ideas": (data["ideas_from"], data["ideas_until"]),
            "vote": data["vote"],
        }


class EnvelopeForm(ErrorInViewForm):
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("For"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("The whole city"),
    )
    amount = forms.IntegerField(
        label=_("Amount (€)"),
        min_value=1,
        max_value=100_000_000,
        error_messages={"required": _("Give the amount of the envelope in euros.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.order_by(  # type: ignore[attr-defined]
            "position", "name"
        )


class ProjectForm(ErrorInViewForm):
    envelope = forms.ModelChoiceField[Envelope](
        label=_("Envelope"), queryset=Envelope.objects.none(), empty_label=None
    )
    title = PlainCharField(
        label=_("Title of the project (as voters read it)"),
        max_length=200,
        error_messages=TOO_LONG | {"required": _("Give the project a title.")},
    )
    summary = forms.CharField(
        label=_("Short description (as voters read it)"), widget=forms.Textarea, required=False
    )
    cost = forms.IntegerField(
        label=_("Cost (€)"),
        min_value=1,
        max_value=100_000_000,
        error_messages={"required": _("Give the project's cost in euros.")},
    )

    def __init__(self, *args: Any, envelopes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["envelope"]
        field.queryset = envelopes.select_related("neighbourhood")  # type: ignore[attr-defined]
        field.label_from_instance = envelope_choice  # type: ignore[attr-defined]
