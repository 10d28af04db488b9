"""Pol.is exports: imported through a page by the service, and downloaded by anyone who may see
the conversation (the same public data as map.json, with the statements' words)."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from palabre.conversations import actions, transfer
from palabre.conversations.lookup import conversation_for
from palabre.conversations.permissions import can_run_any_conversation
from palabre.conversations.transfer_forms import MAX_FILE_MEGABYTES, ImportForm
from palabre.core.shortcuts import render_page, require
from palabre.opinion_map.polis_csv import COMMENTS, VOTES


@require_http_methods(["GET", "POST"])
def import_export(request: HttpRequest) -> HttpResponse:
    """The service imports a Pol.is export (comments.csv and votes.csv) as a conversation."""
    require(can_run_any_conversation(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = transfer.import_uploads(
                by=request.user,
                title=form.cleaned_data["title"],
                neighbourhood=form.cleaned_data["neighbourhood"],
                comments=form.cleaned_data["comments"],
                votes=form.cleaned_data["votes"],
            )
        except actions.ConversationError as error:
            form.add_error(_field_of(error.message), error.message)
        else:
            messages.success(
                request,
                _(
                    "The export is imported: the conversation is published, closed to votes, "
                    "and its map is being computed."
                ),
            )
            return redirect("conversations:conversation", slug=imported.slug)
    return render_page(
        request,
        "conversations/transfer/import.html",
        {"form": form, "megabytes": MAX_FILE_MEGABYTES},
        status=400 if request.method == "POST" else 200,
    )


def _field_of(message: str) -> str | None:
    """The file field a reading error is about (its message names the file), else none."""
    if VOTES in message:
        return "votes"
    if COMMENTS in message:
        return "comments"
    return None


@require_GET
def export(request: HttpRequest, slug: str, csv_file: str) -> HttpResponseBase:
    """comments.csv or votes.csv of the conversation, in Pol.is' format (see transfer.py)."""
    found = conversation_for(request, slug)
    name = csv_file
    if name not in transfer.FILES:
        raise Http404
    response = StreamingHttpResponse(
        transfer.csv_lines(transfer.rows_of(found, name)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-{name}"'
    return response
