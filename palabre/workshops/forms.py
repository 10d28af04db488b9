from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from palabre.accounts.models import User
from palabre.core.forms import (
    INTEGER,
    ISO_DATE,
    LONG_TEXT,
    SHORT_TEXT,
    TEXT,
    TOO_LONG,
    DateField,
    ErrorInViewForm,
    PeriodForm,
    PhoneField,
    PlainCharField,
    TranslationsForm,
    text_field,
)
from palabre.neighbourhoods.models import Neighbourhood, Partner, Venue
from palabre.outbox.queries import sms_configured
from palabre.workshops.actions import Newcomer, SheetLine
from palabre.workshops.models import (
    TRANSLATED_FIELDS,
    TRANSLATED_SESSION_FIELDS,
    Cycle,
    EventKind,
    PrintFormat,
    Workshop,
)

# The answers to "Where do you live?" that are not a followed city's name.
HOME_HERE = "here"
HOME_ELSEWHERE = "elsewhere"


class RegistrationForm(ErrorInViewForm):
    name = PlainCharField(
        label=_("Your first name or a nickname"),
        max_length=100,
        error_messages={"required": _("Write your first name or a nickname.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Optional: for a confirmation, a reminder and the link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("Optional: so that the service can reach you if the workshop changes."),
    )
    needs_childcare = forms.BooleanField(label=_("I need childcare"), required=False)
    needs_step_free_access = forms.BooleanField(label=_("I need step-free access"), required=False)
    needs_hearing_loop = forms.BooleanField(
        label=_("I need a hearing loop (for hearing aids)"), required=False
    )
    interpretation_language = PlainCharField(
        label=_("I would like interpretation into"),
        required=False,
        max_length=50,
        help_text=_("A language, e.g. Arabic, Turkish, sign language."),
    )
    channel = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    # Put in the form by the server: sending the same form twice registers once.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, home_cities: list[str] | None = None, **kwargs: Any) -> None:
        """`home_cities`: the cities this city follows, for an event open to other cities (the
        form then asks where the person lives); None for any other workshop."""
        super().__init__(*args, **kwargs)
        if sms_configured():  # a text message is promised only when one can be sent
            self.fields["phone"].help_text = _(
                "Optional: without an email, the reminder and any change come by text message."
            )
        if home_cities is not None:
            self.fields["home_city"] = forms.ChoiceField(
                label=_("Where do you live?"),
                choices=[
                    (HOME_HERE, settings.CITY_NAME),
                    *((name, name) for name in home_cities),
                    (HOME_ELSEWHERE, _("Elsewhere")),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say where you live (or choose “Elsewhere”)."),
                    "invalid_choice": _("Choose one of the places listed."),
                },
            )
            self.order_fields(["name", "email", "phone", "home_city"])

    def clean_home_city(self) -> str:
        """This city is stored as blank (the same as for a workshop that does not ask)."""
        value: str = self.cleaned_data["home_city"]
        return "" if value == HOME_HERE else value


class DuplicateCycleForm(ErrorInViewForm):
    name = PlainCharField(label=_("Name of the new cycle"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=50,
        help_text=_("Letters, digits and hyphens, e.g. 2027-2028."),
        error_messages={"invalid": _("Use only letters, digits and hyphens, e.g. 2027-2028.")},
    )
    starts_on = DateField(
        label=_("The new cycle starts on"),
        help_text=_("Each workshop moves by whole weeks, so it keeps its weekday and its time."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = DateField(
        label=_("It ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A cycle cannot end before it starts."))
        return data


class CycleForm(ErrorInViewForm):
    name = PlainCharField(label=_("Name"), max_length=120, help_text=_("E.g. Ateliers 2027–2028."))
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=50,
        help_text=_("Letters, digits and hyphens, e.g. 2027-2028."),
        error_messages={"invalid": _("Use only letters, digits and hyphens, e.g. 2027-2028.")},
    )
    starts_on = DateField(label=_("Starts on"), widget=ISO_DATE)
    ends_on = DateField(label=_("Ends on"), widget=ISO_DATE)
    workshops_per_neighbourhood = forms.IntegerField(
        label=_("Workshops planned per neighbourhood"), min_value=1, max_value=50, initial=3
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"),
        queryset=Neighbourhood.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one neighbourhood.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A cycle cannot end before it starts."))
        return data


def next_years(text: str, years: int = 1) -> str:
    """`text` with every year in it moved on: "Ateliers 2026–2027" -> "Ateliers 2027–2028"."""
    return re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", lambda found: str(int(found[0]) + years), text)


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def duplicate_defaults(cycle: Cycle) -> dict[str, Any]:
    """What the copy of `cycle` is called and when it runs, a year on, unless changed."""
    return {
        "name": next_years(cycle.name),
        "slug": next_years(cycle.slug),
        "starts_on": _a_year_on(cycle.starts_on),
        "ends_on": _a_year_on(cycle.ends_on),
    }


class CancelWorkshopForm(ErrorInViewForm):
    reason = text_field(_("Reason, sent to everyone registered"), max_length=SHORT_TEXT, rows=3)


class InvitationBatchForm(ErrorInViewForm):
    label = PlainCharField(
        label=_("Channel"),
        max_length=100,
        help_text=_(
            "Where these invitations go, e.g. 'Letterboxes rue de Bomel' or 'Youth centre'."
        ),
    )
    print_format = forms.ChoiceField(label=_("Format"), choices=PrintFormat.choices)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=5000, initial=1)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, announced: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not announced:
            self.fields["before_announcement"] = forms.BooleanField(
                label=_(
                    "I understand: until the workshop is announced, the QR code leads to a page "
                    "saying it is not announced yet."
                ),
                error_messages={"required": _("Tick the box to print before the announcement.")},
            )


FIRST_TIME_CHOICES = [
    ("", _("Not asked")),
    ("yes", _("Yes, first time")),
    ("no", _("No, came before")),
]


def first_time_of(answer: str) -> bool | None:
    return {"yes": True, "no": False}.get(answer)


def first_time_answer(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class WalkInForm(ErrorInViewForm):
    name = PlainCharField(
        label=_("First name (leave empty for someone who prefers not to say)"),
        max_length=100,
        required=False,
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("Only if the person wants news of what comes of the workshop."),
    )
    channel = forms.ChoiceField(label=_("How did you hear about it?"), required=False)
    first_time = forms.ChoiceField(
        label=_("Is it your first workshop?"),
        choices=FIRST_TIME_CHOICES,
        required=False,
        help_text=_("Say “no” for someone you recognise, even without an email address."),
    )
    key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput)

    def __init__(self, *args: Any, channels: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels  # type: ignore[attr-defined]

    def clean_first_time(self) -> bool | None:
        return first_time_of(self.cleaned_data["first_time"])


class SignInSheetForm(ErrorInViewForm):
    """The paper sign-in sheet entered after the evening: for each person expected or present,
    whether they came, whether it was their first time and how they heard of it; then the
    people who wrote their name on the paper without having registered."""

    NEW_ROWS = 6

    def __init__(
        self, *args: Any, people: list[Any], channels: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {}
        for person in people:
            initial |= {
                f"present_{person.pk}": person.checked_in_at is not None,
                f"first_time_{person.pk}": first_time_answer(person.first_time),
                f"channel_{person.pk}": person.channel if person.channel in dict(channels) else "",
            }
        super().__init__(*args, **(kwargs | {"initial": initial}))
        self.people = people
        for person in people:
            self.fields[f"present_{person.pk}"] = forms.BooleanField(
                label=_("Came"), required=False
            )
            self.fields[f"first_time_{person.pk}"] = forms.ChoiceField(
                label=_("First time?"), choices=FIRST_TIME_CHOICES, required=False
            )
            self.fields[f"channel_{person.pk}"] = forms.ChoiceField(
                label=_("Heard of it by"), choices=channels, required=False
            )
        for row in range(self.NEW_ROWS):
            self.fields[f"new_name_{row}"] = PlainCharField(
                label=_("Name or nickname"), max_length=100, required=False
            )
            self.fields[f"new_first_time_{row}"] = forms.ChoiceField(
                label=_("First time?"), choices=FIRST_TIME_CHOICES, required=False
            )
            self.fields[f"new_channel_{row}"] = forms.ChoiceField(
                label=_("Heard of it by"), choices=channels, required=False
            )
            self.fields[f"new_key_{row}"] = forms.RegexField(
                regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput
            )

    def lines(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """(person, [came, first time, heard of it by]) for the template."""
        return [
            (person, [self[f"{name}_{person.pk}"] for name in ("present", "first_time", "channel")])
            for person in self.people
        ]

    def new_lines(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (
                row,
                [self[f"new_{name}_{row}"] for name in ("name", "first_time", "channel", "key")],
            )
            for row in range(self.NEW_ROWS)
        ]

    def answers(self) -> list[SheetLine]:
        data = self.cleaned_data
        return [
            SheetLine(
                registration_id=person.pk,
                present=data[f"present_{person.pk}"],
                first_time=first_time_of(data[f"first_time_{person.pk}"]),
                channel=data[f"channel_{person.pk}"],
            )
            for person in self.people
            # Someone added since the page was opened (a second submit of the same sheet): their
            # line was not on it, so what they said is kept.
            if f"first_time_{person.pk}" in self.data
        ]

    def newcomers(self) -> list[Newcomer]:
        data = self.cleaned_data
        return [
            Newcomer(
                name=data[f"new_name_{row}"],
                first_time=first_time_of(data[f"new_first_time_{row}"]),
                channel=data[f"new_channel_{row}"],
                key=data[f"new_key_{row}"],
            )
            for row in range(self.NEW_ROWS)
            if any(data[f"new_{name}_{row}"] for name in ("name", "first_time", "channel"))
        ]


class MinutesForm(ErrorInViewForm):
    """The minutes editor: an introduction, notes under each guiding question, and the outcome."""

    version = forms.IntegerField(min_value=1, max_value=INTEGER, widget=forms.HiddenInput)
    introduction = text_field(_("Introduction"), max_length=TEXT, required=False, rows=3)
    decisions = text_field(_("Decisions"), max_length=10000, required=False)
    next_steps = text_field(_("Next steps"), max_length=10000, required=False)

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"notes_{index}"] = text_field(
                question, max_length=LONG_TEXT, required=False, rows=5
            )

    def notes(self) -> list[str]:
        return [self.cleaned_data[f"notes_{i}"] for i in range(len(self.questions))]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"notes_{i}"] for i in range(len(self.questions))]


class WorkshopAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The back-office's workshop form (the admin gives the model and the fields): the public
    description has a length."""

    description = text_field(_("Description"), required=False, max_length=TEXT)


class SessionAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The back-office's form of an event's session: its description has a length."""

    description = text_field(_("Description"), required=False, max_length=TEXT, rows=3)


MAX_QUESTIONS = 10


def venue_label(venue: Venue) -> str:
    """A venue as the planner needs it: name, places, and what makes it accessible."""
    access = [
        str(label)
        for label, present in (
            (_("step-free"), venue.step_free_access),
            (_("hearing loop"), venue.hearing_loop),
            (_("childcare room"), venue.childcare_room),
        )
        if present
    ]
    places = ngettext("%(count)d place", "%(count)d places", venue.capacity) % {
        "count": venue.capacity
    }
    return " · ".join([venue.name, places, *(access or [str(_("no step-free access"))])])


class WorkshopForm(ErrorInViewForm):
    """Plan or change a workshop from the front office: choices limited to the cycle's
    neighbourhoods, their venues and partners, and the staff who can facilitate."""

    title = PlainCharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, initial=EventKind.WORKSHOP)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        help_text=_("Required for a neighbourhood workshop."),
    )
    day = DateField(label=_("Day"), required=False, widget=ISO_DATE)
    starts = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        help_text=_("Grouped by neighbourhood, with places and accessibility."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the service's facilitators and coordinators."),
    )
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10_000)
    theme = PlainCharField(label=_("Theme"), max_length=200, required=False)
    description = text_field(_("Description"), required=False, rows=4)
    guiding_questions = text_field(
        _("Guiding questions, one per line"),
        max_length=3_000,
        rows=5,
        error_messages={
            "required": _("Write at least one guiding question: what is said is noted under each.")
        },
    )
    key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$", required=False, widget=forms.HiddenInput
    )
    # The workshop's version when the form was opened (a change only; see plan_workshop).
    version = forms.IntegerField(
        min_value=1, max_value=INTEGER, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        cycle: Cycle,
        venues: Any,
        partners: Any,
        facilitators: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        # A change is made from a form that says which version it changes.
        self.fields["version"].required = "version" in self.initial
        self.fields["neighbourhood"].queryset = cycle.neighbourhoods.all()  # type: ignore[attr-defined]
        self.fields["venue"].queryset = venues  # type: ignore[attr-defined]
        groups: dict[str, list[tuple[int, str]]] = {}
        for venue in venues:
            groups.setdefault(venue.neighbourhood.name, []).append((venue.pk, venue_label(venue)))
        self.fields["venue"].choices = [("", "—"), *groups.items()]  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = facilitators  # type: ignore[attr-defined]
        self.fields["facilitators"].label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]

    def clean_guiding_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["guiding_questions"].splitlines()]
        questions = [line for line in lines if line]
        if len(questions) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("At most %(count)d guiding questions: keep the essential ones.")
                % {"count": MAX_QUESTIONS}
            )
        if any(len(question) > 300 for question in questions):
            raise forms.ValidationError(_("A guiding question has at most 300 characters."))
        return questions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, neighbourhood = data.get("kind"), data.get("neighbourhood")
        if kind == EventKind.WORKSHOP and neighbourhood is None and "neighbourhood" in data:
            self.add_error("neighbourhood", _("Choose the neighbourhood of the workshop."))
        self._clean_when(data)
        venue = data.get("venue")
        if (
            kind == EventKind.WORKSHOP
            and neighbourhood
            and venue
            and venue.neighbourhood != neighbourhood
        ):
            self.add_error(
                "venue",
                _("%(venue)s is in %(there)s, not in %(here)s.")
                % {
                    "venue": venue.name,
                    "there": venue.neighbourhood.name,
                    "here": neighbourhood.name,
                },
            )
        if kind == EventKind.WORKSHOP and neighbourhood:
            away = [
                p.name
                for p in data.get("partners", [])
                if neighbourhood not in p.neighbourhoods.all()
            ]
            if away:
                self.add_error(
                    "partners",
                    _("Not working in %(here)s: %(names)s.")
                    % {"here": neighbourhood.name, "names": ", ".join(away)},
                )
        return data

    def _clean_when(self, data: dict[str, Any]) -> None:
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        given = [value is not None for value in (day, starts, ends)]
        if any(given) and not all(given):
            if "day" in data and "starts" in data and "ends" in data:
                self.add_error("day", _("Give the day, the start and the end, or none of them."))
            return
        if not all(given):
            return
        if ends <= starts:  # type: ignore[operator]
            self.add_error("ends", _("A workshop must end after it starts."))
        if not self.cycle.starts_on <= day <= self.cycle.ends_on:  # type: ignore[operator]
            self.add_error(
                "day",
                _("Choose a day within the cycle, from %(start)s to %(end)s.")
                % {
                    "start": formats.date_format(self.cycle.starts_on, "DATE_FORMAT"),
                    "end": formats.date_format(self.cycle.ends_on, "DATE_FORMAT"),
                },
            )

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """The start and end chosen, in the city's time zone."""
        day = self.cleaned_data.get("day")
        if day is None:
            return None, None
        zone = timezone.get_current_timezone()
        starts: time = self.cleaned_data["starts"]
        ends: time = self.cleaned_data["ends"]
        return (
            datetime.combine(day, starts, tzinfo=zone),
            datetime.combine(day, ends, tzinfo=zone),
        )

    def differences(self, stored: Workshop) -> list[str]:
        """The fields where `stored` (saved by someone else meanwhile) differs from what was
        typed, each as "label: value now saved"."""
        now = self.initial_for(stored)
        del now["version"]
        typed: dict[str, Any] = {name: self.cleaned_data.get(name) for name in now}
        typed["guiding_questions"] = "\n".join(self.cleaned_data["guiding_questions"])
        for name in ("neighbourhood", "venue"):
            chosen = typed[name]
            typed[name] = chosen.pk if chosen else None
        shown = {
            "neighbourhood": stored.neighbourhood,
            "venue": stored.venue,
            "day": formats.date_format(now["day"], "DATE_FORMAT") if now["day"] else "—",
            "kind": stored.get_kind_display(),
            "partners": ", ".join(p.name for p in now["partners"]) or "—",
            "facilitators": ", ".join(u.display_name for u in now["facilitators"]) or "—",
            "starts": now["starts"].strftime("%H:%M") if now["starts"] else "—",
            "ends": now["ends"].strftime("%H:%M") if now["ends"] else "—",
            "description": _("changed"),
            "guiding_questions": _("changed"),
        }
        return [
            _("%(label)s: %(value)s")
            % {"label": self.fields[name].label, "value": shown.get(name, now[name]) or "—"}
            for name in now
            if _comparable(typed[name]) != _comparable(now[name])
        ]

    @staticmethod
    def initial_for(workshop: Workshop) -> dict[str, Any]:
        """The form filled with what `workshop` holds."""
        starts = timezone.localtime(workshop.starts_at) if workshop.starts_at else None
        ends = timezone.localtime(workshop.ends_at) if workshop.ends_at else None
        return {
            "version": workshop.version,
            "title": workshop.title,
            "kind": workshop.kind,
            "neighbourhood": workshop.neighbourhood_id,
            "day": starts.date() if starts else None,
            "starts": starts.time() if starts else None,
            "ends": ends.time() if ends else None,
            "venue": workshop.venue_id,
            "partners": list(workshop.partners.all()),
            "facilitators": list(workshop.facilitators.all()),
            "capacity": workshop.capacity,
            "theme": workshop.theme,
            "description": workshop.description,
            "guiding_questions": "\n".join(workshop.guiding_questions),
        }


def _comparable(value: Any) -> Any:
    """A form value as compared with a stored one: people as a set of keys, "" as None."""
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return {item.pk for item in value}
    return value if value != "" else None


class WorkshopTextsForm(TranslationsForm):
    """The workshop's texts in the site's other languages, and the photo of its invitations.

    One group of fields per language other than the one the texts were written in
    (`title_nl`, `theme_nl`, `description_nl`, `guiding_questions_nl`); left empty, a flyer or
    page in that language shows the original, marked with its language.
    """

    translated = TRANSLATED_FIELDS
    language = forms.ChoiceField(
        label=_("Language the workshop's texts are written in"), choices=settings.LANGUAGES
    )
    photo = forms.FileField(
        label=_("Photo or illustration for the invitations"),
        required=False,
        help_text=_(
            "Optional. PNG, JPEG, WebP or GIF, 10 MB at most; printed across the flyer. Only a "
            "photo whose recognisable people agreed to be on it."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        self.workshop = workshop
        super().__init__(*args, item=workshop, **kwargs)

    def translation_fields(self) -> dict[str, forms.Field]:
        return {
            "title": PlainCharField(label=_("Title"), max_length=200, required=False),
            "theme": PlainCharField(label=_("Theme"), max_length=200, required=False),
            "description": text_field(_("Description"), required=False, rows=3),
            "guiding_questions": text_field(
                _("Guiding questions, one per line"), max_length=3_000, required=False, rows=4
            ),
        }

    def shown(self, name: str, value: Any) -> Any:
        if name == "guiding_questions":
            return "\n".join(value or [])
        return super().shown(name, value)

    def stored(self, name: str, value: Any) -> Any:
        if name == "guiding_questions":
            return [line.strip() for line in value.splitlines() if line.strip()][:MAX_QUESTIONS]
        return value


class FiguresForm(PeriodForm):
    """The figures page's filters: a cycle, a neighbourhood, a period (all optional)."""

    field_order = ["cycle", "neighbourhood", "start", "end"]
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.all(), required=False, empty_label=_("All")
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.order_by("position", "name"),
        required=False,
        empty_label=_("All"),
    )


# "Anne Dupont, sociologist (Liège)": the last bracket of a speaker's line is their city.
_CITY_AT_THE_END = re.compile(r"^(?P<rest>.*?)\s*\((?P<city>[^()]*)\)$")


def speaker_line(line: str) -> tuple[str, str, str]:
    """A speaker as typed on one line: the name, then after a comma the role or organisation,
    and the city they come from in brackets at the end (each part may be left out)."""
    city = ""
    found = _CITY_AT_THE_END.match(line.strip())
    if found and found["rest"]:
        line, city = found["rest"], found["city"].strip()
    name, _comma, affiliation = line.partition(",")
    return name.strip(), affiliation.strip(), city


def written_speaker(name: str, affiliation: str, city: str) -> str:
    """A speaker as one line of the form (what speaker_line reads back)."""
    line = f"{name}, {affiliation}" if affiliation else name
    return f"{line} ({city})" if city else line


class SessionForm(ErrorInViewForm):
    """One part of a round table or symposium, with its speakers written one per line."""

    title = PlainCharField(label=_("Title of the session"), max_length=200)
    day = DateField(label=_("Day"), widget=ISO_DATE)
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    room = PlainCharField(label=_("Room"), max_length=100, required=False)
    description = text_field(_("Description"), required=False, rows=3)
    speakers = text_field(
        _("Speakers, one per line"),
        max_length=3_000,
        required=False,
        rows=4,
        help_text=_(
            "The name, then a comma and their role or organisation; for a speaker from another "
            "city, its name in brackets at the end, e.g. "
            "“Anne Dupont, sociologist at ULiège (Liège)”."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A session must end after it starts."))
        lines = [line.strip() for line in data.get("speakers", "").splitlines() if line.strip()]
        speakers = []
        for line in lines:
            name, affiliation, city = speaker_line(line)
            if len(name) > 150 or len(affiliation) > 200:
                self.add_error(
                    "speakers",
                    _("“%(line)s” is too long: at most 150 characters for a name, 200 for a role.")
                    % {"line": line[:60]},
                )
            elif len(city) > 100:
                self.add_error(
                    "speakers",
                    _("“%(line)s”: the city in brackets is too long (at most 100 characters).")
                    % {"line": line[:60]},
                )
            speakers.append((name, affiliation, city))
        data["speaker_list"] = speakers
        return data

    def moments(self) -> tuple[datetime, datetime]:
        """The session's start and end, in the city's time zone."""
        day = self.cleaned_data["day"]
        start = timezone.make_aware(datetime.combine(day, self.cleaned_data["starts"]))
        return start, timezone.make_aware(datetime.combine(day, self.cleaned_data["ends"]))

    @classmethod
    def of(cls, session: Any) -> SessionForm:
        """A form filled with a session as stored."""
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        speakers = "\n".join(
            written_speaker(speaker.name, speaker.affiliation, speaker.city)
            for speaker in session.speakers.all()
        )
        return cls(
            initial={
                "title": session.title,
                "day": start.date(),
                "starts": start.time(),
                "ends": end.time(),
                "room": session.room,
                "description": session.description,
                "speakers": speakers,
            }
        )


class SessionTextsForm(TranslationsForm):
    """A session's title, room and description in the site's languages other than its event's
    (`title_nl`, `room_nl`, `description_nl`…). The language is the event's: no field for it
    here (the workshop's texts page sets it)."""

    translated = TRANSLATED_SESSION_FIELDS

    def translation_fields(self) -> dict[str, forms.Field]:
        return {
            "title": PlainCharField(
                label=_("Title"), max_length=200, required=False, error_messages=TOO_LONG
            ),
            "room": PlainCharField(
                label=_("Room"), max_length=100, required=False, error_messages=TOO_LONG
            ),
            "description": text_field(_("Description"), required=False, rows=3),
        }
