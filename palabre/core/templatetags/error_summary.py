"""The error summary at the top of a form that failed (the GOV.UK pattern, ADR 0061), and the
"Error:" before the title of a page that shows one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core import validators
from django.forms import BaseForm, BaseFormSet, BoundField
from django.utils.translation import gettext as _

register = template.Library()

# Set in the page's render context by the first summary: the others on that page (rows of a
# formset) are shown but do not take the focus too.
FOCUS_TAKEN = "palabre.error_summary.focused"


@dataclass(frozen=True)
class Problem:
    message: str
    # The id of the field the link goes to; empty for an error of the whole form (or of a
    # hidden field, which nobody can go to).
    target: str


@dataclass(frozen=True)
class Summary:
    problems: list[Problem]
    focus: bool


def _stock_messages() -> set[str]:
    # Django's own messages, which do not say which field they are about ("This field is
    # required."): beside the field that is clear, in the summary it needs the field's name.
    return {
        str(forms.Field.default_error_messages["required"]),
        str(validators.EmailValidator.message),
        str(forms.IntegerField.default_error_messages["invalid"]),
        str(forms.DecimalField.default_error_messages["invalid"]),
        str(forms.DateField.default_error_messages["invalid"]),
        str(forms.TimeField.default_error_messages["invalid"]),
        str(forms.DateTimeField.default_error_messages["invalid"]),
        str(validators.URLValidator.message),
    }


def _message(field: BoundField, error: str, stock: set[str]) -> str:
    if error in stock and field.label and not field.is_hidden:
        return _("%(label)s: %(message)s") % {"label": field.label, "message": error}
    return error


def _target(field: BoundField) -> str:
    if field.is_hidden or not field.auto_id:
        return ""
    # A group of radio buttons or boxes has no single input: go to its first one.
    return field.id_for_label or f"{field.auto_id}_0"


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context, form: Any) -> Summary | None:
    """What went wrong with `form`, in the order of the page, or None when nothing did. The
    summary takes the focus from the first field in error (see ErrorInViewForm): the page has
    one element with `autofocus`, the first summary."""
    if not isinstance(form, BaseForm) or not form.is_bound or not form.errors:
        return None
    problems = [Problem(str(error), "") for error in form.non_field_errors()]
    stock = _stock_messages()
    for field in form:
        problems += [
            Problem(_message(field, str(error), stock), _target(field)) for error in field.errors
        ]
    for each in form.fields.values():
        each.widget.attrs.pop("autofocus", None)
    page: dict[Any, Any] = context.render_context.dicts[0]
    focus = not page.get(FOCUS_TAKEN)
    page[FOCUS_TAKEN] = True
    return Summary(problems, focus)


def _failed(value: Any) -> bool:
    # Forms the view validated only (`cleaned_data` is set by validation): asking a bound form
    # that was never validated for its errors would validate it here.
    if issubclass(type(value), BaseForm):
        return hasattr(value, "cleaned_data") and bool(value.errors)
    if issubclass(type(value), BaseFormSet):
        return value.is_bound and any(_failed(form) for form in value.forms)
    return False


def _values(context: template.Context) -> Iterable[Any]:
    values: dict[Any, Any] = context.flatten()
    for value in values.values():
        yield value
        if type(value) in (list, tuple):
            yield from value


@register.simple_tag(takes_context=True)
def form_failed(context: template.Context) -> bool:
    """Whether a form given to the page was sent and refused: its title then starts with
    "Error:", the first thing a screen reader says of the page that comes back."""
    return any(_failed(value) for value in _values(context))
