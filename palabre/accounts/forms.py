from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from palabre.accounts.models import RequestNews
from palabre.core.forms import ErrorInViewForm


class PasswordSignInForm(ErrorInViewForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeRequestForm(ErrorInViewForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class CodeSignInForm(ErrorInViewForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    code = forms.RegexField(
        label=_("Code received by email"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Six digits."),
        error_messages={"invalid": _("The code is made of six digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8}
        ),
    )


class LanguageForm(ErrorInViewForm):
    preferred_language = forms.ChoiceField(
        label=_("Language of the pages and emails"),
        choices=settings.LANGUAGES,
        help_text=_("Emails, reminders and answers reach you in this language."),
    )


class RequestNewsForm(ErrorInViewForm):
    """How someone who answers requests hears of a new one (shown on "My account" only to
    them; the page explains each choice)."""

    request_news = forms.ChoiceField(
        label=_("How do you hear of a new request?"),
        choices=RequestNews.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two ways.")},
    )
