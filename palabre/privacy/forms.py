from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import ErrorInViewForm


class EraseAccountForm(ErrorInViewForm):
    confirm = forms.BooleanField(
        label=_("I understand: my account and my contact details are erased for ever."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EraseLinkForm(ErrorInViewForm):
    confirm = forms.BooleanField(
        label=_(
            "I understand: my contact details are erased for ever and this link stops working."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )
