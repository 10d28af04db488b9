from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.contributions.models import MAX_LENGTH, Reason, Theme
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Workshop

KEY = r"^[A-Za-z0-9_-]{16,64}$"
TEXT_ERRORS = {
    "max_length": _(
        "At most %(limit_value)d characters (this text has %(show_value)d): split it in two."
    )
}


class ThemedForm(forms.Form):
    """A form with a `themes` checkbox field offering the taxonomy loaded once per page."""

    def offer_themes(self, themes: list[Theme]) -> None:
        self.theme_by_id = {theme.pk: theme for theme in themes}
        choices = [(theme.pk, theme.name) for theme in themes]
        self.fields["themes"].choices = choices  # type: ignore[attr-defined]

    def chosen_themes(self) -> list[Theme]:
        """Return the themes ticked, as objects."""
        return [self.theme_by_id[pk] for pk in self.cleaned_data["themes"]]


class CaptureForm(ThemedForm):
    question = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What was said"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )
    table_label = forms.CharField(label=_("Table or group"), max_length=50, required=False)
    author_name = forms.CharField(
        label=_("Said by (nickname, optional)"), max_length=100, required=False
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        # The taxonomy is loaded once per page, not once per question form.
        super().__init__(*args, **kwargs)
        self.offer_themes(themes)


class BoardPostForm(forms.Form):
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your contribution"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=TEXT_ERRORS,
        help_text=_(
            "Say what you see, what you would like, what you could do. Please do not name "
            "neighbours or give anyone's address or phone number."
        ),
    )
    author_name = forms.CharField(
        label=_("Nickname (optional)"),
        max_length=100,
        required=False,
        help_text=_("Shown with your contribution; leave empty to stay anonymous."),
    )
    email = forms.EmailField(
        label=_("Email (optional, never shown)"),
        required=False,
        help_text=_("To be told when your contribution is published or answered."),
    )


def paragraphs(text: str) -> list[str]:
    """Split typed text at empty lines into stripped, non-empty paragraphs."""
    return [
        part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()
    ]


class TranscribeForm(ThemedForm):
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none()
    )
    workshop = forms.ModelChoiceField[Workshop](
        label=_("Workshop (optional)"), queryset=Workshop.objects.none(), required=False
    )
    photo = forms.FileField(
        label=_("Photo of the board (optional)"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, 10 MB at most; location and camera data are removed."),
    )
    description = forms.CharField(
        label=_("What the photo shows"),
        max_length=300,
        required=False,
        help_text=_("Required with a photo, for people who cannot see it."),
    )
    texts = forms.CharField(
        label=_("Contributions, one per paragraph"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Leave an empty line between two contributions."),
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes of every contribution (optional)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, neighbourhoods: Any, workshops: Any, themes: list[Theme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["workshop"].queryset = workshops  # type: ignore[attr-defined]
        self.offer_themes(themes)

    def paragraphs(self) -> list[str]:
        """The typed contributions: paragraphs separated by empty lines."""
        return paragraphs(self.cleaned_data["texts"])

    def clean_texts(self) -> str:
        text: str = self.cleaned_data["texts"]
        for number, part in enumerate(paragraphs(text), start=1):
            if len(part) > MAX_LENGTH:
                raise forms.ValidationError(
                    _("Contribution %(number)d has %(length)d characters; the limit is %(max)d.")
                    % {"number": number, "length": len(part), "max": MAX_LENGTH}
                )
        return text


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    note = forms.CharField(
        label=_("Explanation for the author (optional)"),
        max_length=MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should it be published?"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=TEXT_ERRORS,
    )


class DecideAppealForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Publish it again")), ("reject", _("Keep it hidden"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the author"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to look for"), max_length=200, required=False)
