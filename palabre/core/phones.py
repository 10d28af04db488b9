"""Phone numbers as people type them ("0470 12 34 56", "+32 81 24 63 00") and as machines dial
them (E.164, "+32470123456"), with Google's libphonenumber rules (ADR 0056).

Belgium is assumed when no country code is typed."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "BE"
INVALID = _("Write a phone number we can call, e.g. 0470 12 34 56 or +32 81 24 63 00.")


def normalise(text: str) -> str:
    """Return `text` as an E.164 number; raise `ValidationError` when nobody could dial it."""
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable(e164: str) -> str:
    """Return a stored number as a Belgian would write it: national for Belgian numbers
    ("0470 12 34 56"), international otherwise ("+33 6 12 34 56 78")."""
    try:
        number = phonenumbers.parse(e164, REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
