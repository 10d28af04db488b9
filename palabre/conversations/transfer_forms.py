"""The import page's form: a title, where the conversation belongs, and the export's two files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palabre.core.forms import TOO_LONG, ErrorInViewForm, PlainCharField
from palabre.neighbourhoods.models import Neighbourhood

# Both files and the other fields stay under the largest body Palabre reads (core.uploads, 11
# MB): a larger export is imported with `palabre opinions import`.
MAX_FILE_BYTES = 5_000_000
MAX_FILE_MEGABYTES = MAX_FILE_BYTES // 1_000_000


class ImportForm(ErrorInViewForm):
    title = PlainCharField(
        label=gettext_lazy("Title of the conversation"),
        max_length=200,
        help_text=gettext_lazy("Usually the question put in Pol.is."),
        error_messages=TOO_LONG | {"required": gettext_lazy("Give the conversation its title.")},
    )
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=gettext_lazy("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole city"),
    )
    comments = forms.FileField(
        label=gettext_lazy("Statements: comments.csv"),
        help_text=gettext_lazy("The file comments.csv of the Pol.is export, 5 MB at most."),
        error_messages={"required": gettext_lazy("Choose the export's comments.csv file.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    votes = forms.FileField(
        label=gettext_lazy("Votes: votes.csv"),
        help_text=gettext_lazy("The file votes.csv of the Pol.is export, 5 MB at most."),
        error_messages={"required": gettext_lazy("Choose the export's votes.csv file.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.ModelChoiceField)
        # The service may file it under a neighbourhood not published yet.
        field.queryset = Neighbourhood.objects.order_by("position", "name")

    def _bounded(self, name: str) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data[name]
        if upload.size is None or upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is %(size)s MB; the limit is %(limit)s MB. Import a larger "
                    "export with the command palabre opinions import."
                )
                % {
                    "size": number_format(round((upload.size or 0) / 1e6, 1), 1),
                    "limit": MAX_FILE_MEGABYTES,
                },
                code="too_large",
            )
        return upload

    def clean_comments(self) -> UploadedFile[bytes]:
        return self._bounded("comments")

    def clean_votes(self) -> UploadedFile[bytes]:
        return self._bounded("votes")
