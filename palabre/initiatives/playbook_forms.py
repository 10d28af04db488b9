"""Forms of the coordinators' playbook pages: the playbook, its rows, and a file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import PlainCharField, text_field
from palabre.initiatives import playbooks
from palabre.initiatives.forms import money
from palabre.initiatives.models import Kind

MAX_FILE_SIZE = 100 * 1024  # bytes; a playbook is a few kilobytes


def _one_kind_of_newline(value: str) -> str:
    # Browsers send textarea lines as CRLF; files and exports use LF only.
    return value.replace("\r\n", "\n").replace("\r", "\n")


class PlaybookForm(forms.Form):
    title = PlainCharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of action"), choices=Kind.choices)
    description = text_field(
        _("Description (optional)"), max_length=playbooks.LONGEST_DESCRIPTION, required=False
    )

    def clean_description(self) -> str:
        return _one_kind_of_newline(self.cleaned_data["description"])


class StepForm(forms.Form):
    title = PlainCharField(label=_("What to do"), max_length=200)
    days_before = forms.IntegerField(
        label=_("Days before the action"),
        min_value=0,
        max_value=365,
        help_text=_("0 is the day of the action itself."),
    )
    permit = forms.BooleanField(label=_("A permit or service the city must grant"), required=False)
    department = forms.SlugField(
        label=_("Department that grants it (optional)"),
        max_length=50,
        required=False,
        help_text=_("Short name, e.g. voirie, evenements, urbanisme."),
    )
    description = text_field(
        _("Details (optional)"), max_length=playbooks.LONGEST_DETAILS, required=False, rows=2
    )

    def clean_description(self) -> str:
        return _one_kind_of_newline(self.cleaned_data["description"])


class BudgetLineForm(forms.Form):
    label = PlainCharField(label=_("Expense"), max_length=200)
    amount = money(_("Amount (€)"))


class _Rows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows kept in the order of their position number; a ticked row is deleted."""

    delete_label: Any = ""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields[ORDERING_FIELD_NAME].label = _("Position")
        form.fields[DELETION_FIELD_NAME].label = self.delete_label
        # The template names each row: "Step 2", or "Step 5 (new, optional)" for a blank one.
        form.number = (index or 0) + 1  # type: ignore[attr-defined]
        form.is_new = index is None or index >= self.initial_form_count()  # type: ignore[attr-defined]


class _StepRows(_Rows):
    delete_label = _("Delete this step")


class _BudgetRows(_Rows):
    delete_label = _("Delete this line")


StepFormSet = forms.formset_factory(
    StepForm, formset=_StepRows, extra=3, can_order=True, can_delete=True
)
BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=_BudgetRows, extra=3, can_order=True, can_delete=True
)


def initial_rows(data: playbooks.PlaybookData) -> dict[str, list[dict[str, Any]]]:
    """The formsets' initial rows for a saved playbook."""
    return {
        "steps": [
            {
                "title": step.title,
                "days_before": step.days_before,
                "permit": step.permit,
                "department": step.department,
                "description": step.description,
            }
            for step in data.steps
        ],
        "budget": [{"label": line.label, "amount": line.amount} for line in data.budget],
    }


def _kept(rows: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    # Blank and deleted rows are left out; the others come in the order of their positions.
    return [form.cleaned_data for form in rows.ordered_forms]


def playbook_data(
    form: PlaybookForm, steps: forms.BaseFormSet[Any], budget: forms.BaseFormSet[Any]
) -> playbooks.PlaybookData:
    """What the valid forms say, in the shape a playbook file is read into."""
    return playbooks.PlaybookData(
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        steps=tuple(
            playbooks.Step(
                title=row["title"],
                days_before=row["days_before"],
                permit=row["permit"],
                department=row["department"],
                description=row["description"],
            )
            for row in _kept(steps)
        ),
        budget=tuple(playbooks.BudgetLine(row["label"], row["amount"]) for row in _kept(budget)),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Playbook file (.toml)"),
        help_text=_("A text file of 100 kB at most, as exported by Palabre."),
    )

    def clean_file(self) -> str:
        """The file's text (UTF-8); too large or not text is refused."""
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("This file is too large: a playbook file is 100 kB at most."), code="too_large"
            )
        content = upload.read(MAX_FILE_SIZE + 1)
        if len(content) > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("This file is too large: a playbook file is 100 kB at most."), code="too_large"
            )
        try:
            text: str = content.decode("utf-8-sig")  # a byte-order mark from some editors is fine
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("This file is not UTF-8 text: save it again as UTF-8 and retry."),
                code="not_text",
            ) from None
        return text
