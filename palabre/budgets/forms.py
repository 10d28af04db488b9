from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.budgets import actions
from palabre.budgets.actions import money
from palabre.budgets.models import BallotType, Envelope, Rule
from palabre.core.forms import TOO_LONG, ErrorInViewForm, PlainCharField


class CodeForm(ErrorInViewForm):
    code = PlainCharField(
        label=_("Voting code (on your letter)"),
        max_length=40,
        help_text=_("Twelve letters and digits; spaces and dashes do not matter."),
        error_messages=TOO_LONG | {"required": _("Type the code printed on your letter.")},
    )


class BallotForm(ErrorInViewForm):
    """The projects a voter chooses; checked against the envelope by `actions.check_choices`."""

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

    def clean_projects(self) -> list[int]:
        try:
            return actions.check_choices(self.envelope, self.cleaned_data["projects"])
        except actions.Refused as refused:
            raise forms.ValidationError(refused.message) from None


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
        label=_("Most projects a voter chooses (for “choose up to a number”)"),
        min_value=1,
        max_value=100,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ballot_type") == BallotType.APPROVAL_MAX and not data.get("max_choices"):
            self.add_error("max_choices", _("Say how many projects a voter may choose."))
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("spoilt") and data.get("projects"):
            self.add_error(
                "spoilt", _("A blank ballot has no project ticked: untick one or the other.")
            )
        elif not data.get("spoilt") and not data.get("projects") and "projects" not in self.errors:
            self.add_error(
                "projects", _("Tick the projects marked on the ballot, or mark it blank.")
            )
        return data


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
