"""The conversation's pages: read and vote (no account), propose a statement, the map as JSON,
and what those who run it do: start one, seed statements, moderate, change dates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.conversations import actions, device, queries
from palabre.conversations.forms import (
    ConversationForm,
    ModerateForm,
    NewConversationForm,
    ProposeForm,
    SeedForm,
    VoteForm,
)
from palabre.conversations.lookup import conversation_for, run_conversation
from palabre.conversations.models import Conversation, ConversationMap, Moderation, Participant
from palabre.conversations.permissions import (
    can_run_any_conversation,
    can_run_conversation,
    can_start_conversations,
)
from palabre.core import throttle
from palabre.core.pagecache import public_page
from palabre.core.shortcuts import render_page, require
from palabre.core.throttle import Limit, limit_anonymous_writes

# One phone: far more than any conversation's statements, each changed a few times.
VOTES_PER_DEVICE = Limit("conversation-votes", 600, timedelta(minutes=10))
# New voters from one address: a whole room behind the venue's Wi-Fi, several times over,
# but not a script clearing its cookie to vote again and again (ADR 0071).
NEW_DEVICES_PER_CLIENT = Limit("conversation-devices", 300, timedelta(hours=1))
STATEMENTS_PER_DEVICE = Limit("conversation-statements", 5, timedelta(hours=1))


def _state(conversation: Conversation) -> str:
    now = timezone.now()
    if conversation.is_open(now):
        return "open"
    if conversation.opens_at is not None and now < conversation.opens_at:
        return "soon"
    return "closed"


def _participant(conversation_id: int, token: str | None) -> Participant | None:
    if token is None:
        return None
    return Participant.objects.filter(
        conversation_id=conversation_id, device=actions.device_digest(token, conversation_id)
    ).first()


@public_page()
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    accepted = Q(statements__moderation=Moderation.ACCEPTED)
    conversations = list(
        queries.visible_conversations(request.user)
        .prefetch_related("workshop__facilitators")
        .annotate(statement_count=Count("statements", filter=accepted))
    )
    for conversation in conversations:
        conversation.state = _state(conversation)  # type: ignore[attr-defined]
        conversation.can_run = can_run_conversation(request.user, conversation)  # type: ignore[attr-defined]
    order = {"open": 0, "soon": 1, "closed": 2}
    conversations.sort(key=lambda c: order[c.state])  # type: ignore[attr-defined]
    return render_page(
        request,
        "conversations/index.html",
        {
            "conversations": conversations,
            "can_start": can_start_conversations(request.user),
            "can_import": can_run_any_conversation(request.user),
        },
    )


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    form: VoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    token = device.token_of(request)
    participant = _participant(conversation.pk, token)
    statements = list(queries.open_statements(conversation))
    mine = queries.votes_of(participant)
    context: dict[str, Any] = {
        "conversation": conversation,
        "state": _state(conversation),
        "next": queries.next_statement(conversation, participant),
        "statement_count": len(statements),
        "voted_count": sum(1 for s in statements if s.pk in mine),
        "my_votes": [(s, mine[s.pk]) for s in statements if s.pk in mine],
        "form": form,
        "can_run": can_run_conversation(request.user, conversation),
    }
    response = render_page(
        request, "conversations/conversation.html", context, fragment="voting", status=status
    )
    device.ensure_token(request, response)
    return response


def _same_for_every_reader(request: HttpRequest, slug: str) -> bool:
    """The page of a phone that has not voted here yet is everyone's such page (kept a short
    while, palabre.core.pagecache; a phone without a device cookie is given one with it); a
    phone that voted sees its votes: rendered for it."""
    # Asked on every visit, kept page or not: two lookups by index, not the visibility query
    # (a conversation no visitor may see is rendered, so answers 404; none of it is kept).
    found = Conversation.objects.filter(slug=slug).values_list("pk", flat=True).first()
    return found is not None and _participant(found, device.token_of(request)) is None


@public_page(shared=_same_for_every_reader, each_visit=device.ensure_token)
@require_GET
def conversation(request: HttpRequest, slug: str) -> HttpResponse:
    return _conversation_page(request, conversation_for(request, slug))


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """One vote from a phone: agree, disagree or pass on one statement."""
    found = conversation_for(request, slug)
    form = VoteForm(request.POST)
    token = device.token_of(request)
    if form.is_valid() and token is None:
        form.add_error(
            None,
            _(
                "Your browser did not keep our cookie, so this vote could not be counted. "
                "Allow cookies for this site (it holds a random number, nothing about you) and "
                "vote again."
            ),
        )
    if not form.is_valid() or token is None:
        return _conversation_page(request, found, form=form, status=400)
    limits = [throttle.tally(VOTES_PER_DEVICE, found.slug, token)]
    if _participant(found.pk, token) is None:
        limits.append(throttle.tally(NEW_DEVICES_PER_CLIENT, throttle.client_address(request)))
    wait = throttle.claim(limits)
    if wait is not None:
        return throttle.too_many_response(request, wait)
    statement = queries.open_statements(found).filter(pk=form.cleaned_data["statement"]).first()
    try:
        if statement is None:
            raise actions.ConversationError(_("This statement is not open to votes."))
        actions.cast_vote(
            participant=actions.participant_for_device(conversation=found, token=token),
            statement=statement,
            value=form.vote(),
        )
    except actions.ConversationError as error:
        form.add_error(None, error.message)
        return _conversation_page(request, found, form=form, status=400)
    if getattr(request, "htmx", False):
        return _conversation_page(request, found)
    # 303: the phone's back button does not offer to send the vote again.
    done = HttpResponseRedirect(reverse("conversations:conversation", args=[found.slug]) + "#vote")
    done.status_code = 303
    return done


@require_POST
def forget(request: HttpRequest, slug: str) -> HttpResponse:
    """Erase this phone's votes in the conversation."""
    found = conversation_for(request, slug)
    token = device.token_of(request)
    erased = actions.forget_device(conversation=found, token=token) if token else 0
    messages.success(
        request,
        ngettext(
            "%(count)d vote from this phone was erased.",
            "%(count)d votes from this phone were erased.",
            erased,
        )
        % {"count": erased},
    )
    return redirect("conversations:conversation", slug=found.slug)


@limit_anonymous_writes("statement")
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """A resident proposes a statement; it is shown once the team has read it."""
    found = conversation_for(request, slug)
    form = ProposeForm(request.POST or None)
    state = _state(found)
    if form.is_valid() and state == "open":
        # Per phone; a visitor refusing cookies is still limited per address, when anonymous
        # (limit_anonymous_writes above).
        token = device.token_of(request)
        wait = token and throttle.claim([throttle.tally(STATEMENTS_PER_DEVICE, found.slug, token)])
        if wait:
            return throttle.too_many_response(request, wait)
        try:
            actions.propose_statement(conversation=found, text=form.cleaned_data["text"])
        except actions.ConversationError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your statement is sent. The team reads it before it is shown "
                    "to others, usually within a day."
                ),
            )
            return redirect("conversations:conversation", slug=found.slug)
    elif form.is_bound and state != "open":
        form.add_error(None, _("This conversation is not open: statements cannot be added."))
    response = render_page(
        request,
        "conversations/propose.html",
        {"conversation": found, "form": form, "state": state},
        status=400 if form.is_bound else 200,
    )
    device.ensure_token(request, response)
    return response


@require_GET
def map_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The conversation's analysis, as `palabre opinions analyze --json` gives it, with ids as
    residents saw them (an imported conversation keeps the ids of its export)."""
    found = conversation_for(request, slug)
    stored = ConversationMap.objects.filter(conversation=found).first()
    data: dict[str, Any] = {
        "conversation": found.slug,
        "state": "waiting",
        "group_count": 0,
        "labels": {},
        "consensus": {"agree": [], "disagree": []},
        "repness": {},
    }
    if stored is not None:
        data |= {
            "state": stored.state,
            "reason": stored.reason,
            "vote_count": stored.vote_count,
            "computed_at": stored.computed_at.isoformat(),
        }
        data |= stored.result
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "max-age=5"
    return response


@require_http_methods(["GET", "POST"])
def new_conversation(request: HttpRequest) -> HttpResponse:
    require(can_start_conversations(request.user))
    form = NewConversationForm(
        request.POST or None, user=request.user, initial=ConversationForm.initial_for(None)
    )
    if form.is_valid():
        try:
            created = actions.create_conversation(
                by=request.user,
                title=form.cleaned_data["title"],
                statements=form.texts(),
                **form.fields_to_save(),
            )
        except actions.ConversationError as error:
            form.add_error("statements", error.message)
        else:
            messages.success(request, _("The conversation is created."))
            return redirect("conversations:manage", slug=created.slug)
    return render_page(
        request,
        "conversations/new.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _manage_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    form: ConversationForm | None = None,
    seed_form: SeedForm | None = None,
    moderating: tuple[int, ModerateForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = list(queries.pending_statements(conversation))
    forms = {s.pk: ModerateForm(initial={"text": s.text}, prefix=f"s{s.pk}") for s in pending}
    if moderating is not None:
        forms[moderating[0]] = moderating[1]
    statements = conversation.statements.exclude(moderation=Moderation.PENDING).annotate(
        agree=Count("votes", filter=Q(votes__value=1)),
        disagree=Count("votes", filter=Q(votes__value=-1)),
        passed=Count("votes", filter=Q(votes__value=0)),
    )
    return render_page(
        request,
        "conversations/manage.html",
        {
            "conversation": conversation,
            "form": form
            or ConversationForm(
                user=request.user,
                conversation=conversation,
                initial=ConversationForm.initial_for(conversation),
            ),
            "seed_form": seed_form or SeedForm(),
            "pending": [(s, forms[s.pk]) for s in pending],
            "statements": statements.order_by("written_at", "pk"),
            "participant_count": conversation.participants.count(),
            "state": _state(conversation),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    found = run_conversation(request, slug)
    if request.method == "GET":
        return _manage_page(request, found)
    form = ConversationForm(request.POST, user=request.user, conversation=found)
    if not form.is_valid():
        return _manage_page(request, found, form=form, status=400)
    actions.update_conversation(
        by=request.user,
        conversation=found,
        title=form.cleaned_data["title"],
        **form.fields_to_save(),
    )
    messages.success(request, _("The conversation is saved."))
    return redirect("conversations:manage", slug=found.slug)


@require_POST
def seed(request: HttpRequest, slug: str) -> HttpResponse:
    found = run_conversation(request, slug)
    form = SeedForm(request.POST)
    if form.is_valid():
        try:
            added = actions.seed_statements(by=request.user, conversation=found, texts=form.texts())
        except actions.ConversationError as error:
            form.add_error("statements", error.message)
        else:
            messages.success(request, _("Statements added: %(count)d.") % {"count": added})
            return redirect(reverse("conversations:manage", args=[found.slug]) + "#statements")
    return _manage_page(request, found, seed_form=form, status=400)


@require_POST
def moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = run_conversation(request, slug)
    statement = found.statements.filter(pk=pk).first()
    if statement is None:
        return redirect("conversations:manage", slug=found.slug)
    form = ModerateForm(request.POST, prefix=f"s{pk}")
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.moderate_statement(
                by=request.user,
                statement=statement,
                accept=accept,
                text=form.cleaned_data["text"] or None,
            )
        except actions.ConversationError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request, _("Statement accepted.") if accept else _("Statement rejected.")
            )
            return redirect(reverse("conversations:manage", args=[found.slug]) + "#pending")
    return _manage_page(request, found, moderating=(pk, form), status=400)
