from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from palabre.workshops.models import PrintFormat


class RegistrationForm(forms.Form):
    name = forms.CharField(
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
    interpretation_language = forms.CharField(
        label=_("I would like interpretation into"),
        required=False,
        max_length=50,
        help_text=_("A language, e.g. Arabic, Turkish, sign language."),
    )
    channel = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class CancelWorkshopForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to everyone registered"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationBatchForm(forms.Form):
    label = forms.CharField(
        label=_("Channel"),
        max_length=100,
        help_text=_(
            "Where these invitations go, e.g. 'Letterboxes rue de Bomel' or 'Youth centre'."
        ),
    )
    print_format = forms.ChoiceField(label=_("Format"), choices=PrintFormat.choices)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=5000, initial=1)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class WalkInForm(forms.Form):
    name = forms.CharField(
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

    version = forms.IntegerField(widget=forms.HiddenInput)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"notes_{index}"] = forms.CharField(
                label=question,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def notes(self) -> list[str]:
        return [self.cleaned_data[f"notes_{i}"] for i in range(len(self.questions))]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"notes_{i}"] for i in range(len(self.questions))]
