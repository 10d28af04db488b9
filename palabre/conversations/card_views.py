"""Paper cards in the room: print numbered cards, then key each card's ticked boxes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from palabre.conversations import card_actions, queries
from palabre.conversations.actions import ConversationError
from palabre.conversations.card_forms import CardForm, PrintForm
from palabre.conversations.lookup import run_conversation
from palabre.conversations.models import Conversation, Value
from palabre.core.pdf import pdf
from palabre.core.shortcuts import render_page


def _cards_page(
    request: HttpRequest, conversation: Conversation, form: PrintForm, *, status: int = 200
) -> HttpResponse:
    return render_page(
        request,
        "conversations/cards/cards.html",
        {
            "conversation": conversation,
            "form": form,
            "keyed": card_actions.cards_keyed(conversation),
            "statement_count": queries.open_statements(conversation).count(),
        },
        status=status,
    )


def _language() -> str:
    code = (get_language() or "fr").split("-")[0]
    return code if code in {"fr", "nl", "en"} else "fr"


@require_GET
def cards(request: HttpRequest, slug: str) -> HttpResponse:
    found = run_conversation(request, slug)
    keyed = card_actions.cards_keyed(found)
    form = PrintForm(initial={"count": 30, "first": keyed.next_number, "language": _language()})
    return _cards_page(request, found, form)


@require_GET
def cards_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    found = run_conversation(request, slug)
    form = PrintForm(request.GET)
    statements = list(queries.open_statements(found))
    if form.is_valid() and not statements:
        form.add_error(None, _no_statement())
    if not form.is_valid():
        return _cards_page(request, found, form, status=400)
    first, count = form.cleaned_data["first"], form.cleaned_data["count"]
    with translation.override(form.cleaned_data["language"]):
        html = render_to_string(
            "conversations/cards/cards_pdf.html",
            {
                "conversation": found,
                "numbers": range(first, first + count),
                "statements": statements,
                "printed": timezone.localdate(),
            },
        )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    last = first + count - 1
    response["Content-Disposition"] = (
        f'attachment; filename="cartes-{found.slug}-{first}-{last}.pdf"'
    )
    return response


def _no_statement() -> str:
    return translation.gettext(
        "No statement is open to votes yet: add statements before printing the cards."
    )


@require_http_methods(["GET", "POST"])
def key_card(request: HttpRequest, slug: str) -> HttpResponse:
    found = run_conversation(request, slug)
    statements = list(queries.open_statements(found))
    if request.method == "POST":
        return _key(request, found, statements)
    keyed = card_actions.cards_keyed(found)
    number = _card_asked(request) or keyed.next_number
    stored = card_actions.card_votes(found, number)
    # `shown` only when there are stored votes: keyed meanwhile by someone else, the card is
    # then caught as already keyed when this form is sent.
    initial: dict[str, Any] = {"number": number, "shown": number if stored else None}
    initial |= {f"s{pk}": str(value) for pk, value in stored.items()}
    form = CardForm(initial=initial, statements=statements)
    # Ready for the next card: the number is where the keyer starts typing. (Set once the
    # form has looked for errors, which clears every autofocus when there is none.)
    if not form.errors:
        form.fields["number"].widget.attrs["autofocus"] = True
    return _key_page(request, found, form, keyed=keyed, stored=stored, number=number)


def _card_asked(request: HttpRequest) -> int | None:
    asked = request.GET.get("card", "")
    if asked.isdigit() and 1 <= int(asked) <= card_actions.LAST_CARD:
        return int(asked)
    return None


def _key(request: HttpRequest, found: Conversation, statements: list[Any]) -> HttpResponse:
    form = CardForm(request.POST, statements=statements)
    stored: dict[int, int] = {}
    number = None
    if form.is_valid():
        number = form.cleaned_data["number"]
        stored = card_actions.card_votes(found, number)
        votes = form.votes()
        differs = any(stored.get(pk, value) != value for pk, value in votes.items())
        if form.cleaned_data["shown"] != number and differs:
            # Keyed before with other votes, and the keyer did not see them: the same card
            # keyed twice by mistake, or a wrong number. Show both; saving again corrects.
            form.show_stored(number)
            form.add_error(
                "number",
                ngettext(
                    "Card %(number)d was already keyed (%(votes)d vote), with other votes: "
                    "they are shown under each statement. Check the card, then save again "
                    "to correct it, or type another number.",
                    "Card %(number)d was already keyed (%(votes)d votes), with other votes: "
                    "they are shown under each statement. Check the card, then save again "
                    "to correct it, or type another number.",
                    len(stored),
                )
                % {"number": number, "votes": len(stored)},
            )
        else:
            try:
                done = card_actions.key_card(
                    by=request.user, conversation=found, number=number, votes=votes
                )
            except ConversationError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _saved(done))
                following = min(number + 1, card_actions.LAST_CARD)
                return redirect(
                    reverse("conversations:key_card", args=[found.slug]) + f"?card={following}"
                )
    return _key_page(
        request,
        found,
        form,
        keyed=card_actions.cards_keyed(found),
        stored=stored,
        number=number,
        status=400,
    )


def _saved(done: card_actions.KeyedCard) -> str:
    values = {"number": done.number, "votes": done.votes}
    if done.keyed_before and not done.changed:
        return (
            ngettext(
                "Card %(number)d was already keyed with these votes: nothing changed (%(votes)d "
                "vote).",
                "Card %(number)d was already keyed with these votes: nothing changed (%(votes)d "
                "votes).",
                done.votes,
            )
            % values
        )
    if done.keyed_before:
        return (
            ngettext(
                "Card %(number)d corrected (%(votes)d vote).",
                "Card %(number)d corrected (%(votes)d votes).",
                done.votes,
            )
            % values
        )
    return (
        ngettext(
            "Card %(number)d saved (%(votes)d vote).",
            "Card %(number)d saved (%(votes)d votes).",
            done.votes,
        )
        % values
    )


def _key_page(
    request: HttpRequest,
    found: Conversation,
    form: CardForm,
    *,
    keyed: card_actions.CardsKeyed,
    stored: dict[int, int],
    number: int | None,
    status: int = 200,
) -> HttpResponse:
    said = dict(Value.choices)
    rows = [
        (
            position,
            statement,
            field,
            said.get(stored[statement.pk]) if statement.pk in stored else None,
        )
        for position, statement, field in form.rows()
    ]
    return render_page(
        request,
        "conversations/cards/key_card.html",
        {
            "conversation": found,
            "form": form,
            "rows": rows,
            "keyed": keyed,
            "stored_count": len(stored),
            "number": number,
        },
        status=status,
    )
