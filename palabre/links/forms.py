from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import ErrorInViewForm


class RecoverForm(ErrorInViewForm):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("It is in the email or on the paper you were given, e.g. JMB-4821."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    contact = forms.CharField(
        label=_("Your email address or phone number"),
        max_length=254,
        help_text=_("The one you gave when you signed up."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
