from __future__ import annotations

from palabre.core.testing import PERSONAS, MatrixRow, World, everyone, only
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.tests.matrix import INVOLVED, STAFF


def _sent(world: World) -> dict[str, int]:
    from palabre.official_requests.tests.factories import make_request

    return {"pk": make_request(world, sent=True).pk}


def _drafted(world: World) -> dict[str, int]:
    from palabre.official_requests.tests.factories import make_request

    return {"pk": make_request(world).pk}


def _sent_with_a_department(world: World) -> dict[str, int]:
    """Sent to the official, who is also a member of the roads department: once the
    coordinator (who posts first) delegated it there, the official still answers for it."""
    from palabre.official_requests.tests.factories import make_department

    make_department(world).members.add(world.person("official"))
    return _sent(world)


def _to_the_department(world: World) -> dict[str, int | str]:
    from palabre.official_requests.models import Department

    return {"step": "redirect", "department": Department.objects.get().pk}


def _home_with_a_request(world: World) -> dict[str, str]:
    _sent(world)
    return {"slug": world.home.slug}


def _workshop_with_a_request(world: World, status: WorkshopStatus) -> dict[str, int]:
    from palabre.workshops.tests.factories import make_hosted_workshop

    _sent(world)
    return {"pk": make_hosted_workshop(world, status=status).pk}


def _workshop_in_the_hidden_neighbourhood(world: World) -> dict[str, int]:
    from palabre.workshops.models import Workshop
    from palabre.workshops.tests.factories import make_hosted_workshop

    workshop = make_hosted_workshop(world)
    Workshop.objects.filter(pk=workshop.pk).update(neighbourhood=world.hidden)
    return {"pk": workshop.pk}


SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


def _a_closed_day_to_remove(world: World) -> dict[str, str | int]:
    from datetime import date

    from palabre.official_requests.models import ClosedDay

    closed, _ = ClosedDay.objects.get_or_create(day=date(2027, 9, 20), name="Fêtes de Wallonie")
    return {"step": "remove", "closed_day": closed.pk, "annee": "2027"}


def _a_template(world: World) -> dict[str, int]:
    from palabre.official_requests.models import AnswerTemplate

    return {"pk": AnswerTemplate.objects.create(title="Accord", kind="accepted", text="Oui.").pk}


def _latest_version() -> int:
    from palabre.official_requests.models import Request

    return Request.objects.values_list("version", flat=True).latest("pk")


def _answered_by_letter(world: World) -> dict[str, int]:
    """Answered by letter, recorded by the service with a photo of the letter."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps
    from palabre.official_requests import actions
    from palabre.official_requests.tests.factories import make_request

    request = make_request(world, sent=True)
    actions.record_answer(
        by=world.person("coordinator"),
        request=request,
        kind="accepted",
        text="Accordé.",
        version=request.version,
        received_via="letter",
        document=SimpleUploadedFile("lettre.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    return {"pk": request.pk}


def _update_with_photo(world: World) -> dict[str, int]:
    """An answered request with a public progress update and its photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from palabre.core.testing import jpeg_with_gps
    from palabre.official_requests import actions
    from palabre.official_requests.tests.factories import make_request

    request = make_request(world, sent=True)
    actions.answer(
        by=world.person("official"), request=request, kind="accepted", text="Oui.", version=1
    )
    update = actions.post_update(
        by=world.person("official"),
        request=request,
        note="Les travaux commencent.",
        progress="started",
        photo=SimpleUploadedFile("chantier.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    return {"pk": request.pk, "update": update.pk}


def _asked(world: World) -> dict[str, int]:
    """A sent request whose official asked the neighbourhood a question."""
    from palabre.official_requests import actions
    from palabre.official_requests.tests.factories import make_request

    request = make_request(world, sent=True)
    question = actions.ask_neighbourhood(
        by=world.person("official"), request=request, question="Où, exactement\u00a0?"
    )
    return {"pk": request.pk, "question": question.pk}


def _a_reply_to_take_down(world: World) -> dict[str, int | str]:
    from palabre.official_requests import actions
    from palabre.official_requests.models import Event, EventKind

    question = Event.objects.get(kind=EventKind.QUESTION)
    actions.reply_to_question(
        by=None, question=question, text="Chez Dupont.", key="m" * 24, language="fr"
    )
    return {"step": "hide_reply", "reply": question.replies.get().pk}


def _sent_and_asked(world: World) -> dict[str, int]:
    return {"pk": _asked(world)["pk"]}


TRANSCRIBERS = ("facilitator", *STAFF)


def _followed_without_an_account(world: World) -> dict[str, str]:
    """The private page of someone following a sent request by email: its link is the key."""
    from palabre.links.actions import create_link
    from palabre.links.models import Purpose
    from palabre.official_requests.models import ContactFollower
    from palabre.official_requests.tests.factories import make_request

    link = create_link(purpose=Purpose.REQUEST, email="amina@example.org")
    ContactFollower.objects.create(
        request=make_request(world, sent=True), email=link.email, language="fr", link=link
    )
    return {"token": link.token}


def _a_cabinet_member(world: World) -> dict[str, int | str]:
    from palabre.official_requests.models import CabinetMember

    return {"step": "allow", "member": CabinetMember.objects.get().pk, "allowed": "1"}


def _someone_to_add(world: World) -> dict[str, int | str]:
    """A resident's account the service adds to the official's cabinet (again: no change)."""
    from palabre.accounts.models import User
    from palabre.accounts.tests.factories import make_user

    email = "collaboratrice@example.org"
    if not User.objects.filter(email=email).exists():
        make_user(email=email)
    official = world.person("official").pk
    return {"step": "add", "official": official, f"o{official}-email": email}


ROWS = [
    MatrixRow(
        "official_requests:follow_by_contact",
        everyone(302),
        kwargs=_sent,
        method="post",
        state="an email address",
        data=lambda w: {"contact": "amina@example.org"},
    ),
    # The private link is the permission, whoever is signed in (or not).
    MatrixRow("official_requests:followed", everyone(200), kwargs=_followed_without_an_account),
    MatrixRow(
        "official_requests:followed",
        everyone(404),
        kwargs=lambda w: {"token": "Unknown-Secret-0123456789abcdef"},
        state="an unknown link",
    ),
    MatrixRow("official_requests:cabinets", only(200, (*STAFF, "official"), otherwise=403)),
    MatrixRow(
        "official_requests:cabinets",
        # The official decides who publishes in their name; the service adds and removes.
        only(302, ("official",), otherwise=403) | {"coordinator": 404, "administrator": 404},
        method="post",
        state="let a collaborator publish",
        data=_a_cabinet_member,
    ),
    MatrixRow(
        "official_requests:cabinets",
        only(302, STAFF, otherwise=403),
        method="post",
        state="add a collaborator",
        data=_someone_to_add,
    ),
    MatrixRow("official_requests:reply", everyone(200), kwargs=_asked),
    MatrixRow(
        "official_requests:reply",
        everyone(302),
        kwargs=_asked,
        method="post",
        state="reply",
        data=lambda w: {"key": "r" * 24, "text": "Au carrefour."},
    ),
    MatrixRow(
        "official_requests:paper_replies",
        only(200, TRANSCRIBERS, otherwise=403),
        kwargs=_asked,
    ),
    MatrixRow(
        "official_requests:paper_replies",
        only(302, TRANSCRIBERS, otherwise=403),
        kwargs=_asked,
        method="post",
        state="type in",
        data=lambda w: {"key": "p" * 24, "language": "fr", "replies": "Oui.\n\nNon."},
    ),
    MatrixRow(
        "official_requests:act",
        only(302, STAFF, otherwise=403),
        kwargs=_sent_and_asked,
        method="post",
        state="take a reply down",
        data=_a_reply_to_take_down,
    ),
    MatrixRow("official_requests:update_photo", everyone(200), kwargs=_update_with_photo),
    MatrixRow("official_requests:tracker", everyone(200)),
    MatrixRow("official_requests:figures", everyone(200)),
    MatrixRow("official_requests:draft", only(200, STAFF, otherwise=403)),
    MatrixRow("official_requests:portal", only(200, SIGNED_IN, otherwise=403)),
    MatrixRow("official_requests:departments", only(200, STAFF, otherwise=403)),
    MatrixRow("official_requests:closed_days", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "official_requests:closed_days",
        only(200, STAFF, otherwise=403),
        state="with GET a year out of range",
        data=lambda w: {"annee": "99999"},
    ),
    MatrixRow(
        "official_requests:closed_days",
        # Each staff persona removes a day of their own (a removal twice changes nothing).
        only(302, STAFF, otherwise=403),
        method="post",
        state="remove a day",
        data=_a_closed_day_to_remove,
    ),
    MatrixRow("official_requests:answer_templates", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "official_requests:answer_templates",
        # The coordinator adds it; the administrator's identical add is refused in the page.
        only(302, ("coordinator",), otherwise=403) | {"administrator": 200},
        method="post",
        state="add",
        data=lambda w: {"title": "Refus motivé", "kind": "refused", "text": "Parce que."},
    ),
    MatrixRow(
        "official_requests:answer_template",
        only(200, STAFF, otherwise=403),
        kwargs=_a_template,
    ),
    MatrixRow(
        "official_requests:answer_template",
        only(302, STAFF, otherwise=403),
        kwargs=_a_template,
        method="post",
        state="save",
        data=lambda w: {"step": "save", "title": "Accord", "kind": "accepted", "text": "Oui."},
    ),
    MatrixRow(
        "official_requests:answer_template",
        only(200, STAFF, otherwise=403),
        kwargs=_a_template,
        method="post",
        state="ask to delete",
        data=lambda w: {"step": "delete"},
    ),
    MatrixRow("official_requests:detail", everyone(200), kwargs=_sent, state="sent"),
    MatrixRow(
        "official_requests:detail",
        only(200, STAFF, otherwise=404),
        kwargs=_drafted,
        state="drafted",
    ),
    # The service's translations of a request's texts.
    MatrixRow("official_requests:texts", only(200, STAFF, otherwise=403), kwargs=_sent),
    MatrixRow(
        "official_requests:texts",
        only(200, STAFF, otherwise=404),
        kwargs=_drafted,
        state="drafted",
    ),
    MatrixRow(
        "official_requests:texts",
        only(302, STAFF, otherwise=403),
        kwargs=_sent,
        method="post",
        state="save",
        data=lambda w: {"language": "fr", "title_nl": "Een bank", "asked_nl": "Een bank."},
    ),
    # The letter received: the service and the addressee only.
    MatrixRow(
        "official_requests:answer_document",
        only(200, (*STAFF, "official"), otherwise=404),
        kwargs=_answered_by_letter,
    ),
    MatrixRow(
        "official_requests:act",
        only(302, STAFF, otherwise=403),
        kwargs=_sent,
        method="post",
        state="record an answer received by letter",
        data=lambda w: {
            "step": "record",
            "record-received_via": "letter",
            "record-kind": "accepted",
            "record-text": "Accordé.",
            "record-version": str(_latest_version()),
        },
    ),
    MatrixRow(
        "official_requests:act",
        # Acknowledging is preparing: the official's cabinet does it too.
        only(302, ("official", "cabinet"), otherwise=404),
        kwargs=_sent,
        method="post",
        state="acknowledge, addressed to the official",
        data=lambda w: {"step": "acknowledge"},
    ),
    MatrixRow(
        "official_requests:act",
        only(302, (*STAFF, "official", "cabinet"), otherwise=403),
        kwargs=_sent,
        method="post",
        state="private note",
        data=lambda w: {"step": "note", "note": "Vu avec le service.", "public": ""},
    ),
    MatrixRow(
        "official_requests:act",
        # Hidden (404) while drafted; once the coordinator sent it, visible but not theirs (403).
        only(302, STAFF, otherwise=404) | {"partner": 403, "official": 403, "cabinet": 403},
        kwargs=_drafted,
        method="post",
        state="send a draft",
        data=lambda w: {"step": "send", "official": w.person("official").pk},
    ),
    MatrixRow(
        "official_requests:since_last_time",
        everyone(200),
        kwargs=_home_with_a_request,
    ),
    MatrixRow(
        "official_requests:since_last_time",
        only(200, STAFF, otherwise=404),
        kwargs=lambda w: {"slug": w.hidden.slug},
        state="unpublished neighbourhood",
    ),
    MatrixRow(
        "official_requests:since_last_time_for",
        everyone(200),
        kwargs=lambda w: _workshop_with_a_request(w, WorkshopStatus.ANNOUNCED),
    ),
    MatrixRow(
        "official_requests:since_last_time_for",
        # As the workshop's page: the service and the people running or hosting it.
        only(200, INVOLVED, otherwise=404),
        kwargs=lambda w: _workshop_with_a_request(w, WorkshopStatus.PLANNED),
        state="planned workshop",
    ),
    MatrixRow(
        "official_requests:since_last_time_for",
        only(200, STAFF, otherwise=404),
        kwargs=_workshop_in_the_hidden_neighbourhood,
        state="unpublished neighbourhood",
    ),
    MatrixRow(
        "official_requests:act",
        only(302, (*STAFF, "official"), otherwise=403),
        kwargs=_sent_with_a_department,
        method="post",
        state="redirect to a department",
        data=_to_the_department,
    ),
    MatrixRow(
        "official_requests:act",
        # Officials delegate to departments only (PALABRE_OFFICIALS_MAY_DELEGATE_TO_OFFICIALS).
        only(302, STAFF, otherwise=403),
        kwargs=_sent,
        method="post",
        state="redirect to an official",
        data=lambda w: {"step": "redirect", "official": w.person("official").pk},
    ),
    MatrixRow(
        "official_requests:follow",
        only(302, SIGNED_IN, otherwise=403),
        kwargs=_sent,
        method="post",
        state="sent",
    ),
    MatrixRow(
        "official_requests:follow",
        only(403, STAFF, otherwise=404),
        kwargs=_drafted,
        method="post",
        state="drafted",
    ),
]
