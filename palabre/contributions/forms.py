from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palabre.contributions.blurring import Area
from palabre.contributions.models import MAX_LENGTH, Moderation, Reason, Theme
from palabre.core.forms import ErrorInViewForm, PlainCharField, TranslationsForm
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Workshop

KEY = r"^[A-Za-z0-9_-]{16,64}$"
TEXT_ERRORS = {
    "max_length": _(
        "At most %(limit_value)d characters (this text has %(show_value)d): split it in two."
    )
}


class ThemedForm(ErrorInViewForm):
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
    text = PlainCharField(
        label=_("What was said"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )
    table_label = PlainCharField(label=_("Table or group"), max_length=50, required=False)
    author_name = PlainCharField(
        label=_("Said by (nickname, optional)"), max_length=100, required=False
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        # The taxonomy is loaded once per page, not once per question form.
        super().__init__(*args, **kwargs)
        self.offer_themes(themes)


class SheetsForm(ErrorInViewForm):
    """A workshop's paper capture sheets typed in, one box per guiding question."""

    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, question in enumerate(questions):
            self.fields[f"question_{index}"] = PlainCharField(
                label=question,
                required=False,
                max_length=20 * MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("One contribution per paragraph: leave an empty line between two."),
            )

    def paragraphs(self) -> dict[int, list[str]]:
        """The contributions typed under each question (by its position in the guide)."""
        typed = {}
        for name, text in self.cleaned_data.items():
            if name.startswith("question_"):
                found = paragraphs(text)
                if found:
                    typed[int(name.removeprefix("question_"))] = found
        return typed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.paragraphs():
            raise forms.ValidationError(_("Type at least one contribution."))
        return cleaned


class NoteCorrectionForm(ErrorInViewForm):
    """A note corrected during the evening, or moved under another question."""

    text = PlainCharField(
        label=_("What was said"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=TEXT_ERRORS,
    )
    question = forms.TypedChoiceField(label=_("Under the question"), coerce=int)
    table_label = PlainCharField(label=_("Table or group"), max_length=50, required=False)
    author_name = PlainCharField(
        label=_("Said by (nickname, optional)"), max_length=100, required=False
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = list(enumerate(questions))  # type: ignore[attr-defined]


class BoardPostForm(ErrorInViewForm):
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    text = PlainCharField(
        label=_("Your contribution"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=TEXT_ERRORS | {"required": _("Write your contribution.")},
        help_text=_(
            "Say what you see, what you would like, what you could do. Please do not name "
            "neighbours or give anyone's address or phone number."
        ),
    )
    author_name = PlainCharField(
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
    description = PlainCharField(
        label=_("What the photo shows"),
        max_length=300,
        required=False,
        help_text=_("Required with a photo, for people who cannot see it."),
    )
    texts = PlainCharField(
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


class HideForm(ErrorInViewForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    note = PlainCharField(
        label=_("Explanation for the author (optional)"),
        max_length=MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(ErrorInViewForm):
    text = PlainCharField(
        label=_("Why should it be published?"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=TEXT_ERRORS | {"required": _("Say why it should be published.")},
    )


class DecideAppealForm(ErrorInViewForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Publish it again")), ("reject", _("Keep it hidden"))],
        widget=forms.RadioSelect,
    )
    answer = PlainCharField(
        label=_("Answer to the author"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(ErrorInViewForm):
    q = PlainCharField(label=_("Words to look for"), max_length=200, required=False)
    # From a neighbourhood's board: its slug, to look there only (empty: everywhere).
    quartier = forms.SlugField(required=False, widget=forms.HiddenInput)


class BlurForm(ErrorInViewForm):
    """An area of a photo to blur, in percentages from its top left corner (no JavaScript)."""

    # The version of the photo the moderator looked at (the page writes it in a hidden input):
    # a blur made meanwhile is never undone.
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    x = forms.IntegerField(label=_("From the left edge (%)"), min_value=0, max_value=99)
    y = forms.IntegerField(label=_("From the top edge (%)"), min_value=0, max_value=99)
    width = forms.IntegerField(label=_("Width (%)"), min_value=1, max_value=100)
    height = forms.IntegerField(label=_("Height (%)"), min_value=1, max_value=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"x", "width"} <= data.keys() and data["x"] + data["width"] > 100:
            self.add_error(
                "width",
                _("The area goes past the right edge: %(max)d %% at most from there.")
                % {"max": 100 - data["x"]},
            )
        if {"y", "height"} <= data.keys() and data["y"] + data["height"] > 100:
            self.add_error(
                "height",
                _("The area goes past the bottom edge: %(max)d %% at most from there.")
                % {"max": 100 - data["y"]},
            )
        return data

    def area(self) -> Area:
        """The area to blur, once the form is valid."""
        data = self.cleaned_data
        return Area(x=data["x"], y=data["y"], width=data["width"], height=data["height"])


class ThemeNameForm(ErrorInViewForm):
    """The name of a new theme, or a theme's new name."""

    name = PlainCharField(label=_("Name"), max_length=80)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["name"].label = label


BOARD_STATES = {
    "open": (
        pgettext_lazy("board state", "Open"),
        _("Residents post online, with or without an account."),
    ),
    "closed": (
        pgettext_lazy("board state", "Closed"),
        _("Residents read what was said here, but nobody can post online."),
    ),
}
MODERATION_EXPLAINED = {
    Moderation.PRE: _(
        "A moderator reads each contribution, online, on paper or noted at a workshop, before "
        "anyone else can read it."
    ),
    Moderation.POST: _(
        "Contributions are published at once; a moderator reads them afterwards and hides what "
        "breaks the rules."
    ),
}


class BoardSettingsForm(TranslationsForm):
    """Whether a neighbourhood's online board is open, its moderation, its question, the
    language it is written in and its translations (`prompt_nl`, …)."""

    translated = ("prompt",)

    state = forms.ChoiceField(
        label=_("Online board"),
        choices=[(value, label) for value, (label, _explained) in BOARD_STATES.items()],
        widget=forms.RadioSelect,
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Moderation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Applies to everything said in this neighbourhood, online or not, from now on: "
            "contributions already waiting stay waiting for a moderator."
        ),
    )
    trust_facilitators = forms.TypedChoiceField(
        label=_("What the facilitators note at workshops"),
        choices=[
            ("no", _("Waits for a moderator, like the rest, under pre-moderation")),
            ("yes", _("Published at once: the service trusts them (still masked)")),
        ],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=False,  # type: ignore[arg-type]  # nothing chosen: not trusted
        widget=forms.RadioSelect,
        help_text=_(
            "Names, addresses and phone numbers are masked automatically either way. Paper "
            "notes and online posts follow the moderation above."
        ),
    )
    prompt = PlainCharField(
        label=_("Question shown on the board (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: What would make life better in your street?"),
    )
    language = forms.ChoiceField(
        label=_("Language the question is written in"),
        choices=settings.LANGUAGES,
        required=False,
    )

    def translation_fields(self) -> dict[str, forms.Field]:
        return {
            "prompt": PlainCharField(
                label=_("Question shown on the board"),
                max_length=300,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        }

    def clean_language(self) -> str:
        """Not sent (a page from before the question had translations): the board's."""
        return str(self.cleaned_data["language"] or self.item.language)

    def state_choices(self) -> list[tuple[Any, Any]]:
        """Each radio button of the state, with its sentence of explanation."""
        return [(choice, BOARD_STATES[choice.data["value"]][1]) for choice in self["state"]]

    def moderation_choices(self) -> list[tuple[Any, Any]]:
        """Each radio button of the moderation, with its sentence of explanation."""
        return [
            (choice, MODERATION_EXPLAINED[choice.data["value"]]) for choice in self["moderation"]
        ]
