"""Demo requests to officials in every state, answered by the demo officials, some overdue.

Built through the request actions from published demo contributions. Requests sent "weeks ago"
are sent today, then their dates are moved back (demo only) so that the tracker shows deadlines
met and missed. Running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from palabre.accounts.models import Competence, User
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import actions, calendar
from palabre.official_requests.models import (
    AnswerKind,
    CabinetMember,
    Department,
    Event,
    Reply,
    Request,
)

DEPARTMENTS = [
    ("voirie", "Service Voirie", "voirie@ville.example", ("mobilite", "travaux")),
    ("proprete", "Service Propreté publique", "proprete@ville.example", ("proprete-publique",)),
    ("espaces-verts", "Service Espaces verts", "espaces.verts@ville.example", ("espaces-verts",)),
    ("evenements", "Service Fêtes et Événements", "evenements@ville.example", ("culture",)),
    ("urbanisme", "Service Urbanisme", "urbanisme@ville.example", ("urbanisme",)),
    (
        "cohesion-sociale",
        "Service Cohésion sociale",
        "cohesion.sociale@ville.example",
        ("cohesion-sociale",),
    ),
]


@dataclass(frozen=True)
class Demo:
    neighbourhood: str
    theme: str  # the contributions it rests on
    title: str
    asked: str
    to: str  # an official's email or a department's slug
    days_ago: int  # when it was sent (0: drafted only)
    steps: tuple[str, ...] = ()  # acknowledge, answer, start, done
    answer: tuple[str, str] = ("", "")  # kind, text
    planned_in_days: int = 0


# The service's Dutch and English translations of some requests (issue 16, item 5); the
# others show their French original, marked with its language.
TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "Une traversée sûre devant l'école du Centre": {
        "nl": {
            "title": "Een veilige oversteekplaats voor de Centrumschool",
            "asked": "Een verlicht zebrapad en een verkeersdrempel in de avenue Jean Materne.",
        },
        "en": {
            "title": "A safe crossing outside the Centre school",
            "asked": "A lit pedestrian crossing and a speed bump on avenue Jean Materne.",
        },
    },
    "Un éclairage le long du chemin vers la gare": {
        "nl": {
            "title": "Verlichting langs het pad naar het station",
            "asked": "Twee lantaarnpalen plaatsen op het voetpad.",
        },
    },
}

REQUESTS = [
    Demo(
        "bomel",
        "propreté",
        "Des collectes plus fréquentes rue Piret-Pauchet",
        "Passer à deux collectes par semaine et poser deux poubelles publiques.",
        "echevin.mobilite@palabre.example",
        0,
    ),
    Demo(
        "jambes",
        "mobilité",
        "Une traversée sûre devant l'école du Centre",
        "Un passage pour piétons éclairé et un ralentisseur avenue Jean Materne.",
        "echevin.mobilite@palabre.example",
        3,
    ),
    Demo(
        "bomel",
        "mobilité",
        "Limiter la vitesse rue de Bomel",
        "Passer la rue en zone 30 et contrôler la vitesse.",
        "voirie",
        21,
    ),
    Demo(
        "salzinnes",
        "lien social",
        "Une salle pour un goûter intergénérationnel",
        "Prêter la salle des Balances un samedi par mois.",
        "echevine@palabre.example",
        12,
        ("acknowledge",),
    ),
    Demo(
        "bomel",
        "propreté",
        "Un éclairage le long du chemin vers la gare",
        "Installer deux lampadaires sur le chemin piéton.",
        "echevin.mobilite@palabre.example",
        40,
        ("acknowledge", "answer"),
        (
            AnswerKind.PLANNED,
            "Les deux lampadaires sont commandés\u00a0; pose prévue au printemps.",
        ),
        120,
    ),
    Demo(
        "jambes",
        "cadre de vie",
        "Un marché le dimanche matin place de la Wallonie",
        "Autoriser un marché de producteurs le dimanche.",
        "echevine@palabre.example",
        50,
        ("acknowledge", "answer"),
        (
            AnswerKind.REFUSED,
            "Le dimanche, la place accueille déjà la brocante mensuelle\u00a0; nous "
            "proposons le samedi après-midi, à discuter au prochain atelier.",
        ),
    ),
    Demo(
        "salzinnes",
        "espaces verts",
        "Des bancs à l'ombre au square",
        "Trois bancs et deux arbres au square des Balances.",
        "echevine@palabre.example",
        65,
        ("acknowledge", "answer", "start"),
        (AnswerKind.ACCEPTED, "Accordé\u00a0: trois bancs et deux tilleuls, plantés en novembre."),
    ),
    Demo(
        "bomel",
        "jeunesse",
        "Un terrain multisports ouvert le soir",
        "Ouvrir le terrain de l'école jusqu'à 21 h en été.",
        "echevine@palabre.example",
        90,
        ("acknowledge", "answer", "start", "done"),
        (
            AnswerKind.ACCEPTED,
            "Convention signée avec l'école\u00a0: ouvert jusqu'à 21 h de mai à septembre.",
        ),
    ),
    Demo(
        "jambes",
        "logement",
        "Des logements vides remis en location",
        "Recenser les logements vides et appliquer la taxe.",
        "echevine@palabre.example",
        75,
        ("acknowledge",),
    ),
]


def _departments() -> dict[str, Department]:
    found = {}
    for slug, name, email, competences in DEPARTMENTS:
        department, created = Department.objects.get_or_create(
            slug=slug, defaults={"name": name, "email": email}
        )
        if created:
            department.competences.set(Competence.objects.filter(slug__in=competences))
        found[slug] = department
    return found


def _backdate(request: Request, days: int) -> None:
    """Demo only: move a request's sending (and what followed) `days` back in time."""
    if not days:
        return
    shift = timedelta(days=days)
    sent = timezone.localdate() - shift
    closed = actions.closed_days()
    Request.objects.filter(pk=request.pk).update(
        sent_at=F("sent_at") - shift,
        created_at=F("created_at") - shift,
        acknowledged_at=F("acknowledged_at") - shift / 2,
        answered_at=F("answered_at") - shift / 3,
        acknowledge_by=calendar.add_working_days(
            sent, settings.REQUEST_ACKNOWLEDGE_WORKING_DAYS, closed
        ),
        answer_by=calendar.add_calendar_days(sent, settings.REQUEST_ANSWER_DAYS, closed),
    )
    for event in Event.objects.filter(request=request).order_by("pk"):
        step = {"drafted": shift, "sent": shift, "acknowledged": shift / 2}.get(event.status)
        Event.objects.filter(pk=event.pk).update(at=F("at") - (step or shift / 3))


def load() -> None:
    if Request.objects.exists():
        return
    coordinator = User.objects.get(email="coordination@palabre.example")
    departments = _departments()
    # The Service Voirie has someone who answers for it (its late request waits for them).
    departments["voirie"].members.add(User.objects.get(email="voirie@palabre.example"))
    # The alderwoman's cabinet prepares her answers; she publishes them herself.
    CabinetMember.objects.get_or_create(
        collaborator=User.objects.get(email="cabinet.echevine@palabre.example"),
        defaults={"official": User.objects.get(email="echevine@palabre.example")},
    )
    actions.ensure_calendar(range(timezone.localdate().year - 1, timezone.localdate().year + 2))
    for demo in REQUESTS:
        neighbourhood = Neighbourhood.objects.get(slug=demo.neighbourhood)
        evidence = list(
            Contribution.objects.filter(
                neighbourhood=neighbourhood,
                status=ContributionStatus.PUBLISHED,
                themes__name=demo.theme,
            ).order_by("pk")[:2]
        )
        request = actions.draft_request(
            by=coordinator,
            neighbourhood=neighbourhood,
            title=demo.title,
            asked=demo.asked,
            contributions=evidence,
        )
        if demo.title in TRANSLATIONS:
            actions.set_request_texts(
                by=coordinator,
                request=request,
                language="fr",
                translations=TRANSLATIONS[demo.title],
            )
        if not demo.days_ago:
            continue
        official = User.objects.filter(email=demo.to).first()
        actions.send_request(
            by=coordinator, request=request, official=official, department=departments.get(demo.to)
        )
        for step in demo.steps:  # the demo's answers are the officials'
            assert official is not None
            if step == "acknowledge":
                actions.acknowledge(by=official, request=request)
            elif step == "answer":
                kind, text = demo.answer
                planned = timezone.localdate() + timedelta(days=demo.planned_in_days)
                actions.answer(
                    by=official,
                    request=request,
                    kind=kind,
                    text=text,
                    version=request.version,
                    planned_for=planned if kind == AnswerKind.PLANNED else None,
                )
            elif step == "start":
                actions.start_work(by=official, request=request)
            elif step == "done":
                actions.mark_done(by=official, request=request)
        _backdate(request, demo.days_ago)
    _dialogue()


# The alderwoman's question back to Jambes after refusing the Sunday market, and what came back:
# online (in French and in Dutch) and on paper at the office. Asked ten days ago.
QUESTION = (
    "Un marché le dimanche matin place de la Wallonie",
    "Le samedi après-midi, de 14 h à 18 h, vous conviendrait-il\u00a0? "
    "Dites-nous aussi ce que vous aimeriez y trouver.",
)
REPLIES = (
    ("fr", False, "Le samedi me va, surtout avec des légumes de saison et du fromage local."),
    ("nl", False, "Zaterdag is prima. Graag ook brood van een bakker uit de buurt."),
    ("fr", True, "D'accord pour le samedi, mais pas le jour de la brocante."),
)


def _dialogue() -> None:
    title, text = QUESTION
    request = Request.objects.get(title=title)
    official = request.official
    assert official is not None
    question = actions.ask_neighbourhood(by=official, request=request, question=text)
    asked_at = timezone.now() - timedelta(days=10)
    Event.objects.filter(pk=question.pk).update(at=asked_at)
    coordinator = User.objects.get(email="coordination@palabre.example")
    for number, (language, on_paper, reply) in enumerate(REPLIES):
        key = f"demo-reply-{number:02d}-{'x' * 8}"
        if on_paper:
            actions.type_paper_replies(
                by=coordinator, question=question, replies=[reply], key=key, language=language
            )
        else:
            actions.reply_to_question(
                by=None, question=question, text=reply, key=key, language=language
            )
    Reply.objects.filter(question=question).update(created_at=asked_at + timedelta(days=2))
