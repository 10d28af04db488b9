from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.callbacks.models import BestTime
from palabre.core.forms import ErrorInViewForm, PhoneField, PlainCharField

KEY = r"^[A-Za-z0-9_-]{16,64}$"


class CallbackForm(ErrorInViewForm):
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    name = PlainCharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Tell us whom to ask for when we call.")},
    )
    phone = PhoneField(
        label=_("Your phone number"),
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
