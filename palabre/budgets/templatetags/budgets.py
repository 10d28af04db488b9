from __future__ import annotations

from django import template

from palabre.budgets.actions import money

register = template.Library()


@register.filter
def euros(amount: int) -> str:
    """An amount in euros as written in Belgium (12 500 €)."""
    return money(int(amount))


@register.filter
def code_groups(code: str) -> str:
    """A voting code in groups of four, as printed and read aloud."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
