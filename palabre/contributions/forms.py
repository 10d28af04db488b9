from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.contributions.models import MAX_LENGTH, Theme


class CaptureForm(forms.Form):
    question = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What was said"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "At most %(limit_value)d characters (this text has %(show_value)d): "
                "split it in two."
            )
        },
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
        self.theme_by_id = {theme.pk: theme for theme in themes}
        choices = [(theme.pk, theme.name) for theme in themes]
        self.fields["themes"].choices = choices  # type: ignore[attr-defined]

    def chosen_themes(self) -> list[Theme]:
        """Return the themes ticked, as objects."""
        return [self.theme_by_id[pk] for pk in self.cleaned_data["themes"]]
