from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from palabre.accounts.models import User
from palabre.contributions.forms import KEY
from palabre.contributions.models import Contribution, Theme
from palabre.conversations.models import Statement
from palabre.core import phones
from palabre.core.forms import (
    FIRST_YEAR,
    INTEGER,
    ISO_DATE,
    LAST_YEAR,
    SHORT_TEXT,
    SMALL_INTEGER,
    TEXT,
    TOO_LONG,
    DateField,
    ErrorInViewForm,
    ModelMultipleChoiceField,
    PlainCharField,
    TranslationsForm,
    text_field,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import (
    TRANSLATED_FIELDS,
    AnswerKind,
    Department,
    Progress,
    ReceivedVia,
)
from palabre.outbox.queries import sms_configured
from palabre.workshops.models import Workshop


class DraftForm(ErrorInViewForm):
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    asked = text_field(_("What is asked"))
    why = text_field(_("Why (optional)"), required=False, rows=3)
    contributions = ModelMultipleChoiceField[Contribution](
        label=_("What residents said (evidence)"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Offered grouped by conversation (the template lists them); only accepted statements of
    # conversations the writer sees (queries.attachable_statements).
    statements = ModelMultipleChoiceField[Statement](
        label=_("Statements of opinion conversations it rests on (optional)"),
        queryset=Statement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The request's page then shows how many opinion groups mostly agree with them."
        ),
        error_messages={
            "invalid_choice": _(
                "Statement %(value)s cannot be chosen: choose statements open to votes in "
                "conversations you can see."
            ),
        },
    )
    workshop = forms.ModelChoiceField[Workshop](
        label=_("Workshop where it was agreed (optional)"),
        queryset=Workshop.objects.none(),
        required=False,
    )
    residents_present = forms.IntegerField(
        label=_("Residents present when it was agreed (optional)"),
        min_value=0,
        max_value=SMALL_INTEGER,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        neighbourhoods: Any,
        contributions: Any,
        workshops: Any,
        statements: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops  # type: ignore[attr-defined]
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["contributions"].queryset = contributions  # type: ignore[attr-defined]
        self.fields["statements"].queryset = statements  # type: ignore[attr-defined]

    def chosen_statements(self) -> set[str]:
        """The keys of the statements ticked (as typed, or offered by the link)."""
        value = self["statements"].value() or []
        return {str(key) for key in value}


class RequestTextsForm(TranslationsForm):
    """The language the request was written in, and its title, what is asked and why in the
    site's other languages (`title_nl`, `asked_nl`, `why_nl`…)."""

    translated = TRANSLATED_FIELDS
    language = forms.ChoiceField(
        label=_("Language the request is written in"), choices=settings.LANGUAGES
    )

    def translation_fields(self) -> dict[str, forms.Field]:
        return {
            "title": PlainCharField(label=_("Title"), max_length=200, required=False),
            "asked": text_field(_("What is asked"), required=False),
            "why": text_field(_("Why"), required=False, rows=3),
        }


class SendForm(ErrorInViewForm):
    official = forms.ModelChoiceField[User](
        label=_("Official"), queryset=User.objects.none(), required=False
    )
    department = forms.ModelChoiceField[Department](
        label=_("or department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, officials: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = officials  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class AnswerForm(ErrorInViewForm):
    version = forms.IntegerField(min_value=1, max_value=INTEGER, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices)
    text = text_field(_("Written answer, as residents will read it"), rows=5)
    planned_for = DateField(
        label=_("Planned for (for a planned answer)"),
        required=False,
        # ISO: a date field shows nothing of "15/06/2027", and a revision lost its date.
        widget=ISO_DATE,
    )
    what_changed = PlainCharField(
        label=_("What changed (shown to residents)"),
        max_length=300,
        required=False,
        help_text=_("Required when you revise an answer already published."),
    )


class MovePlannedDateForm(ErrorInViewForm):
    """A planned answer whose date moves: the new date and why, for the residents."""

    prefix = "move"

    version = forms.IntegerField(min_value=1, max_value=INTEGER, widget=forms.HiddenInput)
    planned_for = DateField(label=_("New planned date"), widget=ISO_DATE)
    reason = PlainCharField(
        label=_("Why it moves (shown to residents)"),
        max_length=300,
        error_messages={"required": _("Say why the date moves: residents read it.")},
    )


class RecordAnswerForm(AnswerForm):
    """An answer the addressee gave outside Palabre, recorded by the service (prefixed: the
    addressee's own answer form may be on the same page)."""

    prefix = "record"

    received_via = forms.ChoiceField(label=_("Received"), choices=[("", "—"), *ReceivedVia.choices])
    document = forms.ImageField(
        label=_("Scan or photo of the answer (optional)"),
        required=False,
        help_text=_("An image, 10 MB at most; location and camera data are removed."),
    )


class MemberForm(ErrorInViewForm):
    email = forms.EmailField(
        label=_("Email address of the account to add"),
        help_text=_("The person's Palabre account; they are told by email."),
    )


class NoteForm(ErrorInViewForm):
    note = text_field(_("Note"), rows=2, error_messages={"required": _("Write the note.")})
    public = forms.BooleanField(label=_("Public (residents see it)"), required=False)


class QuestionForm(ErrorInViewForm):
    question = text_field(
        _("Question"),
        max_length=SHORT_TEXT,
        rows=2,
        error_messages={"required": _("Write the question.")},
    )


class RedirectNoteForm(ErrorInViewForm):
    note = text_field(_("Note (optional)"), max_length=SHORT_TEXT, required=False, rows=2)
    # The service only (the action re-checks): deadlines counted again from today.
    new_deadlines = forms.BooleanField(required=False)


class InboxFilterForm(ErrorInViewForm):
    """The addressee's to-do list narrowed to a neighbourhood or a theme (both optional), in
    order of deadline or of support across opinion groups."""

    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField[Theme](
        label=_("Theme"),
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("", _("By deadline")),
            ("support", _("By support across opinion groups")),
        ],
        required=False,
        help_text=_("Late requests stay first either way."),
    )

    def __init__(self, *args: Any, neighbourhoods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]


class YearForm(ErrorInViewForm):
    """The year of the calendar shown (`?annee=2027`); anything else shows the current one."""

    annee = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


class ClosedDayForm(ErrorInViewForm):
    day = DateField(
        label=_("Date"),
        widget=ISO_DATE,
        error_messages={"required": _("Give the date."), "invalid": _("Give a valid date.")},
    )
    name = PlainCharField(
        label=_("Name of the closed day"),
        max_length=100,
        help_text=_("As people will read it, for example “Fêtes de Wallonie”."),
        error_messages=TOO_LONG | {"required": _("Give the closed day its name.")},
    )


class AnswerTemplateForm(ErrorInViewForm):
    title = PlainCharField(
        label=_("Title"),
        max_length=120,
        help_text=_("What officials see in the list of ready answers."),
        error_messages=TOO_LONG | {"required": _("Give the template a title.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=[("", "—"), *AnswerKind.choices],
        error_messages={"required": _("Choose the kind of answer.")},
    )
    text = text_field(
        _("Text of the answer"),
        rows=6,
        error_messages={"required": _("Write the text of the answer.")},
    )


class UpdateForm(ErrorInViewForm):
    """A progress update for the residents: news, the work started, it is done; a photo."""

    prefix = "update"

    progress = forms.ChoiceField(
        label=_("What is new"),
        choices=Progress.choices,
        initial=Progress.NEWS,
        widget=forms.RadioSelect,
    )
    note = text_field(
        _("In a few words (shown to residents)"), max_length=SHORT_TEXT, required=False, rows=3
    )
    photo = forms.ImageField(
        label=_("A photo (optional)"),
        required=False,
        help_text=_("An image, 10 MB at most; location and camera data are removed."),
    )


class ReplyForm(ErrorInViewForm):
    """A resident's reply to a question to the neighbourhood (with or without an account)."""

    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    text = text_field(
        _("Your reply"),
        max_length=SHORT_TEXT,
        help_text=_("Shown under the question without your name. Do not write anyone's name."),
        error_messages={"required": _("Write your reply before sending it.")},
    )
    follow = forms.BooleanField(
        label=_("Tell me by email when the request makes progress"), required=False, initial=True
    )


class PaperRepliesForm(ErrorInViewForm):
    """Replies written on paper (at a workshop, on the printout), typed in by a facilitator."""

    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    workshop = forms.ModelChoiceField[Workshop](
        label=_("Where they were written"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("Elsewhere (a letter, at the office)"),
    )
    language = forms.ChoiceField(label=_("Language of the replies"), choices=settings.LANGUAGES)
    replies = text_field(
        _("The replies, as written"),
        max_length=TEXT,
        rows=8,
        help_text=_(
            "One reply per paragraph: leave an empty line between two replies. Leave out "
            "names and anything that tells who wrote it."
        ),
        error_messages={"required": _("Type at least one reply.")},
    )

    def __init__(self, *args: Any, workshops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops  # type: ignore[attr-defined]

    def clean_replies(self) -> list[str]:
        """The paragraphs typed, each one a reply; a paragraph longer than a reply is refused."""
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", self.cleaned_data["replies"])]
        paragraphs = [part for part in paragraphs if part]
        if not paragraphs:
            raise forms.ValidationError(_("Type at least one reply."))
        too_long = [n for n, part in enumerate(paragraphs, 1) if len(part) > SHORT_TEXT]
        if too_long:
            raise forms.ValidationError(
                _("Reply %(number)d is longer than %(limit)d characters: is an empty line missing?")
                % {"number": too_long[0], "limit": SHORT_TEXT}
            )
        return paragraphs


class ContactFollowForm(ErrorInViewForm):
    """Follow a request without an account: an email address or a mobile number."""

    contact = PlainCharField(
        label=_("Your email address or mobile number"),
        max_length=254,
        help_text=_("We send you a message to confirm; then only the news of this request."),
        error_messages={"required": _("Write your email address or your mobile number.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A text message is promised only when one can be sent (outbox.sms).
        self.by_sms = sms_configured()
        if not self.by_sms:
            field = self.fields["contact"]
            field.label = _("Your email address")
            field.error_messages["required"] = _("Write your email address.")

    def clean_contact(self) -> dict[str, str]:
        """{"email": …} or {"phone": …} (E.164) from what was typed."""
        text = self.cleaned_data["contact"].strip()
        if "@" not in text and not self.by_sms:
            raise forms.ValidationError(
                _("Write an email address (like name@example.be): text messages are not sent here.")
            )
        if "@" in text:
            try:
                validate_email(text)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("This email address is incomplete: check it (like name@example.be).")
                ) from None
            return {"email": text.lower()}
        try:
            return {"phone": phones.normalise(text)}
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Write an email address, or a mobile number like 0470 12 34 56.")
            ) from None
