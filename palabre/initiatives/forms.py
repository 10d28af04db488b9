from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("First name"), max_length=100)
    email = forms.EmailField(
        label=_("Email (optional, only the leads see it)"),
        required=False,
    )
