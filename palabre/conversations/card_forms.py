"""Forms of the paper cards: which cards to print, and one card's ticked boxes as keyed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from palabre.conversations.card_actions import LAST_CARD
from palabre.conversations.models import Statement, Value
from palabre.core.forms import ErrorInViewForm

MOST_CARDS = 200


class PrintForm(ErrorInViewForm):
    """Which cards to print (read from the query string of the PDF's address)."""

    count = forms.IntegerField(
        label=_("How many cards"),
        min_value=1,
        max_value=MOST_CARDS,
        error_messages={
            "required": _("Type how many cards to print."),
            "invalid": _("Type how many cards to print as a whole number, for example 30."),
            "min_value": _("Print at least 1 card."),
            "max_value": _("Print at most %(limit_value)s cards at once."),
        },
    )
    first = forms.IntegerField(
        label=_("Number of the first card"),
        min_value=1,
        max_value=LAST_CARD,
        help_text=_("The cards are numbered from this number on."),
        error_messages={
            "required": _("Type the number of the first card."),
            "invalid": _("Type the number of the first card as a whole number, for example 1."),
            "min_value": _("Card numbers start at 1."),
            "max_value": _("Card numbers go up to %(limit_value)s."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the printed cards"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose French, Dutch or English.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count, first = data.get("count"), data.get("first")
        if count and first and first + count - 1 > LAST_CARD:
            self.add_error(
                "first",
                _("Card numbers go up to %(last)d: start lower or print fewer cards.")
                % {"last": LAST_CARD},
            )
        return data


# The boxes of a card, in the card's order; the last choice is the box left blank.
BLANK = ""
VOTE_CHOICES = [
    (str(Value.AGREE), _("Agree")),
    (str(Value.DISAGREE), _("Disagree")),
    (str(Value.PASS), _("Pass")),
    (BLANK, _("Left blank")),
]


def statement_field_name(statement: Statement) -> str:
    """The name of a statement's radios: by statement, not by place (statements added after
    printing do not shift the others' answers)."""
    return f"s{statement.pk}"


class CardForm(ErrorInViewForm):
    """The boxes ticked on one paper card: its number and, for each open statement, the box
    ticked or none."""

    number = forms.IntegerField(
        label=_("Card number (printed on the card)"),
        min_value=1,
        max_value=LAST_CARD,
        error_messages={
            "required": _("Type the number printed on the card."),
            "invalid": _("Type the card's number as a whole number, for example 12."),
            "min_value": _("Card numbers start at 1."),
            "max_value": _("Card numbers go up to %(limit_value)s."),
        },
    )
    # The card whose stored votes the screen showed: keying over them is then a correction.
    shown = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, statements: Sequence[Statement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for position, statement in enumerate(self.statements, start=1):
            self.fields[statement_field_name(statement)] = forms.TypedChoiceField(
                label=f"{position}. {statement.text}",
                choices=VOTE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose agree, disagree, pass or blank.")},
            )

    def votes(self) -> dict[int, int]:
        """Statement id -> the box ticked, for the boxes ticked (after validation)."""
        found: dict[int, int] = {}
        for statement in self.statements:
            value = self.cleaned_data.get(statement_field_name(statement))
            if value is not None:
                found[statement.pk] = value
        return found

    def rows(self) -> list[tuple[int, Statement, forms.BoundField]]:
        """(number on the card, statement, its radios), in the card's order."""
        return [
            (position, statement, self[statement_field_name(statement)])
            for position, statement in enumerate(self.statements, start=1)
        ]

    def show_stored(self, number: int) -> None:
        """Mark the card's stored votes as shown: saving again corrects them (what was typed is
        kept)."""
        typed = QueryDict(mutable=True)
        typed.update(self.data)
        typed["shown"] = str(number)
        self.data = typed
