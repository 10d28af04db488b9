from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.initiatives.models import Playbook


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("First name"), max_length=100)
    email = forms.EmailField(
        label=_("Email (optional, only the leads see it)"),
        required=False,
    )


class StartForm(forms.Form):
    playbook = forms.ModelChoiceField[Playbook](
        label=_("Playbook"), queryset=Playbook.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(
        label=_("Date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, playbooks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = playbooks  # type: ignore[attr-defined]
