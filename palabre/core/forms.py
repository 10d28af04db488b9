"""Form fields and parsing shared by every app: dates in a sane window, bounded numbers and
texts, keys read from a query string. Bad input gets a sentence, never a server error."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from palabre.core import phones
from palabre.core.invisible import without_invisible

# Dates people type for this city's life: far enough back for an old receipt, far enough ahead
# for a long project. Outside, date arithmetic (tasks, deadlines, reminders) would overflow.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# The largest value of the database columns behind the forms' numbers.
SMALL_INTEGER = 32_767  # PositiveSmallIntegerField
INTEGER = 2_147_483_647  # PositiveIntegerField
BIG_INTEGER = 9_223_372_036_854_775_807  # BigAutoField: every primary key

# Lengths of free text: a few lines, a page, several pages.
SHORT_TEXT = 1_000
TEXT = 5_000
LONG_TEXT = 20_000

M = TypeVar("M", bound=Model)

TOO_LONG = {
    "max_length": _(
        "At most %(limit_value)d characters (this text has %(show_value)d): shorten it."
    )
}


class ErrorInViewForm(forms.Form):
    """A form whose errors are in view when the page comes back (trials, 2026-12), with or
    without JavaScript. The error summary above the form (components/form_errors.html, ADR
    0061) takes the focus and lists every error with a link to its field; as a fallback for a
    page that shows no summary, the first field in error gets `autofocus`, which the summary
    takes off again when it is shown."""

    def full_clean(self) -> None:
        super().full_clean()
        self._focus_first_error()

    def add_error(self, field: str | None, error: Any) -> None:
        # Errors found by an action after validation (a name taken, an unknown address) too.
        super().add_error(field, error)
        self._focus_first_error()

    def conflict(self, message: str, *, version: int) -> None:
        """Someone saved first: say so and keep what this person typed, now carrying the
        version stored, so that saving again (after comparing) goes through."""
        typed = QueryDict(mutable=True)
        typed.update(self.data)
        typed["version"] = str(version)
        self.data = typed
        self.add_error(None, message)

    def _focus_first_error(self) -> None:
        in_error = [name for name in self.fields if name in self.errors]
        for name in self.fields:
            self.fields[name].widget.attrs.pop("autofocus", None)
        if in_error:
            self.fields[in_error[0]].widget.attrs["autofocus"] = True


class PlainCharField(forms.CharField):
    """Text without invisible, bidi control and control characters: a right-to-left override
    cannot turn what others read around (security finding L5)."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not text:
            return text
        text = without_invisible(text)
        return text.strip() if self.strip else text


class PhoneField(PlainCharField):
    """A phone number as typed, cleaned to E.164 (Belgian when no country code is typed)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return phones.normalise(text) if text else text


class DateField(forms.DateField):
    """A date between 1 January FIRST_YEAR and 31 December LAST_YEAR."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, datetime.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Give a date between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )


ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ISO_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PeriodForm(ErrorInViewForm):
    """A period for figures: a first and a last day, both optional, in order."""

    start = DateField(label=_("First day"), required=False, widget=ISO_DATE)
    end = DateField(label=_("Last day"), required=False, widget=ISO_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                _("The last day cannot be before the first day. Change one of the two dates."),
            )
        return data


def text_field(
    label: Any,
    *,
    max_length: int = TEXT,
    required: bool = True,
    rows: int = 4,
    error_messages: dict[str, Any] | None = None,
    **options: Any,
) -> forms.CharField:
    """A textarea of at most `max_length` characters; longer text is refused with its count."""
    return PlainCharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages=TOO_LONG | (error_messages or {}),
        widget=forms.Textarea(attrs={"rows": rows}),
        **options,
    )


def ids(values: Iterable[str]) -> list[int]:
    """Keep the values that can be primary keys (whole numbers from 1 the database holds)."""
    found = []
    for value in values:
        if (
            value.isascii()
            and value.isdigit()
            and len(value) < 20
            and 0 < int(value) <= BIG_INTEGER
        ):
            found.append(int(value))
    return found


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[M]):
    """Rows chosen by their keys; a key too large for the database is refused like any unknown
    one (Django would send it to the database, which fails)."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            for key in value:
                if not ids([str(key)]):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    )
        return super()._check_values(value)  # type: ignore[misc]


class TranslationsForm(ErrorInViewForm):
    """The language an item's texts are written in and, for each of the site's other
    languages, a group of fields for the service's translations of them (`title_nl`, …).
    Left empty, a page or message in that language shows the original, marked with its
    language (palabre.core.translations). Subclasses declare `language` (with its label), name
    the `translated` texts and make their fields."""

    translated: tuple[str, ...] = ()

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        self.item = item
        initial: dict[str, Any] = {"language": item.language} | kwargs.pop("initial", {})
        for code, _name in self.other_languages():
            given = item.translations.get(code, {})
            for name in self.translated:
                initial[f"{name}_{code}"] = self.shown(name, given.get(name))
        super().__init__(*args, **(kwargs | {"initial": initial}))
        for code, _name in self.other_languages():
            for name, field in self.translation_fields().items():
                field.widget.attrs["lang"] = code
                self.fields[f"{name}_{code}"] = field

    def translation_fields(self) -> dict[str, forms.Field]:
        """New fields, one per translated text, for one language."""
        raise NotImplementedError

    def shown(self, name: str, value: Any) -> Any:
        """A stored translation as its field shows it."""
        return value or ""

    def stored(self, name: str, value: Any) -> Any:
        """A translation typed in its field as it is stored."""
        return value

    def other_languages(self) -> list[tuple[str, Any]]:
        return [(code, name) for code, name in settings.LANGUAGES if code != self.item.language]

    def groups(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        """(code, name, fields) of each language other than the original, for the template."""
        return [
            (code, name, [self[f"{field}_{code}"] for field in self.translated])
            for code, name in self.other_languages()
        ]

    def translations(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            code: {name: self.stored(name, data[f"{name}_{code}"]) for name in self.translated}
            for code, _name in self.other_languages()
        }
