from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palabre.contributions.models import Theme
from palabre.conversations.actions import STATEMENT_LENGTH
from palabre.conversations.models import Conversation, Value
from palabre.conversations.permissions import can_run_any_conversation
from palabre.core.forms import (
    ISO_DATE,
    ISO_TIME,
    SHORT_TEXT,
    TEXT,
    TOO_LONG,
    DateField,
    ErrorInViewForm,
    PlainCharField,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Workshop
from palabre.workshops.queries import visible_workshops

# How a vote is sent (the buttons' values), and what it is stored as.
VALUES = {"agree": Value.AGREE, "disagree": Value.DISAGREE, "pass": Value.PASS}
# A workshop ended this long ago is still offered (a conversation started the day after).
RECENT_WORKSHOPS = timedelta(days=60)


class VoteForm(ErrorInViewForm):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    value = forms.ChoiceField(
        choices=[(key, key) for key in VALUES],
        error_messages={"required": _("Choose agree, disagree or pass.")},
    )

    def vote(self) -> int:
        return VALUES[self.cleaned_data["value"]]


class ProposeForm(ErrorInViewForm):
    text = PlainCharField(
        label=_("Your statement"),
        max_length=STATEMENT_LENGTH,
        help_text=_(
            "One short sentence others can agree or disagree with, such as: “The square needs "
            "more benches in the shade.” It is read by the team before it is shown. Do not write "
            "names, phone numbers or addresses: they would be masked."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_LENGTH}),
        error_messages=TOO_LONG | {"required": _("Write your statement.")},
    )


class SeedForm(ErrorInViewForm):
    statements = PlainCharField(
        label=_("Statements, one per line"),
        max_length=TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=TOO_LONG | {"required": _("Write at least one statement.")},
    )

    def texts(self) -> list[str]:
        return _lines(self.cleaned_data["statements"])


class ModerateForm(ErrorInViewForm):
    decision = forms.ChoiceField(
        choices=[("accept", "accept"), ("reject", "reject")],
        error_messages={"required": _("Choose to accept or reject the statement.")},
    )
    text = PlainCharField(
        label=_("Statement as it will be shown"),
        max_length=STATEMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=TOO_LONG,
    )


class ConversationForm(ErrorInViewForm):
    """A conversation's title, where it belongs and when votes are open."""

    title = PlainCharField(
        label=_("Question put to residents"),
        max_length=200,
        help_text=_("For example: What should the Bomel square become?"),
        error_messages=TOO_LONG | {"required": _("Give the conversation its question.")},
    )
    workshop = forms.ModelChoiceField[Workshop](
        label=_("Workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("No workshop (online only)"),
    )
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("The whole city"),
    )
    theme = forms.ModelChoiceField[Theme](
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("No theme")
    )
    opens_on = DateField(label=_("Votes open on"), widget=ISO_DATE)
    opens_time = forms.TimeField(label=_("at"), widget=ISO_TIME)
    closes_on = DateField(label=_("Votes close on"), widget=ISO_DATE)
    closes_time = forms.TimeField(label=_("at"), widget=ISO_TIME)
    is_published = forms.BooleanField(
        label=_("Published: residents see it (leave unticked while you prepare it)"),
        required=False,
    )

    def __init__(
        self, *args: Any, user: Any, conversation: Conversation | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        since = timezone.now() - RECENT_WORKSHOPS
        # Recent and coming workshops, and the conversation's own however old it is.
        current = (
            Q(pk=conversation.workshop_id) if conversation and conversation.workshop_id else Q()
        )
        workshops = (
            visible_workshops(user)
            .filter(Q(starts_at__gte=since) | current)
            .prefetch_related(None)  # a label needs the neighbourhood's name, nothing more
            .select_related(None)
            .select_related("neighbourhood")
            .order_by("starts_at")
        )
        field = self.fields["workshop"]
        assert isinstance(field, forms.ModelChoiceField)
        if not can_run_any_conversation(user):
            workshops = workshops.filter(facilitators=user)
            field.required = True
            field.empty_label = None
        field.queryset = workshops
        field.label_from_instance = _workshop_label  # type: ignore[method-assign,assignment]
        places = self.fields["neighbourhood"]
        assert isinstance(places, forms.ModelChoiceField)
        places.queryset = Neighbourhood.objects.order_by("position", "name")
        themes = self.fields["theme"]
        assert isinstance(themes, forms.ModelChoiceField)
        themes.queryset = Theme.objects.filter(is_active=True).order_by("position", "name")

    @classmethod
    def initial_for(cls, conversation: Conversation | None) -> dict[str, Any]:
        """The form's initial values: the conversation's, or for a new one a week from now."""
        zone = timezone.get_current_timezone()
        if conversation is None:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            return _moments(start, start + timedelta(days=14))
        opens = conversation.opens_at or timezone.now()
        closes = conversation.closes_at or opens + timedelta(days=14)
        return {
            "title": conversation.title,
            "workshop": conversation.workshop_id,
            "neighbourhood": conversation.neighbourhood_id,
            "theme": conversation.theme_id,
            "is_published": conversation.is_published,
        } | _moments(opens.astimezone(zone), closes.astimezone(zone))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        zone = timezone.get_current_timezone()
        opens = datetime.combine(data["opens_on"], data["opens_time"], tzinfo=zone)
        closes = datetime.combine(data["closes_on"], data["closes_time"], tzinfo=zone)
        if closes <= opens:
            self.add_error("closes_on", _("Votes close after they open."))
        workshop = data.get("workshop")
        if workshop is not None and data.get("neighbourhood") is None:
            data["neighbourhood"] = workshop.neighbourhood
        data["opens_at"], data["closes_at"] = opens, closes
        return data

    def fields_to_save(self) -> dict[str, Any]:
        names = ["workshop", "neighbourhood", "theme", "opens_at", "closes_at", "is_published"]
        return {name: self.cleaned_data[name] for name in names}


class NewConversationForm(ConversationForm):
    statements = PlainCharField(
        label=_("First statements, one per line (you can add more later)"),
        max_length=SHORT_TEXT * 5,
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=TOO_LONG,
    )

    def texts(self) -> list[str]:
        return _lines(self.cleaned_data["statements"])


def _lines(text: str) -> list[str]:
    """The statements typed one per line (empty lines left out)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _moments(opens: datetime, closes: datetime) -> dict[str, Any]:
    return {
        "opens_on": opens.date(),
        "opens_time": opens.time().replace(second=0, microsecond=0),
        "closes_on": closes.date(),
        "closes_time": closes.time().replace(second=0, microsecond=0),
    }


def _workshop_label(workshop: Workshop) -> str:
    when = timezone.localtime(workshop.starts_at).strftime("%d/%m/%Y") if workshop.starts_at else ""
    place = workshop.neighbourhood.name if workshop.neighbourhood else ""
    return " — ".join(part for part in (workshop.title, place, when) if part)
