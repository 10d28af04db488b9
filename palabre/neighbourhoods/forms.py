"""The service's forms for venues, partners and their contacts (front office)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from palabre.core.forms import (
    SHORT_TEXT,
    TEXT,
    ErrorInViewForm,
    ModelMultipleChoiceField,
    PlainCharField,
    text_field,
)
from palabre.core.images import clean_image
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, PartnerKind, Venue

# A generous frame around Belgium (WGS 84): a position outside it is a typing mistake.
BELGIUM_LATITUDES = (49.4, 51.6)
BELGIUM_LONGITUDES = (2.5, 6.5)


class PlaceForm(ErrorInViewForm):
    """A form whose object is saved by an action that validates it again."""

    def refused(self, error: ValidationError) -> None:
        """Show what the action refused beside the field it is about (above the form for
        anything that is not one of this form's fields)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class CoordinateField(PlainCharField):
    """A number of degrees, typed with a decimal point or comma ("50,4786")."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("required", False)
        options.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 30})
        )
        super().__init__(**options)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = float(text.replace(",", ".").replace(" ", "")) if len(text) <= 30 else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(
                _("Write a number of degrees with a decimal point, e.g. 50.4786."),
                code="invalid",
            )
        return number


class VenueForm(PlaceForm):
    name = PlainCharField(
        label=_("Name"),
        max_length=200,
        help_text=_("E.g. Salle polyvalente de la Maison de quartier."),
    )
    street = PlainCharField(label=_("Street"), max_length=200)
    house_number = PlainCharField(label=_("Number"), max_length=20)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[1-9][0-9]{3}$",
        max_length=10,
        error_messages={"invalid": _("A Belgian postcode has four digits, e.g. 5000.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    locality = PlainCharField(label=_("Locality"), max_length=100)
    capacity = forms.IntegerField(
        label=_("Capacity (people)"),
        min_value=1,
        max_value=10_000,
        help_text=_("How many people the room holds seated."),
    )
    step_free_access = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop (for hearing aids)"), required=False)
    childcare_room = forms.BooleanField(label=_("Childcare room"), required=False)
    access_notes = text_field(
        _("Access notes"),
        max_length=SHORT_TEXT,
        required=False,
        rows=3,
        help_text=_("E.g. three steps at the entrance, a ramp on request, adapted toilets."),
    )
    public_transport = text_field(
        _("Public transport"),
        max_length=SHORT_TEXT,
        required=False,
        rows=3,
        help_text=_("Lines and stops, and how far the station is on foot."),
    )
    latitude = CoordinateField(label=_("Latitude"), help_text=_("E.g. 50.4786"))
    longitude = CoordinateField(label=_("Longitude"), help_text=_("E.g. 4.8648"))
    host = forms.ModelChoiceField[Partner](
        label=_("Host organisation"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Only the partners working in this neighbourhood."),
    )
    is_published = forms.BooleanField(
        label=_("Published: residents see this venue"), required=False, initial=True
    )

    ACCESS = ("step_free_access", "hearing_loop", "childcare_room")
    COPIED = (
        "name",
        "street",
        "house_number",
        "postcode",
        "locality",
        "capacity",
        *ACCESS,
        "access_notes",
        "public_transport",
        "latitude",
        "longitude",
        "host",
        "is_published",
    )

    def __init__(self, *args: Any, hosts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, venue: Venue) -> dict[str, Any]:
        """The form's values for a stored venue."""
        return {name: getattr(venue, name) for name in cls.COPIED}

    def access_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ACCESS]

    def fill(self, venue: Venue) -> Venue:
        """Copy the valid form's values onto `venue`."""
        for name in self.COPIED:
            setattr(venue, name, self.cleaned_data[name])
        return venue

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" not in data or "longitude" not in data:
            return data  # one of them is refused already
        if latitude is None and longitude is None:
            return data
        if latitude is None or longitude is None:
            missing = "latitude" if latitude is None else "longitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        elif _within(longitude, BELGIUM_LATITUDES) and _within(latitude, BELGIUM_LONGITUDES):
            self.add_error(
                "latitude",
                _(
                    "These two look swapped: in Belgium the latitude is about 50, the longitude "
                    "3 to 6."
                ),
            )
        else:
            if not _within(latitude, BELGIUM_LATITUDES):
                self.add_error(
                    "latitude",
                    _("In Belgium the latitude is between 49.4 and 51.6, e.g. 50.4786."),
                )
            if not _within(longitude, BELGIUM_LONGITUDES):
                self.add_error(
                    "longitude",
                    _("In Belgium the longitude is between 2.5 and 6.5, e.g. 4.8648."),
                )
        return data


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


class PartnerForm(PlaceForm):
    name = PlainCharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    description = text_field(_("Description"), max_length=TEXT, required=False, rows=3)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("E.g. https://www.example.be"),
        error_messages={"invalid": _("Write a web address, e.g. https://www.example.be")},
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    neighbourhoods = ModelMultipleChoiceField[Neighbourhood](
        label=_("Neighbourhoods it works in"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one neighbourhood.")},
    )

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("Optional. PNG, JPEG, WebP or GIF, 10 MB at most; printed on invitations."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    COPIED = ("name", "kind", "description", "website")

    def __init__(self, *args: Any, neighbourhoods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = neighbourhoods  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, partner: Partner) -> dict[str, Any]:
        """The form's values for a stored partner."""
        initial: dict[str, Any] = {name: getattr(partner, name) for name in cls.COPIED}
        initial["neighbourhoods"] = [each.pk for each in partner.neighbourhoods.all()]
        return initial

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        return clean_image(logo, max_side=800) if logo else None  # refused with a message

    def fill(self, partner: Partner) -> Partner:
        """Copy the valid form's values onto `partner` (its neighbourhoods are the action's)."""
        for name in self.COPIED:
            setattr(partner, name, self.cleaned_data[name])
        if self.cleaned_data["logo"] is not None:
            partner.logo = self.cleaned_data["logo"]
        return partner


class ContactForm(PlaceForm):
    name = PlainCharField(label=_("Name"), max_length=150)
    position = PlainCharField(
        label=_("Job or role"),
        max_length=150,
        required=False,
        help_text=_("E.g. coordinator, chair, secretary."),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        required=False,
        max_length=30,
        regex=r"^[0-9+ ./()-]{6,30}$",
        error_messages={"invalid": _("Write a phone number with digits, e.g. 0470 12 34 56.")},
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    COPIED = ("name", "position", "email", "phone")

    @classmethod
    def initial_for(cls, contact: PartnerContact) -> dict[str, Any]:
        """The form's values for a stored contact."""
        return {name: getattr(contact, name) for name in cls.COPIED}

    def fill(self, contact: PartnerContact) -> PartnerContact:
        """Copy the valid form's values onto `contact`."""
        for name in self.COPIED:
            setattr(contact, name, self.cleaned_data[name])
        return contact
