"""A request resting on statements of opinion conversations (issue 19, item 5): its page and
the tracker show how many opinion groups mostly agree, and the addressee's inbox sorts by it;
only accepted statements of conversations the writer sees can be chosen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.conversations import actions as conversation_actions
from palabre.conversations import bridging
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Origin,
    Statement,
    Value,
)
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import World
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests import actions
from palabre.official_requests.models import Request

pytestmark = pytest.mark.django_db

DRAFT = reverse("official_requests:draft")
TRACKER = reverse("official_requests:tracker")
PORTAL = reverse("official_requests:portal")


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def two_camps(slug: str = "place-communale") -> tuple[Statement, Statement]:
    """A published conversation where cards 1..10 agree with X and cards 11..20 disagree with
    it, and everyone agrees with Y; its map computed and its support stored, as the worker
    does (calling store_support again after refresh_map changes nothing)."""
    conversation = make_conversation(slug=slug)
    statements = make_statements(conversation, 8)
    for card in range(1, 21):
        voter = conversation_actions.participant_for_card(conversation=conversation, number=card)
        camp = Value.AGREE if card <= 10 else Value.DISAGREE
        for position, statement in enumerate(statements):
            value = camp if position < 5 else Value.AGREE
            conversation_actions.cast_vote(participant=voter, statement=statement, value=value)
    assert conversation_actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    result = ConversationMap.objects.get(conversation=conversation).result
    bridging.store_support(conversation=conversation, result=result)
    x, y = (Statement.objects.get(pk=s.pk) for s in (statements[0], statements[5]))
    assert (x.groups_agreeing, x.group_count) == (1, 2)
    assert (y.groups_agreeing, y.group_count) == (2, 2)
    return x, y


def draft(world: World, title: str, statements: list[Statement], *, send: bool = True) -> Request:
    """A request drafted through the service's form, resting on `statements`; sent to the
    official."""
    response = signed_in(world, "coordinator").post(
        DRAFT,
        {
            "neighbourhood": str(world.home.pk),
            "title": title,
            "asked": f"{title}.",
            "statements": [str(s.pk) for s in statements],
        },
    )
    assert response.status_code == 302, response.text
    made = Request.objects.get(title=title)
    if send:
        actions.send_request(
            by=world.person("coordinator"), request=made, official=world.person("official")
        )
    return made


def figure(page: str, request: Request) -> str | None:
    """The support across groups shown in the row or card of `request` ("2/2"), if any."""
    link = reverse("official_requests:detail", args=[request.pk])
    found = re.search(rf'href="{link}".*?(?:data-bridging="(\d+/\d+)"|</tr>|</li>)', page, re.S)
    assert found is not None, f"{request.title} not listed"
    return found.group(1)


def test_the_service_drafts_a_request_resting_on_chosen_statements(world: World) -> None:
    x, y = two_camps()
    client = signed_in(world, "coordinator")
    page = client.get(DRAFT, {"statement": str(y.pk)}).text
    # Offered conversation by conversation, with their support; a link may tick one.
    assert f'id="statement-{x.pk}"' in page
    assert re.search(rf'value="{y.pk}" id="statement-{y.pk}" checked', page)
    assert not re.search(rf'value="{x.pk}" id="statement-{x.pk}" checked', page)
    assert 'data-bridging="2/2"' in page
    made = draft(world, "Une place pour tous", [x, y], send=False)
    assert set(made.statements.all()) == {x, y}


def test_only_accepted_statements_can_be_chosen_and_nothing_typed_is_lost(world: World) -> None:
    conversation = make_conversation()
    pending = make_statements(conversation, 1, origin=Origin.RESIDENT)[0]
    response = signed_in(world, "coordinator").post(
        DRAFT,
        {
            "neighbourhood": str(world.home.pk),
            "title": "Un banc",
            "asked": "Un banc sur la place.",
            "statements": [str(pending.pk), "99999999999999999999"],
        },
    )
    assert response.status_code == 200  # the draft form's refusal, as for its other fields
    assert 'id="id_statements_error"' in response.text
    assert f'id="statement-{pending.pk}"' not in response.text  # not offered either
    assert 'value="Un banc"' in response.text
    assert not Request.objects.exists()


def test_a_statement_of_a_conversation_one_cannot_see_is_refused_by_the_action(
    world: World,
) -> None:
    hidden = make_conversation(slug="brouillon", is_published=False)  # the service's only
    statement = make_statements(hidden, 1)[0]
    initiative = make_initiative(world)  # the resident leads it and asks the city's support
    common: dict[str, Any] = {
        "by": world.person("resident"),
        "neighbourhood": world.home,
        "title": "Fermer la rue",
        "asked": "Fermer la rue un samedi.",
        "initiative": initiative,
    }
    with pytest.raises(actions.RequestError):
        actions.draft_request(**common, statements=[statement])
    assert not Request.objects.exists()
    Conversation.objects.filter(pk=hidden.pk).update(is_published=True)
    made = actions.draft_request(**common, statements=[statement])
    assert list(made.statements.all()) == [statement]


def test_the_request_page_shows_its_best_statement_and_how_the_figure_is_made(
    world: World,
) -> None:
    x, y = two_camps()
    on_both = draft(world, "Une place pour tous", [x, y])
    page = Client().get(reverse("official_requests:detail", args=[on_both.pk])).text
    support = page.index('id="bridging-title"')
    assert page.index('data-bridging="2/2"', support) < page.index('data-bridging="1/2"', support)
    assert 'id="bridging-explained"' in page
    assert reverse("conversations:conversation", args=[x.conversation.slug]) in page
    assert y.text in page


def test_nothing_is_shown_without_statements_or_without_a_map(world: World) -> None:
    bare = draft(world, "Sans affirmation", [])
    page = Client().get(reverse("official_requests:detail", args=[bare.pk])).text
    assert 'id="bridging-title"' not in page
    assert "data-bridging" not in page
    unmapped = make_statements(make_conversation(slug="sans-carte"), 1)[0]
    waiting = draft(world, "Sans carte", [unmapped])
    page = Client().get(reverse("official_requests:detail", args=[waiting.pk])).text
    assert unmapped.text in page  # what it rests on is listed
    assert "data-bridging" not in page  # but no figure before the map
    assert 'id="bridging-explained"' not in page
    tracker = Client().get(TRACKER).text
    assert figure(tracker, bare) is None
    assert figure(tracker, waiting) is None


def test_the_tracker_shows_the_support_of_each_request_to_those_who_see_the_conversation(
    world: World,
) -> None:
    x, y = two_camps()
    on_x = draft(world, "Demande sur X", [x])
    on_y = draft(world, "Demande sur Y", [y])
    page = Client().get(TRACKER).text
    assert figure(page, on_x) == "1/2"
    assert figure(page, on_y) == "2/2"
    assert 'id="bridging-explained"' in page
    # A conversation taken back to draft: its figures are the service's only.
    Conversation.objects.filter(pk=x.conversation_id).update(is_published=False)
    assert figure(Client().get(TRACKER).text, on_y) is None
    assert figure(signed_in(world, "coordinator").get(TRACKER).text, on_y) == "2/2"


def test_the_inbox_sorted_by_support_puts_the_request_agreed_across_more_groups_first(
    world: World,
) -> None:
    x, y = two_camps()
    on_x = draft(world, "Demande sur X", [x])
    on_y = draft(world, "Demande sur Y", [y])
    without = draft(world, "Demande sans affirmation", [])
    client = signed_in(world, "official")
    by_deadline = client.get(PORTAL).text
    assert by_deadline.index(on_x.title) < by_deadline.index(on_y.title)  # same day: oldest
    page = client.get(PORTAL, {"order": "support"}).text
    assert page.index(on_y.title) < page.index(on_x.title) < page.index(without.title)
    assert figure(page, on_y) == "2/2"
    assert figure(page, without) is None
    assert 'id="bridging-explained"' in page
    # The order is kept on the "done" tab's link.
    assert "order=support&amp;vue=faits" in page


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_inbox_and_the_tracker_make_the_same_queries_whatever_the_number_of_requests(
    world: World, django_assert_num_queries: Any
) -> None:
    x, y = two_camps()
    draft(world, "Première", [x])
    official = signed_in(world, "official")
    visitor = Client()
    official.get(PORTAL, {"order": "support"})
    visitor.get(TRACKER)
    # The same as without statements (test_inbox.py): the figure is part of the list's query.
    with django_assert_num_queries(6):
        official.get(PORTAL, {"order": "support"})
    with django_assert_num_queries(6):
        official.get(PORTAL)
    with django_assert_num_queries(3):
        visitor.get(TRACKER)
    for number in range(4):
        draft(world, f"Demande {number}", [x, y] if number % 2 else [y])
    with django_assert_num_queries(6):
        official.get(PORTAL, {"order": "support"})
    with django_assert_num_queries(3):
        visitor.get(TRACKER)


def test_a_merged_duplicate_s_statements_move_to_the_request_kept(world: World) -> None:
    x, y = two_camps()
    keep = draft(world, "Demande gardée", [x])
    duplicate = draft(world, "Doublon", [y])
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    assert set(keep.statements.all()) == {x, y}
    assert figure(Client().get(TRACKER).text, keep) == "2/2"
