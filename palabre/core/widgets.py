"""A form renderer that writes Django's plainest widgets in Python (ADR 0085).

Django renders every widget through templates: an `<input>` is three template renders, a
`<select>` one more per option. On the staff's pages (a citizen action's management page holds
50 fields, a task's "who" list one option per volunteer) that was a third of the page's time.
`FastRenderer` writes the same bytes as Django's own templates for the input, select and
textarea widgets, and leaves any other widget, and any of these whose template a project or an
app overrides, to the templates. A test compares both renderers' output, widget by widget.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import django
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

WIDGETS = "django/forms/widgets/"
# Where Django keeps its own widget templates: only those are written here instead.
STOCK = Path(django.__file__).resolve().parent / "forms" / "templates"
# input.html, and those that include it. (Django strips what a widget's template writes.)
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "email", "number", "date", "datetime", "time", "hidden", "password",
        "tel", "url", "search", "color", "checkbox", "file",
    )
}  # fmt: skip
INPUT = f"{WIDGETS}input.html"
OPTION = f"{WIDGETS}select_option.html"


def _shown(value: Any) -> str:
    """`{{ value }}` in a template: in local time, localised, made text, escaped unless marked
    safe."""
    value = localize(template_localtime(value))
    if not isinstance(value, str):
        value = str(value)
    return str(conditional_escape(value))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: made text, escaped unless marked safe."""
    return str(value) if isinstance(value, SafeData) else str(escape("%s" % value))  # noqa: UP031


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_shown(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(option: dict[str, Any]) -> str:
    """django/forms/widgets/select_option.html."""
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


def _select(widget: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html; None when an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = _shown(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}


class FastRenderer(DjangoTemplates):
    """Django's default form renderer, with the plainest widgets written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        if writer is not None and self._stock(template_name) and "widget" in context:
            written = writer(context["widget"])
            if written is not None:
                return mark_safe(written)  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request)

    @cache  # noqa: B019 - one renderer per process, a handful of names
    def _stock(self, template_name: str) -> bool:
        """Whether `template_name` and the templates it includes are Django's own (none of
        them overridden by an app)."""
        names = (template_name, INPUT, f"{WIDGETS}attrs.html", OPTION)
        return all(
            Path(self.get_template(name).origin.name).resolve().is_relative_to(STOCK)
            for name in names
        )
