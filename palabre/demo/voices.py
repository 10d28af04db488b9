"""Demo contributions: what residents said at the held workshops, online and on paper.

Most texts are the shipped labelled French contributions (palabre/themes/data), dealt
deterministically over the workshops' guiding questions; a few hand-written ones show
moderation at work (masked phone number and email, an insult hidden with an appeal).
Built through the contribution actions, like the site; running it twice changes nothing.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from PIL import Image, ImageDraw

from palabre.accounts.models import User
from palabre.contributions import actions
from palabre.contributions.models import Board, Contribution, Moderation, Reason, Status, Theme
from palabre.neighbourhoods.models import Neighbourhood
from palabre.themes import builtin
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.models import Workshop

PER_WORKSHOP = 80
ONLINE = {"bomel": 30, "jambes": 30}
BOARDS = {
    # slug: (open, moderation, prompt)
    "bomel": (
        True,
        Moderation.PRE,
        "Qu'est-ce qui rendrait la vie plus agréable dans votre rue\u00a0?",
    ),
    "jambes": (
        True,
        Moderation.POST,
        "Vous venez d'arriver à Jambes\u00a0? Dites-nous ce qui vous aiderait.",
    ),
    "salzinnes": (False, Moderation.PRE, ""),
}
# The service's translations of the boards' questions (issue 16, item 5).
BOARD_TRANSLATIONS = {
    "bomel": {
        "nl": {"prompt": "Wat zou het leven in uw straat aangenamer maken?"},
        "en": {"prompt": "What would make life in your street more pleasant?"},
    },
    "jambes": {"nl": {"prompt": "Pas in Jambes komen wonen? Zeg ons wat u zou helpen."}},
}
NICKNAMES = [
    "Fatou",
    "Marc",
    "Leïla",
    "Karim",
    "",
    "Rosa",
    "Ibrahim",
    "Nicole",
    "",
    "Paul",
    "Yasmina",
]
# Hand-written posts that show moderation: (neighbourhood, author email or "", nickname, text).
WITH_PERSONAL_DATA = [
    (
        "jambes",
        "",
        "Sophie",
        "Pour la fête des voisins, appelez-moi au 0470 12 34 56, je prête des tables.",
    ),
    (
        "jambes",
        "",
        "",
        "Le potager partagé cherche des bras\u00a0: écrivez à potager.jambes@example.org.",
    ),
    (
        "bomel",
        "",
        "Ahmed",
        "Les voitures roulent trop vite devant le 14 rue de Bomel, il faut un ralentisseur.",
    ),
]
INSULT = (
    "bomel",
    "habitant@palabre.example",
    "Luc",
    "Ceux qui jettent leurs sacs poubelles rue Piret-Pauchet sont des abrutis, point.",
)
PENDING_LEFT = 6  # left in the moderation queue for the demo


def _texts() -> list[tuple[str, str]]:
    data = builtin("test") + builtin("train")
    pairs = list(zip(data.texts, data.themes, strict=True))
    random.Random(2027).shuffle(pairs)
    return pairs


def _board_photo() -> ContentFile[bytes]:
    """A drawn picture of a paper expression board (no real photo in the repository)."""
    image = Image.new("RGB", (900, 600), "#f4efe2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 870, 570), outline="#1f4e5f", width=8)
    colours = ["#f7d96b", "#9fd3c7", "#f4a6a6", "#b5c7f2"]
    for index in range(12):
        x, y = 70 + (index % 4) * 200, 80 + (index // 4) * 160
        draw.rectangle((x, y, x + 160, y + 120), fill=colours[index % 4])
        for line in range(4):
            draw.line(
                (x + 15, y + 25 + line * 22, x + 140, y + 25 + line * 22), fill="#555", width=3
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="tableau-salzinnes.png")


def _held() -> QuerySet[Workshop]:
    return Workshop.objects.filter(
        status__in=[WorkshopStatus.HELD, WorkshopStatus.REPORTED], neighbourhood__isnull=False
    ).order_by("starts_at")


def load() -> None:
    """Create the demo contributions once (nothing happens when they exist)."""
    if Contribution.objects.filter(submission_key__startswith="demo-").exists():
        return
    themes = {theme.name: theme for theme in Theme.objects.all()}
    neighbourhoods = {n.slug: n for n in Neighbourhood.objects.all()}
    coordinator = User.objects.get(email="coordination@palabre.example")
    facilitator = User.objects.get(email="mediateur@palabre.example")
    for slug, (is_open, moderation, prompt) in BOARDS.items():
        Board.objects.update_or_create(
            neighbourhood=neighbourhoods[slug],
            defaults={
                "is_open": is_open,
                "moderation": moderation,
                "prompt": prompt,
                "translations": BOARD_TRANSLATIONS.get(slug, {}),
            },
        )
    texts = iter(_texts())
    rng = random.Random(7)

    for workshop in _held():
        assert workshop.starts_at is not None  # held workshops have a date
        questions = len(workshop.guiding_questions)
        for index in range(PER_WORKSHOP):
            text, theme = next(texts)
            captured = actions.capture(
                by=None,
                workshop=workshop,
                question=index % questions,
                text=text,
                key=f"demo-w{workshop.pk}-{index:04d}",
                author_name=rng.choice(NICKNAMES),
                table_label=f"Table {index % 4 + 1}",
                themes=[themes[theme]],
            ).contribution
            # Demo only: date each note during its evening, as a live capture would.
            Contribution.objects.filter(pk=captured.pk).update(
                created_at=workshop.starts_at + timedelta(minutes=20 + index)
            )

    for slug, count in ONLINE.items():
        board = Board.objects.select_related("neighbourhood").get(neighbourhood__slug=slug)
        for index in range(count):
            text, theme = next(texts)
            post = actions.post_on_board(
                by=None,
                board=board,
                text=text,
                key=f"demo-o{slug}-{index:04d}",
                author_name=rng.choice(NICKNAMES),
            ).contribution
            post.themes.set([themes[theme]])
    for index, (slug, email, nickname, text) in enumerate([*WITH_PERSONAL_DATA, INSULT]):
        board = Board.objects.select_related("neighbourhood").get(neighbourhood__slug=slug)
        author = User.objects.filter(email=email).first() if email else None
        actions.post_on_board(
            by=author, board=board, text=text, key=f"demo-p{index:04d}", author_name=nickname
        )

    salzinnes = neighbourhoods["salzinnes"]
    paper = [next(texts) for _ in range(8)]
    transcribed = actions.transcribe(
        by=facilitator,
        neighbourhood=salzinnes,
        workshop=_held().filter(neighbourhood=salzinnes).first(),
        texts=[text for text, _ in paper],
        key="demo-paper-salzinnes",
        photo=_board_photo(),
        description="Le tableau d'expression de la salle des Balances, couvert de post-it.",
    )
    for contribution in transcribed:
        theme = dict(paper)[contribution.text]
        contribution.themes.set([themes[theme]])
    # The drawn post-its carry no handwriting to hide: the service publishes the photo.
    if transcribed and transcribed[0].photo is not None:
        actions.publish_photo(by=coordinator, photo=transcribed[0].photo)

    _moderate(coordinator)
    actions.request_suggester()  # the background worker trains the theme suggester


def _moderate(coordinator: User) -> None:
    """Publish what the service would have published, hide the insult, leave a few to read."""
    insult = Contribution.objects.get(text=INSULT[3])
    actions.hide(
        by=coordinator,
        contribution=insult,
        reason=Reason.INSULT,
        note="Votre remarque sur les dépôts sauvages est utile\u00a0: reformulée sans insulte, "
        "elle sera publiée.",
    )
    actions.appeal(
        by=insult.author,
        contribution=insult,
        text="D'accord, je voulais surtout dire que les dépôts sauvages reviennent chaque semaine.",
    )
    pending = list(Contribution.objects.filter(status=Status.PENDING).order_by("created_at", "pk"))
    for contribution in pending[: len(pending) - PENDING_LEFT]:
        for index in range(len(contribution.personal_data)):
            actions.set_masking(by=coordinator, contribution=contribution, index=index, masked=True)
        actions.publish(by=coordinator, contribution=contribution)
    residents = list(User.objects.filter(role="resident").order_by("pk"))
    published = Contribution.objects.filter(status=Status.PUBLISHED).order_by("pk")
    for number, contribution in enumerate(published):
        for resident in residents[: number % 3]:
            if contribution.author_id != resident.pk:
                actions.say_me_too(by=resident, contribution=contribution)
