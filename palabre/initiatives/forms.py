from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palabre.contributions.forms import KEY
from palabre.core.forms import (
    SHORT_TEXT,
    TOO_LONG,
    DateField,
    ErrorInViewForm,
    PlainCharField,
    text_field,
)
from palabre.initiatives.models import Need, NeedKind, Playbook, Task, Volunteer
from palabre.official_requests.models import Department


class SignUpForm(ErrorInViewForm):
    name = PlainCharField(
        label=_("First name"),
        max_length=100,
        error_messages=TOO_LONG
        | {"required": _("Write your first name so that the organisers know who you are.")},
    )
    email = forms.EmailField(
        label=_("Email (optional, only the organisers see it)"),
        required=False,
    )
    # Put in the form by the server: sending the same form twice signs up once.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class StartForm(ErrorInViewForm):
    playbook = forms.ModelChoiceField[Playbook](
        label=_("Playbook"), queryset=Playbook.objects.none()
    )
    title = PlainCharField(label=_("Title"), max_length=200)
    starts_on = DateField(
        label=_("Date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, playbooks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = playbooks  # type: ignore[attr-defined]


# The leads' page: each section posts its own form (prefixed: several share one page).

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money(label: Any, *, required: bool = True, least: str = "0") -> forms.DecimalField:
    """An amount in euros, typed with a decimal comma or point ("120,50")."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(least),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class MoveForm(ErrorInViewForm):
    prefix = "move"
    target = forms.ChoiceField(label=_("New status"))
    reason = text_field(
        _("Why (needed to pause or abandon)"), max_length=SHORT_TEXT, required=False, rows=2
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]


class DetailsForm(ErrorInViewForm):
    prefix = "details"
    title = PlainCharField(label=_("Title"), max_length=200)
    description = text_field(_("Description"), required=False)
    starts_on = DateField(
        label=_("Date (optional)"),
        required=False,
        widget=DATE,
        help_text=_("Moving the date moves the due dates of the tasks still to do."),
    )


class NewTaskForm(ErrorInViewForm):
    prefix = "task"
    title = PlainCharField(label=_("Task"), max_length=200)
    due_on = DateField(label=_("Due on (optional)"), required=False, widget=DATE)


class TaskForm(ErrorInViewForm):
    # Choices from the volunteers loaded once for the page (a queryset would query per task).
    owner = forms.TypedChoiceField(label=_("Who"), coerce=int, required=False, empty_value=None)
    due_on = DateField(label=_("Due on"), required=False, widget=DATE)
    done = forms.BooleanField(label=_("It is done"), required=False)

    def __init__(self, data: Any = None, *, task: Task, volunteers: list[Volunteer]) -> None:
        initial = {"owner": task.owner_id, "due_on": task.due_on, "done": task.done_at is not None}
        super().__init__(data, initial=initial)
        self.prefix = f"t{task.pk}"
        self.task = task
        self.volunteers = {volunteer.pk: volunteer for volunteer in volunteers}
        self.fields["owner"].choices = [("", _("free"))] + [  # type: ignore[attr-defined]
            (volunteer.pk, volunteer.name) for volunteer in volunteers
        ]

    def chosen_owner(self) -> Volunteer | None:
        owner = self.cleaned_data["owner"]
        return None if owner is None else self.volunteers[owner]


class NeedForm(ErrorInViewForm):
    prefix = "need"
    kind = forms.ChoiceField(label=_("What kind"), choices=NeedKind.choices)
    description = PlainCharField(label=_("What exactly"), max_length=300, error_messages=TOO_LONG)


class AskCityForm(ErrorInViewForm):
    department = forms.TypedChoiceField(label=_("City department"), coerce=int)
    asked = text_field(_("What you ask (where, when, how many)"), max_length=2000, rows=3)

    def __init__(
        self, data: Any = None, *, item: Task | Need, departments: list[Department]
    ) -> None:
        slug = item.department if isinstance(item, Task) else ""
        initial = {"department": next((d.pk for d in departments if d.slug == slug), None)}
        super().__init__(data, initial=initial)
        self.prefix = self.prefix_for(item)
        self.item = item
        self.kind = "task" if isinstance(item, Task) else "need"
        self.departments = {department.pk: department for department in departments}
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            (department.pk, department.name) for department in departments
        ]

    @staticmethod
    def prefix_for(item: Task | Need) -> str:
        return f"ask-{'task' if isinstance(item, Task) else 'need'}-{item.pk}"

    def chosen_department(self) -> Department:
        return self.departments[self.cleaned_data["department"]]


class BudgetForm(ErrorInViewForm):
    prefix = "budget"
    requested = money(_("Budget requested (€)"), required=False)
    granted = money(_("Budget granted by the city (€)"), required=False)

    def __init__(self, *args: Any, may_grant: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_grant:
            del self.fields["granted"]


class ExpenseForm(ErrorInViewForm):
    prefix = "expense"
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    label = PlainCharField(label=_("What was bought"), max_length=200)
    amount = money(_("Amount (€)"), least="0.01")
    spent_on = DateField(label=_("Date"), widget=DATE)
    receipt = forms.FileField(
        label=_("Photo of the receipt"),
        help_text=_(
            "PNG, JPEG, WebP or GIF, 10 MB at most; only the organisers and the service see it."
        ),
    )


class PhotoForm(ErrorInViewForm):
    prefix = "photo"
    key = forms.RegexField(regex=KEY, widget=forms.HiddenInput)
    image = forms.FileField(label=_("Photo"), help_text=_("PNG, JPEG, WebP or GIF, 10 MB at most."))
    description = PlainCharField(
        label=_("What it shows"),
        max_length=300,
        error_messages=TOO_LONG,
        help_text=_("For people who cannot see it."),
    )
    shows_people = forms.BooleanField(label=_("People can be recognised on it"), required=False)
    consent = PlainCharField(
        label=_("How they gave their consent"),
        max_length=300,
        required=False,
        help_text=_("For example: “signed the consent form on the day”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("shows_people") and not (data.get("consent") or "").strip():
            self.add_error(
                "consent",
                _("Say how the people who can be recognised gave their consent."),
            )
        return data


class ReportForm(ErrorInViewForm):
    prefix = "report"
    report = text_field(_("What happened, in a few lines"), max_length=3000, rows=5)
