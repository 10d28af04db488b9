"""Demo citizen actions: one of each kind, built from the shipped playbooks, in various states
(an idea, one in preparation with a permit asked of the city, one happening, one done with its
report, photos and receipts, one paused), each resting on what residents said."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from palabre.accounts.models import User
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.initiatives import actions
from palabre.initiatives.models import Event, Initiative, NeedKind, Playbook, Status
from palabre.initiatives.shipped import install_shipped_playbooks
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Department

# Where each stands; the path of moves leading there (pausing needs a reason).
PATHS = {
    Status.IDEA: (),
    Status.PREPARATION: (Status.PREPARATION,),
    Status.HAPPENING: (Status.PREPARATION, Status.HAPPENING),
    Status.DONE: (Status.PREPARATION, Status.HAPPENING, Status.DONE),
    Status.PAUSED: (Status.PREPARATION, Status.PAUSED),
}


@dataclass(frozen=True)
class Demo:
    neighbourhood: str
    kind: str
    title: str
    said: str  # words of the contribution it came from (else one of its theme)
    theme: str
    status: Status
    in_days: int | None  # its date, from today
    lead: str = ""  # a resident's email
    volunteers: tuple[tuple[str, str], ...] = ()  # name, email
    report: str = ""
    reason: str = ""


DEMOS = [
    Demo(
        "bomel",
        "street_party",
        "Fête de la rue du Travail",
        "repas de rue",
        "lien-social",
        Status.DONE,
        -24,
        lead="habitant@palabre.example",
        volunteers=(("Fatima", "fatima@example.org"), ("Gérard", ""), ("Inès", "")),
        report=(
            "Une centaine de voisins sont passés entre 14 et 22 heures. Les enfants de l'école "
            "des Tanneries ont tenu le stand de crêpes, la maison de quartier a prêté la sono. "
            "On recommence l'an prochain, avec des bancs pour les aînés."
        ),
    ),
    Demo(
        "salzinnes",
        "beautification",
        "Bacs fleuris rue Patenier",
        "fleuri",
        "cadre-de-vie",
        Status.PREPARATION,
        52,
        volunteers=(("Annick", "annick@example.org"), ("Pierre", "")),
    ),
    Demo(
        "jambes",
        "expression_board",
        "Un tableau d'expression place de Wallonie",
        "tags sur les murs",
        "culture",
        Status.HAPPENING,
        0,
        lead="habitante.jambes@palabre.example",
        volunteers=(("Lucas", ""),),
    ),
    Demo(
        "jambes",
        "welcome",
        "Accueillir les nouveaux habitants de la Plante",
        "nouveaux arrivants",
        "lien-social",
        Status.IDEA,
        None,
    ),
    Demo(
        "bomel",
        "other",
        "Un potager partagé derrière la maison de quartier",
        "potager",
        "espaces-verts",
        Status.PAUSED,
        90,
        reason="Le propriétaire du terrain n'a pas encore répondu\u00a0; on reprend au printemps.",
    ),
]


def _picture(name: str, colours: tuple[str, str]) -> SimpleUploadedFile:
    """A drawn picture (no real photo of anybody in the repository)."""
    image = Image.new("RGB", (900, 600), colours[0])
    draw = ImageDraw.Draw(image)
    for index in range(6):
        x = 60 + index * 135
        draw.rectangle((x, 380, x + 110, 440), fill=colours[1])  # tables
        draw.polygon([(x + 55, 120), (x + 5, 200), (x + 105, 200)], fill="#f7d96b")  # bunting
    draw.line((0, 130, 900, 130), fill="#555", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _key() -> str:
    return secrets.token_urlsafe(24)


def load() -> None:
    if Initiative.objects.exists():
        return
    coordinator = User.objects.get(email="coordination@palabre.example")
    facilitator = User.objects.get(email="mediateur@palabre.example")
    install_shipped_playbooks(coordinator)
    today = timezone.localdate()
    for demo in DEMOS:
        neighbourhood = Neighbourhood.objects.get(slug=demo.neighbourhood)
        published = Contribution.objects.filter(
            neighbourhood=neighbourhood, status=ContributionStatus.PUBLISHED
        ).order_by("pk")
        origin = (
            published.filter(public_text__icontains=demo.said)[:1]
            or published.filter(themes__slug=demo.theme)[:1]
        )
        lead = User.objects.filter(email=demo.lead).first()
        initiative = actions.start_initiative(
            by=facilitator,
            neighbourhood=neighbourhood,
            playbook=Playbook.objects.filter(kind=demo.kind).order_by("pk").first()
            or Playbook.objects.get(kind="other"),
            title=demo.title,
            starts_on=None if demo.in_days is None else today + timedelta(days=demo.in_days),
            contributions=list(origin),
            leads=[lead] if lead else [],
        )
        steer = lead or coordinator
        volunteers = [
            actions.sign_up(by=None, initiative=initiative, name=name, email=email).volunteer
            for name, email in demo.volunteers
        ]
        for volunteer, task in zip(volunteers, initiative.tasks.all(), strict=False):
            actions.take_task(volunteer=volunteer, task=task)
        _progress(demo, initiative, steer, coordinator)
        _backdate_story(initiative)


def _progress(demo: Demo, initiative: Initiative, steer: User, coordinator: User) -> None:
    if demo.status in (Status.PREPARATION, Status.HAPPENING, Status.DONE):
        _ask_the_city(initiative, steer)
    if demo.kind == "beautification":
        actions.add_need(
            by=steer,
            initiative=initiative,
            kind=NeedKind.HANDS,
            description="Des bras pour porter la terre le jour même",
        )
    for target in PATHS[demo.status]:
        actions.move(by=steer, initiative=initiative, target=target, reason=demo.reason)
        if target == Status.HAPPENING and demo.status == Status.DONE:
            _result(demo, initiative, steer, coordinator)


def _ask_the_city(initiative: Initiative, steer: User) -> None:
    """Permits of the playbook go to their department through the requests' follow-up."""
    for task in initiative.tasks.filter(permit=True)[:1]:
        department = Department.objects.filter(slug=task.department).first()
        if department is None:
            continue
        actions.ask_city(
            by=steer,
            initiative=initiative,
            department=department,
            asked=f"{task.title} pour «\u00a0{initiative.title}\u00a0»"
            + (f", le {initiative.starts_on:%d/%m/%Y}." if initiative.starts_on else "."),
            item=task,
        )


def _result(demo: Demo, initiative: Initiative, steer: User, coordinator: User) -> None:
    """What a finished action shows: tasks done, money, photos with consent, its report."""
    initiative.tasks.update(done_at=timezone.now())
    actions.set_budget(
        by=coordinator,
        initiative=initiative,
        requested=initiative.budget_requested,
        granted=Decimal("250.00"),
    )
    actions.add_expense(
        by=steer,
        initiative=initiative,
        label="Location de tables et de bancs",
        amount=Decimal("186.40"),
        spent_on=initiative.starts_on or timezone.localdate(),
        receipt=_picture("ticket.png", ("#ffffff", "#dddddd")),
        key=_key(),
    )
    actions.add_photo(
        by=steer,
        initiative=initiative,
        image=_picture("tables.png", ("#cfe8f3", "#b5651d")),
        description="Les tables dressées au milieu de la rue, sous les guirlandes",
        shows_people=False,
        consent="",
        key=_key(),
    )
    actions.publish_report(by=steer, initiative=initiative, text=demo.report)


def _backdate_story(initiative: Initiative) -> None:
    """Demo only: spread the story's steps over the past weeks, three weeks apart."""
    events = list(initiative.events.order_by("pk"))
    for index, event in enumerate(events):
        days = 21 * (len(events) - 1 - index) + 7
        Event.objects.filter(pk=event.pk).update(at=F("at") - timedelta(days=days))
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=F("created_at") - timedelta(days=21 * len(events) + 7)
    )
