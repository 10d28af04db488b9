"""Writes on contributions: capture, online posts, paper transcription, moderation, "me too".

Every state change is a conditional update (a transition another moderator made meanwhile is
reported, not overwritten) and appends an Event to the contribution's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from palabre.accounts.permissions import is_signed_in
from palabre.contributions.blurring import Area, UnreadableImage, blurred
from palabre.contributions.masking import Finding, find_personal_data
from palabre.contributions.models import (
    MAX_LENGTH,
    Appeal,
    AppealStatus,
    Board,
    Contribution,
    Event,
    EventKind,
    MeToo,
    Moderation,
    Photo,
    Reason,
    Source,
    Status,
    Suggester,
    Theme,
    cut,
)
from palabre.contributions.permissions import (
    can_appeal,
    can_capture,
    can_correct_note,
    can_edit_themes,
    can_moderate,
    can_post_on_board,
    can_say_me_too,
    can_set_up_boards,
    can_transcribe,
    can_withdraw_note,
)
from palabre.contributions.search import stems_for_search
from palabre.core.invisible import without_invisible
from palabre.core.translations import kept_translations
from palabre.links import actions as links
from palabre.links.models import Purpose
from palabre.neighbourhoods.models import Neighbourhood
from palabre.outbox.actions import queue_mail
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.models import Workshop
from palabre.workshops.permissions import facilitates

# What replaces masked personal data in the stored public text (searched, exported, analysed).
# Pages show a translated label for each kind instead (Contribution.shown_parts).
MASK = "[…]"

# The lengths of Theme.name, Theme.slug and Board.prompt.
THEME_NAME_LENGTH = 80
THEME_SLUG_LENGTH = 50
PROMPT_LENGTH = 300


class ContributionError(Exception):
    """A contribution that cannot be saved or changed, with the reason for a person."""


@dataclass(frozen=True)
class Captured:
    contribution: Contribution
    created: bool


def clean_text(text: str) -> str:
    """Return the text to save (without invisible or control characters), or refuse an empty or
    too long one with a clear reason."""
    text = plain(text)
    if not text:
        raise ContributionError(_("Write what was said."))
    if len(text) > MAX_LENGTH:
        raise ContributionError(
            _("This text has %(length)d characters; the limit is %(max)d. Split it in two.")
            % {"length": len(text), "max": MAX_LENGTH}
        )
    return text


def plain(text: str) -> str:
    """Return `text` stripped, without invisible, bidi control and control characters."""
    return without_invisible(text).strip()


def public_version(text: str, personal_data: Sequence[dict[str, Any]]) -> str:
    """`text` with every masked (not shown) span replaced by MASK."""
    return "".join(MASK if p.is_masked else p.text for p in cut(text, personal_data))


def _prepared(text: str) -> dict[str, Any]:
    """The fields derived from what was said: detected personal data, shown text, search stems."""
    findings: list[Finding] = find_personal_data(text)
    personal_data = [
        {"start": f.start, "end": f.end, "kind": str(f.kind), "state": "masked"} for f in findings
    ]
    public_text = public_version(text, personal_data)
    return {
        "text": text,
        "personal_data": personal_data,
        "public_text": public_text,
        "search_stems": stems_for_search(public_text),
    }


def initial_status(neighbourhood: Neighbourhood) -> Status:
    """Pending under pre-moderation (the default), published at once under post-moderation."""
    board = Board.objects.filter(neighbourhood=neighbourhood).first()
    if board is not None and board.moderation == Moderation.POST:
        return Status.PUBLISHED
    return Status.PENDING


def _record(contribution: Contribution, kind: EventKind, *, by: Any, **fields: Any) -> None:
    Event.objects.create(
        contribution=contribution, kind=kind, by=by if is_signed_in(by) else None, **fields
    )


def _create(
    *,
    by: Any,
    key: str,
    fields: dict[str, Any],
    themes: Iterable[Theme] = (),
    with_link: bool = False,
) -> Captured:
    """Create a contribution once per `key`; a retried or doubled submit returns the first one.

    `with_link` gives it a private follow-up link (an author without an account).
    """
    neighbourhood = fields["neighbourhood"]
    derived = _prepared(fields.pop("text"))
    try:
        with transaction.atomic():
            if with_link:
                fields["link"] = links.create_link(
                    purpose=Purpose.CONTRIBUTION, email=fields.get("contact_email", "")
                )
            contribution = Contribution.objects.create(
                **({"status": initial_status(neighbourhood)} | fields),
                **derived,
                submission_key=key,
            )
            contribution.themes.set(themes)
            _record(contribution, EventKind.SUBMITTED, by=by)
            if contribution.personal_data:
                kinds = sorted({item["kind"] for item in contribution.personal_data})
                _record(contribution, EventKind.MASKED, by=None, note=", ".join(kinds))
            if contribution.status == Status.PUBLISHED:
                _record(contribution, EventKind.PUBLISHED, by=None)
    except IntegrityError:
        existing = Contribution.objects.filter(
            submission_key=key, neighbourhood=neighbourhood
        ).first()
        if existing is None:
            raise
        return Captured(existing, created=False)
    return Captured(contribution, created=True)


def capture(
    *,
    by: Any,
    workshop: Workshop,
    question: int,
    text: str,
    key: str,
    author_name: str = "",
    table_label: str = "",
    themes: Iterable[Theme] = (),
) -> Captured:
    """Save what was said under one guiding question, at once; the same key saves it once."""
    if by is not None and not can_capture(by, workshop):
        raise PermissionDenied
    if workshop.neighbourhood is None:
        raise ContributionError(_("This event belongs to no neighbourhood."))
    if workshop.status == WorkshopStatus.CANCELLED:
        raise ContributionError(
            _("This workshop was cancelled: nothing more can be noted under it.")
        )
    if not 0 <= question < len(workshop.guiding_questions):
        raise ContributionError(_("This question is not in the workshop's guide."))
    fields = {
        "neighbourhood": workshop.neighbourhood,
        "workshop": workshop,
        "question": workshop.guiding_questions[question],
        "source": Source.WORKSHOP,
        "text": clean_text(text),
        "author_name": plain(author_name),
        "table_label": plain(table_label),
        "captured_by": by,
    }
    board = Board.objects.filter(neighbourhood=workshop.neighbourhood).first()
    if board is not None and board.trust_facilitators and facilitates(by, workshop):
        fields["status"] = Status.PUBLISHED  # still masked, like everything published
    return _create(by=by, key=key, fields=fields, themes=themes)


def correct_note(
    *,
    by: Any,
    contribution: Contribution,
    text: str,
    question: int,
    table_label: str = "",
    author_name: str = "",
) -> Contribution:
    """Correct a note during the evening, or move it under another of the workshop's questions;
    the history says so (the text is masked again; sending the same correction twice changes
    nothing the second time)."""
    if not can_correct_note(by, contribution):
        raise PermissionDenied
    workshop = contribution.workshop
    assert workshop is not None  # can_correct_note: notes captured at a workshop
    if not 0 <= question < len(workshop.guiding_questions):
        raise ContributionError(_("This question is not in the workshop's guide."))
    moved_to = workshop.guiding_questions[question]
    changed = _prepared(clean_text(text)) | {
        "question": moved_to,
        "table_label": plain(table_label),
        "author_name": plain(author_name),
    }
    before = {name: getattr(contribution, name) for name in changed}
    if before == changed:
        return contribution
    moved_from = contribution.question
    with transaction.atomic():  # the change and its history, together
        _transition(contribution, allowed=[Status.PENDING, Status.PUBLISHED], changed=changed)
        if moved_from != moved_to:
            _record(contribution, EventKind.MOVED, by=by, note=f"{moved_from} → {moved_to}")
        if any(before[name] != changed[name] for name in ("text", "table_label", "author_name")):
            _record(contribution, EventKind.CORRECTED, by=by)
        found = changed["personal_data"]
        if found and found != before["personal_data"]:
            note = ", ".join(sorted({item["kind"] for item in found}))
            _record(contribution, EventKind.MASKED, by=None, note=note)
    return contribution


def withdraw_note(*, by: Any, contribution: Contribution) -> None:
    """Delete a note noted by mistake: it leaves the capture page, the board and the figures,
    and stays in the history, hidden, for the service (deleting it twice is harmless)."""
    if not can_withdraw_note(by, contribution):
        raise PermissionDenied
    if contribution.hidden_reason == Reason.WITHDRAWN:
        return  # a second tap
    with transaction.atomic():
        _transition(
            contribution,
            allowed=[Status.PENDING, Status.PUBLISHED],
            changed={
                "status": Status.HIDDEN,
                "hidden_reason": Reason.WITHDRAWN,
                "reviewed_at": timezone.now(),
            },
        )
        _record(contribution, EventKind.WITHDRAWN, by=by, reason=Reason.WITHDRAWN)


def post_on_board(
    *,
    by: Any,
    board: Board,
    text: str,
    key: str,
    author_name: str = "",
    email: str = "",
) -> Captured:
    """Post on a neighbourhood's open board, with or without an account.

    Without an account, the author gets a private follow-up link (and an email with it when
    they gave an address) to see what becomes of their contribution.
    """
    if not can_post_on_board(board):
        raise ContributionError(_("This board is closed: nothing can be posted on it now."))
    account = by if is_signed_in(by) else None
    fields = {
        "neighbourhood": board.neighbourhood,
        "question": board.prompt,
        "source": Source.ONLINE,
        "text": clean_text(text),
        "author": account,
        "author_name": plain(author_name),
        "contact_email": "" if account else email.strip().lower(),
    }
    captured = _create(by=by, key=key, fields=fields, with_link=account is None)
    if captured.created and captured.contribution.contact_email:
        _mail_author_later(captured.contribution, "contributions/email/posted.txt")
    return captured


def transcribe(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    texts: Sequence[str],
    key: str,
    workshop: Workshop | None = None,
    photo: ContentFile[bytes] | None = None,
    description: str = "",
    themes: Iterable[Theme] = (),
    question: int | None = None,
) -> list[Contribution]:
    """Type in the contributions of a paper board, with its photo, or of a workshop's paper
    capture sheet for one of its questions; the same key saves once."""
    if not can_transcribe(by):
        raise PermissionDenied
    if workshop is not None and workshop.neighbourhood_id != neighbourhood.pk:
        raise ContributionError(_("This workshop took place in another neighbourhood."))
    asked = ""
    if question is not None:
        if workshop is None or not 0 <= question < len(workshop.guiding_questions):
            raise ContributionError(_("This question is not in the workshop's guide."))
        asked = workshop.guiding_questions[question]
    cleaned = [clean_text(text) for text in texts if text.strip()]
    if not cleaned:
        raise ContributionError(_("Type at least one contribution."))
    description = plain(description)
    if photo is not None and not description:
        raise ContributionError(_("Describe the photo for people who cannot see it."))
    themes = list(themes)
    with transaction.atomic():
        first = Contribution.objects.filter(submission_key=f"{key}-0").first()
        if first is not None:  # the same batch sent again
            return list(Contribution.objects.filter(submission_key__startswith=f"{key}-"))
        stored = None
        if photo is not None:
            stored = Photo(neighbourhood=neighbourhood, description=description, uploaded_by=by)
            stored.image.save(photo.name or "board.png", photo, save=False)
            stored.save()
        saved = []
        for index, text in enumerate(cleaned):
            fields = {
                "neighbourhood": neighbourhood,
                "workshop": workshop,
                "question": asked,
                "source": Source.PAPER,
                "text": text,
                "photo": stored,
                "captured_by": by,
            }
            saved.append(_create(by=by, key=f"{key}-{index}", fields=fields, themes=themes))
    return [item.contribution for item in saved]


# Moderation ---------------------------------------------------------------------------------


def _require_moderator(by: Any) -> None:
    if not can_moderate(by):
        raise PermissionDenied


def _transition(
    contribution: Contribution, *, allowed: Iterable[Status], changed: dict[str, Any]
) -> None:
    """Apply `changed` only if the status is still one of `allowed` (no lost update)."""
    updated = Contribution.objects.filter(pk=contribution.pk, status__in=list(allowed)).update(
        **changed
    )
    if not updated:
        raise ContributionError(
            _("Someone changed this contribution meanwhile; here is its current state.")
        )
    for name, value in changed.items():
        setattr(contribution, name, value)


@transaction.atomic
def publish(*, by: Any, contribution: Contribution) -> Contribution:
    """Publish a pending contribution (it counts as reviewed)."""
    _require_moderator(by)
    now = timezone.now()
    _transition(
        contribution,
        allowed=[Status.PENDING],
        changed={"status": Status.PUBLISHED, "reviewed_at": now},
    )
    _record(contribution, EventKind.PUBLISHED, by=by)
    return contribution


@transaction.atomic
def mark_reviewed(*, by: Any, contribution: Contribution) -> Contribution:
    """Note that a contribution published at once (post-moderation) was read and kept."""
    _require_moderator(by)
    if contribution.reviewed_at is None:
        _transition(
            contribution, allowed=[Status.PUBLISHED], changed={"reviewed_at": timezone.now()}
        )
        _record(contribution, EventKind.REVIEWED, by=by)
    return contribution


@transaction.atomic
def hide(*, by: Any, contribution: Contribution, reason: Reason | str, note: str = "") -> None:
    """Hide a contribution with a reason the author will see; it stays for the record."""
    _require_moderator(by)
    if reason not in Reason.values:
        raise ContributionError(_("Choose why this contribution is hidden."))
    _transition(
        contribution,
        allowed=[Status.PENDING, Status.PUBLISHED],
        changed={
            "status": Status.HIDDEN,
            "hidden_reason": reason,
            "hidden_note": note.strip(),
            "reviewed_at": timezone.now(),
        },
    )
    _record(contribution, EventKind.HIDDEN, by=by, reason=reason, note=note.strip())
    _mail_author_later(contribution, "contributions/email/hidden.txt")


@transaction.atomic
def restore(*, by: Any, contribution: Contribution, note: str = "") -> None:
    """Publish a hidden contribution again (a moderator's second thought)."""
    _require_moderator(by)
    _restore(contribution)
    _record(contribution, EventKind.RESTORED, by=by, note=note.strip())


def _restore(contribution: Contribution) -> None:
    _transition(
        contribution,
        allowed=[Status.HIDDEN],
        changed={"status": Status.PUBLISHED, "hidden_reason": "", "hidden_note": ""},
    )


@transaction.atomic
def set_masking(*, by: Any, contribution: Contribution, index: int, masked: bool) -> None:
    """Confirm (keep masked) or undo (show) one piece of detected personal data."""
    _require_moderator(by)
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    items = list(locked.personal_data)
    if not 0 <= index < len(items):
        raise ContributionError(_("This masked passage no longer exists."))
    items[index] = items[index] | {"state": "confirmed" if masked else "shown"}
    public_text = public_version(locked.text, items)
    Contribution.objects.filter(pk=locked.pk).update(
        personal_data=items, public_text=public_text, search_stems=stems_for_search(public_text)
    )
    contribution.personal_data, contribution.public_text = items, public_text
    kind = EventKind.MASK_CONFIRMED if masked else EventKind.MASK_UNDONE
    _record(
        contribution, kind, by=by, note=locked.text[items[index]["start"] : items[index]["end"]]
    )


# Photos of paper boards ---------------------------------------------------------------------


def _record_on_photo(photo: Photo, kind: EventKind, *, by: Any, note: str = "") -> None:
    """Write the step in the history of every contribution typed from the photo."""
    Event.objects.bulk_create(
        Event(contribution=contribution, kind=kind, by=by, note=note)
        for contribution in photo.contributions.all()
    )


@transaction.atomic
def publish_photo(*, by: Any, photo: Photo) -> Photo:
    """Show a paper board's photo to everyone who may read its contributions (once a moderator
    has blurred what must not be read); publishing it twice changes nothing."""
    _require_moderator(by)
    now = timezone.now()
    if Photo.objects.filter(pk=photo.pk, published_at__isnull=True).update(published_at=now):
        photo.published_at = now
        _record_on_photo(photo, EventKind.PHOTO_PUBLISHED, by=by)
    return photo


@transaction.atomic
def withdraw_photo(*, by: Any, photo: Photo) -> Photo:
    """Make a published photo private again (staff only); doing it twice changes nothing."""
    _require_moderator(by)
    if Photo.objects.filter(pk=photo.pk, published_at__isnull=False).update(published_at=None):
        photo.published_at = None
        _record_on_photo(photo, EventKind.PHOTO_WITHDRAWN, by=by)
    return photo


def blur_photo(*, by: Any, photo: Photo, areas: Sequence[Area], revision: int) -> Photo:
    """Blur rectangular areas of the photo's `revision` a moderator looked at, for good: the
    blurred image replaces the stored one, whose file is deleted, and each contribution's
    history says which areas were blurred."""
    _require_moderator(by)
    if not areas:
        raise ContributionError(_("Give the area to blur."))
    changed_meanwhile = ContributionError(
        _("Someone changed this photo meanwhile; look at it again, then blur.")
    )
    current = Photo.objects.get(pk=photo.pk)
    if current.revision != revision:
        raise changed_meanwhile
    try:
        with current.image.open("rb") as stored:
            image = blurred(stored.read(), areas)
    except (UnreadableImage, OSError):
        raise ContributionError(
            _("This photo cannot be read, so it cannot be blurred; keep it private.")
        ) from None
    old_name = current.image.name or ""
    current.image.save(old_name.rsplit("/", 1)[-1] or "board.png", ContentFile(image), save=False)
    new_name = current.image.name or ""
    try:
        with transaction.atomic():
            # Only over the version that was read: another moderator's blur is never undone.
            changed = Photo.objects.filter(pk=photo.pk, revision=revision).update(
                image=new_name, revision=revision + 1
            )
            if not changed:
                raise changed_meanwhile
            note = "; ".join(
                _("left %(x)d %%, top %(y)d %%, width %(width)d %%, height %(height)d %%")
                % {"x": a.x, "y": a.y, "width": a.width, "height": a.height}
                for a in areas
            )
            _record_on_photo(photo, EventKind.PHOTO_BLURRED, by=by, note=note)
    except BaseException:
        current.image.storage.delete(new_name)
        raise
    # The unblurred handwriting is kept nowhere once the blur is saved.
    storage = current.image.storage
    transaction.on_commit(lambda: storage.delete(old_name))
    photo.image, photo.revision = current.image, revision + 1
    return photo


# Appeals ------------------------------------------------------------------------------------


def appeal(*, by: Any, contribution: Contribution, text: str, token: str = "") -> Appeal:
    """The author asks for their hidden contribution back; asking twice keeps one appeal."""
    if not can_appeal(by, contribution, token):
        raise PermissionDenied
    text = plain(text)
    if not text:
        raise ContributionError(_("Say why it should be published."))
    if len(text) > MAX_LENGTH:
        raise ContributionError(_("At most %(max)d characters, please.") % {"max": MAX_LENGTH})
    try:
        with transaction.atomic():
            made = Appeal.objects.create(contribution=contribution, text=text)
            _record(contribution, EventKind.APPEALED, by=by, note=text)
    except IntegrityError:
        return Appeal.objects.get(contribution=contribution, status=AppealStatus.OPEN)
    return made


@transaction.atomic
def decide_appeal(*, by: Any, appeal: Appeal, uphold: bool, answer: str) -> Appeal:
    """Uphold (publish again) or reject an appeal, with an answer the author reads."""
    _require_moderator(by)
    answer = answer.strip()
    if not answer:
        raise ContributionError(_("Write an answer for the author."))
    status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
    decided = Appeal.objects.filter(pk=appeal.pk, status=AppealStatus.OPEN).update(
        status=status, answer=answer, decided_by=by, decided_at=timezone.now()
    )
    if not decided:
        raise ContributionError(_("This appeal was already decided."))
    appeal.status, appeal.answer = status, answer
    contribution = appeal.contribution
    if uphold:
        _restore(contribution)
    kind = EventKind.APPEAL_UPHELD if uphold else EventKind.APPEAL_REJECTED
    _record(contribution, kind, by=by, note=answer)
    _mail_author_later(contribution, "contributions/email/appeal_decided.txt", answer=answer)
    return appeal


# "Me too" -----------------------------------------------------------------------------------


def say_me_too(*, by: Any, contribution: Contribution) -> None:
    """Add one "me too" per person; saying it twice changes nothing."""
    if not can_say_me_too(by, contribution):
        raise PermissionDenied
    try:
        with transaction.atomic():
            MeToo.objects.create(contribution=contribution, user=by)
    except IntegrityError:
        pass  # already said


def withdraw_me_too(*, by: Any, contribution: Contribution) -> None:
    """Take one's "me too" back (nothing happens if there was none)."""
    if is_signed_in(by):
        MeToo.objects.filter(contribution=contribution, user=by).delete()


# Themes and mail ----------------------------------------------------------------------------


def add_theme(*, by: Any, contribution: Contribution, theme: Theme) -> None:
    """Tag a contribution with a theme (a suggestion accepted); tagging twice changes nothing."""
    workshop = contribution.workshop
    allowed = can_moderate(by) or (workshop is not None and can_capture(by, workshop))
    if not allowed:
        raise PermissionDenied
    if not theme.is_active:
        raise ContributionError(_("This theme is no longer in use."))
    contribution.themes.add(theme)


def train_suggester() -> Suggester:
    """Train the theme suggester on the shipped texts and the platform's single-theme ones."""
    from palabre.themes import builtin, train

    shipped = builtin("train")
    # The shipped texts are labelled with the starting names; a theme the coordinator renamed
    # since keeps its slug, so its shipped examples follow it under its current name.
    current = _current_names_of_default_themes()
    texts, labels = list(shipped.texts), [current.get(name, name) for name in shipped.themes]
    labelled = (
        Contribution.objects.filter(status=Status.PUBLISHED)
        .annotate(theme_count=Count("themes"))
        .filter(theme_count=1)
        .prefetch_related("themes")
    )
    for contribution in labelled:
        texts.append(contribution.public_text)
        labels.append(contribution.themes.all()[0].name)
    model = train(texts, labels)
    return Suggester.objects.create(data=model.to_bytes(), n_train=len(texts))


def _current_names_of_default_themes() -> dict[str, str]:
    """Map each starting theme's original name to its name today (where it still exists)."""
    from palabre.contributions.taxonomy import DEFAULT_THEMES

    today = dict(
        Theme.objects.filter(slug__in=[slug for slug, _name in DEFAULT_THEMES]).values_list(
            "slug", "name"
        )
    )
    return {name: today[slug] for slug, name in DEFAULT_THEMES if slug in today}


def request_suggester() -> None:
    """Have the background worker train a suggester soon (once per process and ten minutes)."""
    from palabre.contributions.tasks import train_theme_suggester

    if cache.add("contributions:suggester-requested", True, timeout=600):
        transaction.on_commit(train_theme_suggester.enqueue)


def ensure_default_themes() -> None:
    """Create the starting taxonomy where it is missing (a fresh or emptied database)."""
    from palabre.contributions.taxonomy import DEFAULT_THEMES

    for position, (slug, name) in enumerate(DEFAULT_THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


# The service's settings: the taxonomy and the boards ------------------------------------------


def _require_theme_editor(by: Any) -> None:
    if not can_edit_themes(by):
        raise PermissionDenied


def _theme_name(name: str) -> str:
    """Return the name to save, or refuse an empty or too long one with a clear reason."""
    name = plain(name)
    if not name:
        raise ContributionError(_("Give the theme a name."))
    if len(name) > THEME_NAME_LENGTH:
        raise ContributionError(
            _("At most %(max)d characters, please.") % {"max": THEME_NAME_LENGTH}
        )
    if not _theme_slug(name):
        raise ContributionError(_("Use at least one letter or digit in the name."))
    return name


def _theme_slug(name: str) -> str:
    # ASCII when the name has Latin letters ("propreté" -> "proprete"), else its own letters.
    slug = slugify(name) or slugify(name, allow_unicode=True)
    return slug[:THEME_SLUG_LENGTH].strip("-")


def _name_taken(name: str, *, other_than: Theme | None = None) -> ContributionError:
    """The reason a name was refused: another theme has it, or one written almost the same."""
    others = Theme.objects.exclude(pk=other_than.pk) if other_than is not None else Theme.objects
    close = others.filter(Q(name=name) | Q(slug=_theme_slug(name))).first()
    if close is None or close.name == name:
        return ContributionError(
            _("A theme is already called “%(name)s”: choose another name.") % {"name": name}
        )
    return ContributionError(
        _("“%(name)s” is written almost like the theme “%(existing)s”: choose another name.")
        % {"name": name, "existing": close.name}
    )


def add_theme_to_taxonomy(*, by: Any, name: str) -> Theme:
    """Add a theme at the end of the taxonomy, its slug made from its name; a name (or a slug)
    another theme has is refused by the unique constraints."""
    _require_theme_editor(by)
    name = _theme_name(name)
    try:
        with transaction.atomic():
            last = Theme.objects.aggregate(last=Max("position"))["last"]
            theme = Theme.objects.create(
                name=name, slug=_theme_slug(name), position=0 if last is None else last + 1
            )
    except IntegrityError:
        raise _name_taken(name) from None
    # Nothing to retrain: no contribution carries the new theme yet, and the suggester only
    # offers the themes it was trained on.
    return theme


def rename_theme(*, by: Any, theme: Theme, name: str) -> Theme:
    """Rename a theme (its slug stays: other apps know it by it); the contributions tagged with
    it keep it, and the suggester, which knows themes by name, is retrained."""
    _require_theme_editor(by)
    name = _theme_name(name)
    if name == theme.name:
        return theme
    # Near-identical names ("Propreté" next to "propreté") confuse whoever tags: a new theme's
    # slug refuses them; a renamed theme keeps its slug, so they are looked for here.
    if Theme.objects.exclude(pk=theme.pk).filter(slug=_theme_slug(name)).exists():
        raise _name_taken(name, other_than=theme)
    try:
        with transaction.atomic():
            renamed = Theme.objects.filter(pk=theme.pk).update(name=name)
    except IntegrityError:
        raise _name_taken(name, other_than=theme) from None
    if not renamed:
        raise ContributionError(_("This theme no longer exists."))
    theme.name = name
    # Suggestions are matched to themes by name: the model trained under the old name would
    # no longer offer this theme.
    request_suggester()
    return theme


@transaction.atomic
def move_theme(*, by: Any, theme: Theme, up: bool, seen_at: int) -> None:
    """Move a theme one place up or down the taxonomy, from the place `seen_at` (counted from
    0) the page showed it at: a second click of the same button, or an order changed
    meanwhile, moves nothing. At either end of the list, nothing moves."""
    _require_theme_editor(by)
    themes = list(Theme.objects.select_for_update().order_by("position", "name", "pk"))
    index = next((i for i, item in enumerate(themes) if item.pk == theme.pk), None)
    if index is None:
        raise ContributionError(_("This theme no longer exists."))
    if index != seen_at:
        raise ContributionError(_("The order changed meanwhile: here it is now."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(themes):
        themes[index], themes[other] = themes[other], themes[index]
    # Positions are renumbered 0, 1, 2...: themes created with the same position get one each.
    changed = []
    for position, item in enumerate(themes):
        if item.position != position:
            item.position = position
            changed.append(item)
    Theme.objects.bulk_update(changed, ["position"])


def set_theme_in_use(*, by: Any, theme: Theme, in_use: bool) -> Theme:
    """Take a theme out of use (no longer offered for tagging or suggested; the contributions
    tagged with it keep it) or put it back in use. A theme is never deleted."""
    _require_theme_editor(by)
    Theme.objects.filter(pk=theme.pk).update(is_active=in_use)
    theme.is_active = in_use
    return theme


def save_board_settings(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    is_open: bool,
    moderation: str,
    trust_facilitators: bool = False,
    prompt: str = "",
    language: str = settings.LANGUAGE_CODE,
    translations: dict[str, dict[str, str]] | None = None,
) -> Board:
    """Open or close a neighbourhood's online board, set its moderation and its question, the
    language the question is written in and its translations; the board is created the first
    time (one per neighbourhood: the constraint settles a race)."""
    if not can_set_up_boards(by):
        raise PermissionDenied
    if moderation not in Moderation.values:
        raise ContributionError(_("Choose how contributions are moderated."))
    if language not in dict(settings.LANGUAGES):
        raise ContributionError(_("Choose one of the site's languages."))
    given = {
        other: {"prompt": plain(texts.get("prompt", ""))}
        for other, texts in (translations or {}).items()
    }
    prompt = plain(prompt)
    if any(len(text) > PROMPT_LENGTH for text in [prompt, *(t["prompt"] for t in given.values())]):
        raise ContributionError(_("At most %(max)d characters, please.") % {"max": PROMPT_LENGTH})
    # update_or_create locks the row, and gets the row again if another request created it
    # between its read and its insert (the OneToOne constraint refused the second).
    board, _created = Board.objects.update_or_create(
        neighbourhood=neighbourhood,
        defaults={
            "is_open": is_open,
            "moderation": moderation,
            "trust_facilitators": trust_facilitators,
            "prompt": prompt,
            "language": language,
            "translations": kept_translations(given, original=language, fields=["prompt"]),
        },
    )
    return board


def follow_url(contribution: Contribution) -> str:
    """The author's address for a contribution: the private link when they have no account."""
    if contribution.link:
        return reverse("contributions:follow", kwargs={"token": contribution.link.token})
    return reverse("contributions:detail", kwargs={"pk": contribution.pk})


def tell_authors(contributions: Iterable[Contribution], template: str, **context: Any) -> None:
    """Email the author of each contribution that has an address, after the commit (another
    app's news about what came of their contribution, e.g. an official's answer)."""
    for contribution in contributions:
        _mail_author_later(contribution, template, **context)


def _mail_author_later(contribution: Contribution, template: str, **context: Any) -> None:
    """Tell the author by email (through the outbox) when an address is known."""
    author = contribution.author
    address = author.email if author is not None else contribution.contact_email
    if not address:
        return
    if author is not None:
        language = author.preferred_language
    else:
        language = contribution.link.language if contribution.link else settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            template,
            {
                "contribution": contribution,
                "url": f"{settings.SITE_URL}{follow_url(contribution)}",
                **context,
            },
        )
        subject = _("Your contribution in %(place)s") % {"place": contribution.neighbourhood}
    queue_mail(
        to=[address], subject=subject, body=body, kind="contribution news", language=language
    )
