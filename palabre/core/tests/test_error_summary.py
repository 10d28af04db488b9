"""The error summary (ADR 0061): at the top of the form that failed, focused, one link per field
in error, the errors of the whole form as plain lines; "Error:" before the page's title."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from palabre.core.forms import ErrorInViewForm
from palabre.core.testing import error_summary


class _Form(ErrorInViewForm):
    name = forms.CharField(label="Name")
    email = forms.EmailField(label="Email", required=False)
    times = forms.MultipleChoiceField(
        label="When",
        choices=[("am", "Morning"), ("pm", "Afternoon")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") == "taken@example.org":
            raise forms.ValidationError("This address is taken.")
        if data.get("times") == ["am", "pm"]:
            self.add_error("times", "Choose one.")
        return data


PAGE = """{% extends "base.html" %}{% block title %}Form{% endblock %}{% block content %}
<form>{% include "components/form_errors.html" %}
{% for field in form.visible_fields %}{% include "components/field.html" %}{% endfor %}
{{ form.key }}</form>
<form>{% include "components/form_errors.html" with form=other %}
{% include "components/field.html" with field=other.name %}</form>
{% endblock %}"""


def _render(form: forms.Form, other: forms.Form | None = None, language: str = "en") -> str:
    other = other or _Form(prefix="other")
    for each in (form, other):
        if each.is_bound:
            each.is_valid()  # as the view does before it renders the page
    with translation.override(language):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        return engines["django"].from_string(PAGE).render({"form": form, "other": other}, request)


def _summary_text(html: str) -> list[str]:
    found = re.search(r'<ul class="error-summary__list">(.*?)</ul>', html, re.S)
    assert found
    return [
        unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", found[1])
    ]


def test_a_page_without_errors_has_no_summary_no_autofocus_and_its_plain_title() -> None:
    html = _render(_Form())
    assert "error-summary" not in html
    assert "autofocus" not in html
    assert "<title>Form · Palabre" in html


def test_the_summary_takes_the_focus_and_links_each_error_to_its_field() -> None:
    html = _render(_Form({"name": "", "email": "not-an-address", "key": "k"}))
    assert error_summary(html) == ["#id_name", "#id_email"]
    # Django's messages, which do not say which field, get the field's label in the summary.
    assert _summary_text(html) == [
        "Name: This field is required.",
        "Email: Enter a valid email address.",
    ]
    assert '<h2 class="error-summary__title">There is a problem</h2>' in html
    assert "<title>Error: Form · Palabre" in html
    # Each field in error says so and points at its message; what was typed stays.
    email = re.search(r'<input type="email" name="email"[^>]*>', html)
    assert email
    assert 'value="not-an-address"' in email[0]
    assert 'aria-invalid="true" aria-describedby="id_email_error" id="id_email"' in email[0]
    assert '<ul class="field__errors" id="id_email_error">' in html


def test_errors_of_the_whole_form_and_of_hidden_fields_are_plain_lines() -> None:
    html = _render(_Form({"name": "Amina", "email": "taken@example.org"}))
    assert error_summary(html) == []
    assert _summary_text(html) == ["This address is taken.", "This field is required."]


def test_a_group_of_boxes_is_reached_through_its_first_box() -> None:
    html = _render(_Form({"name": "Amina", "times": ["am", "pm"], "key": "k"}))
    assert error_summary(html) == ["#id_times_0"]
    assert 'id="id_times_0"' in html


def test_only_the_form_that_failed_shows_a_summary_and_the_page_has_one_autofocus() -> None:
    failed = _Form({"other-name": "", "other-key": "k"}, prefix="other")
    html = _render(_Form(), failed)
    assert error_summary(html) == ["#id_other-name"]
    assert html.count("error-summary__list") == 1
    # Two forms that failed (rows of a formset): both summaries, the first one focused.
    html = _render(_Form({"name": "", "key": "k"}), failed)
    assert html.count("error-summary__list") == 2
    assert error_summary(html) == ["#id_name", "#id_other-name"]


def test_without_a_summary_the_first_field_in_error_keeps_the_focus() -> None:
    form = _Form({"name": "", "email": "x", "key": "k"})
    assert not form.is_valid()
    assert form.fields["name"].widget.attrs.get("autofocus") is True
    assert "autofocus" not in form.fields["email"].widget.attrs


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Erreur\u00a0: Form"), ("nl", "Fout: Form")]
)
def test_the_title_says_error_in_the_pages_language(language: str, title: str) -> None:
    html = _render(_Form({"name": ""}), language=language)
    assert f"<title>{title} · Palabre" in html
