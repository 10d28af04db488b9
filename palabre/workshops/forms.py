from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import (
    INTEGER,
    LONG_TEXT,
    SHORT_TEXT,
    TEXT,
    DateField,
    ErrorInViewForm,
    PlainCharField,
    text_field,
)
from palabre.workshops.models import Cycle, PrintFormat


class RegistrationForm(forms.Form):
    name = PlainCharField(
        label=_("Your first name or a nickname"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Optional: for a confirmation, a reminder and the link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.RegexField(
        label=_("Phone"),
        required=False,
        max_length=30,
        regex=r"^[0-9+ ./()-]{6,30}$",
        help_text=_("Optional: for a reminder by text message."),
        error_messages={"invalid": _("Write a phone number with digits, e.g. 0470 12 34 56.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    needs_childcare = forms.BooleanField(label=_("I need childcare"), required=False)
    needs_step_free_access = forms.BooleanField(label=_("I need step-free access"), required=False)
    needs_hearing_loop = forms.BooleanField(label=_("I need a hearing loop"), required=False)
    interpretation_language = PlainCharField(
        label=_("I would like interpretation into"),
        required=False,
        max_length=50,
        help_text=_("A language, e.g. Arabic, Turkish, sign language."),
    )
    channel = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    # Put in the form by the server: sending the same form twice registers once.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class DuplicateCycleForm(ErrorInViewForm):
    name = PlainCharField(label=_("Name of the new cycle"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=50,
        help_text=_("Letters, digits and hyphens, e.g. 2027-2028."),
        error_messages={"invalid": _("Use only letters, digits and hyphens, e.g. 2027-2028.")},
    )
    starts_on = DateField(
        label=_("The new cycle starts on"),
        help_text=_("Each workshop moves by whole weeks, so it keeps its weekday and its time."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = DateField(
        label=_("It ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A cycle cannot end before it starts."))
        return data


def next_years(text: str, years: int = 1) -> str:
    """`text` with every year in it moved on: "Ateliers 2026–2027" -> "Ateliers 2027–2028"."""
    return re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", lambda found: str(int(found[0]) + years), text)


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def duplicate_defaults(cycle: Cycle) -> dict[str, Any]:
    """What the copy of `cycle` is called and when it runs, a year on, unless changed."""
    return {
        "name": next_years(cycle.name),
        "slug": next_years(cycle.slug),
        "starts_on": _a_year_on(cycle.starts_on),
        "ends_on": _a_year_on(cycle.ends_on),
    }


class CancelWorkshopForm(forms.Form):
    reason = text_field(_("Reason, sent to everyone registered"), max_length=SHORT_TEXT, rows=3)


class InvitationBatchForm(ErrorInViewForm):
    label = PlainCharField(
        label=_("Channel"),
        max_length=100,
        help_text=_(
            "Where these invitations go, e.g. 'Letterboxes rue de Bomel' or 'Youth centre'."
        ),
    )
    print_format = forms.ChoiceField(label=_("Format"), choices=PrintFormat.choices)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=5000, initial=1)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, announced: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not announced:
            self.fields["before_announcement"] = forms.BooleanField(
                label=_(
                    "I understand: until the workshop is announced, the QR code leads to a page "
                    "saying it is not announced yet."
                ),
                error_messages={"required": _("Tick the box to print before the announcement.")},
            )


class WalkInForm(forms.Form):
    name = PlainCharField(
        label=_("First name (leave empty for someone who prefers not to say)"),
        max_length=100,
        required=False,
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("Only if the person wants news of what comes of the workshop."),
    )
    key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput)


class MinutesForm(forms.Form):
    """The minutes editor: an introduction, notes under each guiding question, and the outcome."""

    version = forms.IntegerField(min_value=1, max_value=INTEGER, widget=forms.HiddenInput)
    introduction = text_field(_("Introduction"), max_length=TEXT, required=False, rows=3)
    decisions = text_field(_("Decisions"), max_length=10000, required=False)
    next_steps = text_field(_("Next steps"), max_length=10000, required=False)

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"notes_{index}"] = text_field(
                question, max_length=LONG_TEXT, required=False, rows=5
            )

    def notes(self) -> list[str]:
        return [self.cleaned_data[f"notes_{i}"] for i in range(len(self.questions))]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"notes_{i}"] for i in range(len(self.questions))]


class WorkshopAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The back-office's workshop form (the admin gives the model and the fields): the public
    description has a length."""

    description = text_field(_("Description"), required=False, max_length=TEXT)


class SessionAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The back-office's form of an event's session: its description has a length."""

    description = text_field(_("Description"), required=False, max_length=TEXT, rows=3)
