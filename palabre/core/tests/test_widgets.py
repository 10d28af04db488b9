"""The fast form renderer writes exactly what Django's widget templates write (ADR 0085)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from palabre.core.widgets import FastRenderer

TRICKY = 'a "quote", <b>bold</b> & l\'apostrophe'


class Everything(forms.Form):
    name = forms.CharField(label="Name", max_length=20, help_text="Help")
    email = forms.EmailField(required=False)
    age = forms.IntegerField(min_value=0, required=False)
    amount = forms.DecimalField(decimal_places=2, required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False)
    when = forms.TimeField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    site = forms.URLField(required=False)
    search = forms.CharField(widget=forms.SearchInput, required=False)
    colour = forms.CharField(widget=forms.ColorInput, required=False)
    done = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "disabled": False}))
    kind = forms.ChoiceField(choices=[("", "—"), ("a", gettext_lazy("Yes")), ("b", TRICKY)])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", mark_safe("<i>Pear</i>"))]), ("x", "X")],
        required=False,
    )
    who = forms.TypedChoiceField(
        choices=[("", "free"), (1, "Ana"), (2, "Jan")], coerce=int, required=False
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    maybe = forms.NullBooleanField(required=False)
    slot = forms.ChoiceField(  # a label in UTC, shown in Brussels time
        choices=[("1", datetime.datetime(2026, 12, 7, 17, 30, tzinfo=datetime.UTC))],
        required=False,
    )
    flags = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autofocus": True, "hidden": False})
    )


UNBOUND_INITIAL = {
    "name": TRICKY,
    "amount": Decimal("1234.50"),
    "day": datetime.date(2026, 12, 7),
    "at": datetime.datetime(2026, 12, 7, 18, 30),
    "when": datetime.time(9, 5),
    "done": True,
    "text": f"first line\n{TRICKY}",
    "kind": "b",
    "grouped": "pear",
    "who": 2,
    "many": ["1", "2"],
    "maybe": False,
    "key": mark_safe("<already safe>"),
}
BOUND = {
    "name": "x" * 30,  # too long: aria-invalid and an error id
    "email": "not an email",
    "age": "-3",
    "amount": "1,5",
    "day": "2026-02-30",
    "text": "",
    "kind": "zzz",
    "who": "9",
    "many": ["2", "3"],
    "secret": TRICKY,
    "colour": "#ff0000",
}


def _rendered(form: forms.Form) -> dict[str, str]:
    if form.is_bound:
        form.is_valid()  # what validation adds: aria-invalid, the errors' ids
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize(
    "make",
    [
        lambda renderer: Everything(renderer=renderer),
        lambda renderer: Everything(initial=UNBOUND_INITIAL, renderer=renderer),
        lambda renderer: Everything(BOUND, renderer=renderer),
        lambda renderer: Everything(BOUND, prefix="t12", renderer=renderer),
    ],
    ids=["empty", "initial", "bound-with-errors", "prefixed"],
)
def test_every_widget_is_written_as_django_writes_it(language: str, make: Any) -> None:
    with override(language):
        written = _rendered(make(FastRenderer()))
        assert written == _rendered(make(DjangoTemplates()))
    # What was written: each kind of widget, escaped.
    assert written["kind"].count("<option") == 3
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; l&#x27;apostrophe" in written["kind"]
    assert re.search(r"\b18\D{1,4}30\b", written["slot"])  # 17:30 UTC, 18:30 in Brussels


def test_the_project_uses_it() -> None:
    assert settings.FORM_RENDERER == "palabre.core.widgets.FastRenderer"
    assert isinstance(Everything().renderer, FastRenderer)


def test_a_widget_template_overridden_by_an_app_is_still_used(tmp_path: Path) -> None:
    mine = tmp_path / "django" / "forms" / "widgets"
    mine.mkdir(parents=True)
    (mine / "text.html").write_text('<input class="mine" name="{{ widget.name }}">')
    (mine / "select_option.html").write_text("<option>{{ widget.label }} (mine)</option>")

    class Overridden(FastRenderer):
        @cached_property
        def engine(self) -> Any:
            stock = Path(forms.__file__).parent / "templates"
            return self.backend(
                {"APP_DIRS": True, "DIRS": [tmp_path, stock], "NAME": "mine", "OPTIONS": {}}
            )

    form = Everything(renderer=Overridden())
    assert str(form["name"]) == '<input class="mine" name="name">'
    assert "Oui (mine)" in str(form["kind"])  # the tests run in French
    # The widgets not overridden are still written in Python, as Django would.
    assert str(form["text"]) == str(Everything(renderer=DjangoTemplates())["text"])
