"""A dialogue with the neighbourhood (issue 15, item 5): an addressee's question is told to the
followers and to the authors of what was said; residents reply online (with or without an
account) or on paper at the next workshop, typed in by its facilitator; everyone reads the
replies grouped under the question."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World, pdf_text, sent_mail
from palabre.neighbourhoods.tests.factories import make_venue
from palabre.official_requests import actions
from palabre.official_requests.models import Event, Follower, Reply, Request
from palabre.official_requests.tests.factories import make_request
from palabre.privacy.queries import account_data
from palabre.workshops.models import Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db

QUESTION = "Le ralentisseur, plutôt devant l'école ou au carrefour ?"
KEY = "k" * 24


def asked(world: World, *, days_ago: int = 0) -> tuple[Request, Event]:
    request = make_request(world, sent=True)
    question = actions.ask_neighbourhood(
        by=world.person("official"), request=request, question=QUESTION
    )
    if days_ago:
        Event.objects.filter(pk=question.pk).update(at=timezone.now() - timedelta(days=days_ago))
    sent_mail().clear()
    return request, question


def reply_url(request: Request, question: Event) -> str:
    return reverse("official_requests:reply", args=[request.pk, question.pk])


def paper_url(request: Request, question: Event) -> str:
    return reverse("official_requests:paper_replies", args=[request.pk, question.pk])


def held_elsewhere(world: World) -> Workshop:
    """A workshop held yesterday in another neighbourhood."""
    return make_workshop(
        status=Status.HELD,
        days_from_now=-1,
        neighbourhood=world.elsewhere,
        venue=make_venue(neighbourhood=world.elsewhere, slug="salle-jambes"),
        cycle=make_cycle([world.elsewhere], slug="jambes"),
    )


def page_of(request: Request, client: Client | None = None) -> str:
    found = (client or Client()).get(reverse("official_requests:detail", args=[request.pk]))
    return html.unescape(found.text)


def test_asking_tells_the_followers_and_the_authors_in_their_language(world: World) -> None:
    request = make_request(world, sent=True)
    follower = world.person("resident")
    follower.preferred_language = "nl"
    follower.save()
    actions.follow(by=follower, request=request, following=True)
    author = world.person("neighbour")
    request.contributions.add(make_post(world.home, "Trop de voitures.", by=author))
    sent_mail().clear()
    question = actions.ask_neighbourhood(
        by=world.person("official"), request=request, question=QUESTION
    )
    by_address = {message.to[0]: message for message in sent_mail()}
    assert set(by_address) == {follower.email, author.email}
    to_follower = by_address[follower.email]
    assert to_follower.subject == "Een vraag aan de wijk: Un ralentisseur devant l'école"
    assert QUESTION in to_follower.body
    assert reply_url(request, question) in to_follower.body
    assert "zonder account" in to_follower.body
    assert reply_url(request, question) in by_address[author.email].body
    assert "sans compte" in by_address[author.email].body


def test_a_resident_replies_without_an_account_once_and_reads_it_under_the_question(
    world: World,
) -> None:
    request, question = asked(world)
    client = Client()
    assert QUESTION in html.unescape(client.get(reply_url(request, question)).text)
    data = {"key": KEY, "text": "Au carrefour : les enfants y traversent.", "follow": "on"}
    sent = client.post(reply_url(request, question), data)
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"#question-{question.pk}")
    again = client.post(reply_url(request, question), data)  # a double click
    assert again.status_code == 302
    saved = Reply.objects.get()
    assert (saved.author, saved.on_paper, saved.language) == (None, False, "fr")
    assert not Follower.objects.exists()  # nobody to follow without an account
    page = page_of(request)
    assert "Au carrefour : les enfants y traversent." in page
    assert "1 réponse pour l'instant" in page


def test_a_signed_in_resident_may_follow_the_request_while_replying(world: World) -> None:
    request, question = asked(world)
    client = Client()
    resident = world.person("resident")
    client.force_login(resident)
    client.post(reply_url(request, question), {"key": KEY, "text": "Au carrefour.", "follow": "on"})
    assert Reply.objects.get().author == resident
    assert Follower.objects.filter(request=request, user=resident).exists()
    # Nobody's name is shown under the question, an account's neither.
    assert resident.display_name not in page_of(request).split("Questions au quartier")[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Écrivez votre réponse avant de l'envoyer."),
        ("long " * 300, "1000 caractères au plus (ce texte en a 1499)"),
    ],
)
def test_a_refused_reply_says_why_and_keeps_what_was_typed(
    world: World, text: str, message: str
) -> None:
    request, question = asked(world)
    refused = Client().post(reply_url(request, question), {"key": KEY, "text": text})
    page = html.unescape(refused.text)
    assert refused.status_code == 200
    assert message in page
    assert text.strip()[:50] in page
    assert not Reply.objects.exists()


def test_a_done_request_takes_no_reply_and_keeps_the_text_typed(world: World) -> None:
    request, question = asked(world)
    official = world.person("official")
    actions.answer(by=official, request=request, kind="accepted", text="Oui.", version=1)
    actions.mark_done(by=official, request=Request.objects.get(pk=request.pk))
    refused = Client().post(reply_url(request, question), {"key": KEY, "text": "Au carrefour."})
    page = html.unescape(refused.text)
    assert "Cette demande est réalisée\u00a0: on ne peut plus répondre à ses questions." in page
    assert "Au carrefour." in page
    assert not Reply.objects.exists()
    assert "Répondre à cette question" not in page_of(request)


def test_only_a_public_question_of_a_visible_request_opens_the_reply_page(world: World) -> None:
    request, question = asked(world)
    note = actions.add_note(by=world.person("official"), request=request, note="Vu.", public=True)
    other = make_request(world)  # a draft: the service's only
    client = Client()
    assert client.get(reply_url(request, note)).status_code == 404
    drafted = reverse("official_requests:reply", args=[other.pk, question.pk])
    assert client.get(drafted).status_code == 404
    assert client.post(reply_url(request, note), {"key": KEY, "text": "Oui."}).status_code == 404
    assert not Reply.objects.exists()


def test_the_facilitator_types_in_the_replies_written_at_the_workshop(world: World) -> None:
    request, question = asked(world, days_ago=3)
    workshop = make_hosted_workshop(world, days_from_now=-1)
    client = Client()
    client.force_login(world.person("facilitator"))
    form = html.unescape(client.get(paper_url(request, question)).text)
    assert QUESTION in form
    data = {
        "key": KEY,
        "workshop": workshop.pk,
        "language": "fr",
        "replies": "Au carrefour.\n\nDevant l'école,\nà cause des bus.\n\n\n  \nLes deux.",
    }
    typed = client.post(paper_url(request, question), data)
    assert typed.status_code == 302
    assert client.post(paper_url(request, question), data).status_code == 302  # sent twice
    replies = list(Reply.objects.order_by("position"))
    assert [reply.text for reply in replies] == [
        "Au carrefour.",
        "Devant l'école,\nà cause des bus.",
        "Les deux.",
    ]
    assert {
        (reply.on_paper, reply.workshop, reply.typed_by, reply.language) for reply in replies
    } == {(True, workshop, world.person("facilitator"), "fr")}
    page = page_of(request)
    assert "3 réponses pour l'instant" in page
    assert "Sur papier, à l'atelier du" in page


def test_paper_replies_come_from_a_workshop_of_the_neighbourhood_held_since(
    world: World,
) -> None:
    request, question = asked(world, days_ago=3)
    elsewhere = held_elsewhere(world)
    before = make_hosted_workshop(world, days_from_now=-10)
    client = Client()
    client.force_login(world.person("facilitator"))
    for workshop in (elsewhere, before):
        refused = client.post(
            paper_url(request, question),
            {"key": KEY, "workshop": workshop.pk, "language": "fr", "replies": "Au carrefour."},
        )
        assert refused.status_code == 200
        assert "Au carrefour." in html.unescape(refused.text)  # kept
    assert not Reply.objects.exists()


def test_a_paragraph_too_long_to_be_one_reply_is_refused(world: World) -> None:
    request, question = asked(world)
    client = Client()
    client.force_login(world.person("facilitator"))
    refused = client.post(
        paper_url(request, question),
        {"key": KEY, "language": "fr", "replies": "Court.\n\n" + "mot " * 400},
    )
    assert "La réponse 2 dépasse 1000 caractères" in html.unescape(refused.text)
    assert not Reply.objects.exists()


def test_the_service_takes_a_reply_down_and_its_place_says_so(world: World) -> None:
    request, question = asked(world)
    actions.reply_to_question(
        by=None, question=question, text="Madame Dupont roule trop vite.", key=KEY, language="fr"
    )
    actions.reply_to_question(
        by=None, question=question, text="Plutôt au carrefour.", key="m" * 24, language="fr"
    )
    reply = Reply.objects.get(text__startswith="Madame")
    client = Client()
    client.force_login(world.person("coordinator"))
    step = {"step": "hide_reply", "reply": reply.pk}
    act = reverse("official_requests:act", args=[request.pk])
    assert client.post(act, step).status_code == 302
    hidden_at = Reply.objects.get(pk=reply.pk).hidden_at
    assert hidden_at is not None
    assert client.post(act, step).status_code == 302  # a second click changes nothing
    assert Reply.objects.get(pk=reply.pk).hidden_at == hidden_at
    assert not actions.hide_reply(by=world.person("coordinator"), reply=reply)
    page = page_of(request)
    assert "Madame Dupont" not in page
    assert "Plutôt au carrefour." in page  # only that reply is taken down
    assert "Le service a retiré cette réponse" in page
    official = Client()
    official.force_login(world.person("official"))
    assert official.post(act, step).status_code == 403  # the service moderates, nobody else


def test_the_next_workshop_sheet_prints_the_question_with_room_to_reply(world: World) -> None:
    _request, question = asked(world)
    actions.reply_to_question(by=None, question=question, text="Oui.", key=KEY, language="fr")
    pdf = Client().get(reverse("official_requests:since_last_time", args=[world.home.slug])).content
    text = " ".join(pdf_text(pdf).split())
    assert QUESTION in text
    assert "1 réponse pour l'instant. Votre réponse" in text


def test_an_account_s_replies_are_in_its_data(world: World) -> None:
    _request, question = asked(world)
    resident = world.person("resident")
    actions.reply_to_question(
        by=resident, question=question, text="Au carrefour.", key=KEY, language="fr"
    )
    assert account_data(resident)["replies_to_questions"][0]["reply"] == "Au carrefour."


def test_the_request_page_reads_the_same_queries_with_more_questions_and_replies(
    world: World, django_assert_max_num_queries: Any
) -> None:
    request, _question = asked(world)
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("official_requests:detail", args=[request.pk])
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for number in range(3):
        more = actions.ask_neighbourhood(
            by=world.person("official"), request=request, question=f"Question {number} ?"
        )
        for reply in range(3):
            actions.reply_to_question(
                by=None, question=more, text="Oui.", key=f"{'k' * 20}{number}{reply}", language="fr"
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_anonymous_replies_sprayed_from_one_client_are_stopped(world: World, settings: Any) -> None:
    settings.ANONYMOUS_WRITES_PER_CLIENT = 2
    request, question = asked(world)
    client = Client()
    statuses = [
        client.post(
            reply_url(request, question), {"key": f"{'s' * 20}{n}", "text": "Oui."}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Reply.objects.count() == 2


def test_what_a_dutch_speaking_official_writes_carries_its_language(world: World) -> None:
    request = make_request(world, sent=True)
    official = world.person("official")
    with translation.override("nl"):
        actions.ask_neighbourhood(by=official, request=request, question="Waar precies?")
        actions.answer(by=official, request=request, kind="accepted", text="Akkoord.", version=1)
    page = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert '<p lang="nl">Waar precies?</p>' in page
    assert '<p lang="nl">Akkoord.</p>' in page
    dutch = Client()
    dutch.cookies["django_language"] = "nl"
    in_dutch = dutch.get(reverse("official_requests:detail", args=[request.pk])).text
    assert "<p>Akkoord.</p>" in in_dutch  # the page's own language: nothing to mark


def test_the_request_s_own_texts_carry_the_language_the_service_wrote_them_in(
    world: World,
) -> None:
    request = make_request(world, sent=True)  # drafted on a French page
    assert request.language == "fr"
    dutch = Client()
    dutch.cookies["django_language"] = "nl"
    for url in (
        reverse("official_requests:detail", args=[request.pk]),
        reverse("official_requests:tracker"),
    ):
        page = dutch.get(url).text
        assert '<span lang="fr">Un ralentisseur devant l&#x27;école</span>' in page
    page = dutch.get(reverse("official_requests:detail", args=[request.pk])).text
    assert '<p lang="fr">Installer un ralentisseur rue de Bomel' in page
    in_french = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert "<h1>Un ralentisseur devant l&#x27;école</h1>" in in_french  # nothing to mark
    assert "<title>Un ralentisseur devant l&#x27;école" in in_french  # no markup in the title


def test_the_paper_replies_action_says_why_it_refuses(world: World) -> None:
    _request, question = asked(world)
    facilitator = world.person("facilitator")
    with pytest.raises(actions.RequestError, match=r"^Tapez au moins une réponse\.$"):
        actions.type_paper_replies(
            by=facilitator, question=question, replies=[" ", ""], key=KEY, language="fr"
        )
    elsewhere = held_elsewhere(world)
    with pytest.raises(actions.RequestError, match=r"^Choisissez un atelier de ce quartier\.$"):
        actions.type_paper_replies(
            by=facilitator,
            question=question,
            replies=["Au carrefour."],
            key=KEY,
            language="fr",
            workshop=elsewhere,
        )
    assert not Reply.objects.exists()


def test_a_reply_goes_only_to_a_public_question_of_a_request_still_open(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    request, question = asked(world)
    for public in (False, True):  # a note, private or public, is no question
        note = actions.add_note(
            by=world.person("official"), request=request, note="Une note.", public=public
        )
        with pytest.raises(PermissionDenied):
            actions.reply_to_question(by=None, question=note, text="Oui.", key=KEY, language="fr")
    with pytest.raises(actions.RequestError, match=r"^Écrivez votre réponse avant de l'envoyer\.$"):
        actions.reply_to_question(by=None, question=question, text="  ", key=KEY, language="fr")
    official = world.person("official")
    actions.answer(by=official, request=request, kind="accepted", text="Oui.", version=1)
    actions.mark_done(by=official, request=Request.objects.get(pk=request.pk))
    question = Event.objects.select_related("request").get(pk=question.pk)
    with pytest.raises(actions.RequestError, match="on ne peut plus répondre à ses questions"):
        actions.reply_to_question(by=None, question=question, text="Oui.", key=KEY, language="fr")
    assert not Reply.objects.exists()


def test_a_form_key_keeps_one_reply_and_is_refused_on_another_question(world: World) -> None:
    request, question = asked(world)
    other = actions.ask_neighbourhood(
        by=world.person("official"), request=request, question="Et le dimanche ?"
    )
    facilitator = world.person("facilitator")
    online: dict[str, Any] = {"by": None, "text": "Oui.", "key": KEY, "language": "fr"}
    assert actions.reply_to_question(question=question, **online) is True
    assert actions.reply_to_question(question=question, **online) is False  # sent twice
    actions.reply_to_question(question=other, **(online | {"key": "o" * 24}))
    used = r"^Ce formulaire a déjà été envoyé\xa0: rechargez la page\.$"
    with pytest.raises(actions.RequestError, match=used):  # its key, on another question
        actions.reply_to_question(question=other, **online)
    paper: dict[str, Any] = {
        "by": facilitator,
        "replies": ["Oui.", "Non."],
        "key": "p" * 24,
        "language": "fr",
    }
    assert actions.type_paper_replies(question=question, **paper) == 2
    assert actions.type_paper_replies(question=question, **paper) == 0  # sent twice
    with pytest.raises(actions.RequestError, match=used):
        actions.type_paper_replies(question=other, **paper)
    assert Reply.objects.filter(question=question).count() == 3
    assert Reply.objects.filter(question=other).count() == 1
