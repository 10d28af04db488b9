from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.callbacks.models import BestTime
from palabre.core import phones
from palabre.core.forms import ErrorInViewForm, PlainCharField

KEY = r"^[A-Za-z0-9_-]{16,64}$"


class PhoneField(PlainCharField):
    """A phone number as typed, cleaned to E.164 (Belgian when no country code is typed)."""

    def clean(self, value: object) -> str:
        text = super().clean(value)
        return phones.normalise(text) if text else text


class CallbackForm(ErrorInViewForm):
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    name = PlainCharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Tell us whom to ask for when we call.")},
    )
    phone = PhoneField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Write the number we should call.")},
    )
    best_time = forms.ChoiceField(
        label=_("When can we call you?"),
        choices=BestTime.choices,
        initial=BestTime.ANY,
        widget=forms.RadioSelect,
    )
    about = PlainCharField(
        label=_("What is it about? (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words are enough. You can also tell us on the phone."),
    )
