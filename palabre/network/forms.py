"""Parsing of the network pages' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import ErrorInViewForm, PlainCharField, text_field
from palabre.network.models import CONTENT_LANGUAGES


class FollowForm(ErrorInViewForm):
    url = PlainCharField(
        label=_("Address of the other city's feed"),
        max_length=500,
        help_text=_("The other city gives it; it ends with /reseau/flux.json."),
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ShareForm(ErrorInViewForm):
    """One switch: share (or open) the item, or stop."""

    shared = forms.BooleanField(required=False)
    language = forms.ChoiceField(
        label=_("Language of the playbook"), choices=CONTENT_LANGUAGES, required=False
    )


class ImportForm(ErrorInViewForm):
    key = PlainCharField(max_length=100)


def _questions(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class FormatForm(ErrorInViewForm):
    """A format's duration and, for each language, its title and questions (one per line)."""

    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60
    )

    def __init__(self, *args: Any, original: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.original = original
        for code, name in CONTENT_LANGUAGES:
            self.fields[f"title_{code}"] = PlainCharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=200,
                required=code == original,
            )
            self.fields[f"questions_{code}"] = text_field(
                _("Guiding questions in %(language)s, one per line") % {"language": name},
                max_length=5_000,
                required=False,
                rows=5,
            )
            for name in (f"title_{code}", f"questions_{code}"):
                self.fields[name].widget.attrs["lang"] = code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, _name in CONTENT_LANGUAGES:
            if len(_questions(data.get(f"questions_{code}") or "")) > 30:
                self.add_error(f"questions_{code}", _("At most 30 questions."))
        return data

    def texts(self) -> dict[str, dict[str, Any]]:
        return {
            code: {
                "title": self.cleaned_data.get(f"title_{code}") or "",
                "guiding_questions": _questions(self.cleaned_data.get(f"questions_{code}") or ""),
            }
            for code, _name in CONTENT_LANGUAGES
        }


def format_initial(item: Any, texts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    initial: dict[str, Any] = {"duration_minutes": item.duration_minutes}
    for code, given in texts.items():
        initial[f"title_{code}"] = given.get("title", "")
        initial[f"questions_{code}"] = "\n".join(given.get("guiding_questions") or [])
    return initial
