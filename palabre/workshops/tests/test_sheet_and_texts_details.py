"""Details of the paper sign-in sheet, the workshop's texts and a copied cycle that the mutation
run of the workshops' actions found unpinned (docs/mutation/workshops.md), through the actions
as the pages call them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.actions import Newcomer, SheetLine
from palabre.workshops.models import HeardElsewhere, Registration, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening(world: World) -> Workshop:
    """Yesterday's workshop, as entered from its paper sheet the next day."""
    return make_hosted_workshop(world, title="Bomel, hier soir", days_from_now=-1)


def person(workshop: Workshop, name: str, **fields: object) -> Registration:
    return Registration.objects.create(
        workshop=workshop, name=name, **({"status": "confirmed"} | fields)
    )


def enter(
    world: World, workshop: Workshop, lines: list[SheetLine], newcomers: list[Newcomer]
) -> None:
    actions.record_sign_in_sheet(
        by=world.person("facilitator"), workshop=workshop, lines=lines, newcomers=newcomers
    )


def line(registration: Registration, present: bool = True, channel: str = "") -> SheetLine:
    return SheetLine(
        registration_id=registration.pk, present=present, first_time=True, channel=channel
    )


def test_lines_of_another_workshop_or_a_cancelled_registration_change_nothing_and_the_rest_counts(
    world: World, evening: Workshop
) -> None:
    elsewhere = person(make_hosted_workshop(world, days_from_now=-1), "Ailleurs")
    cancelled = person(evening, "Annulée", status="cancelled", cancelled_at=timezone.now())
    amina = person(evening, "Amina")
    enter(world, evening, [line(elsewhere), line(cancelled), line(amina)], [])
    for someone in (elsewhere, cancelled):
        someone.refresh_from_db()
        assert (someone.checked_in_at, someone.first_time) == (None, None)
    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"
    amina.refresh_from_db()
    assert amina.checked_in_at == evening.starts_at
    assert amina.first_time is True


def test_a_forged_channel_on_a_line_is_not_kept(world: World, evening: Workshop) -> None:
    amina = person(evening, "Amina")
    enter(world, evening, [line(amina, channel="made-up")], [])
    amina.refresh_from_db()
    assert (amina.checked_in_at, amina.channel) == (None, "")


def test_someone_left_unticked_stays_absent_and_an_arrival_keeps_its_time(
    world: World, evening: Workshop
) -> None:
    absent = person(evening, "Absent")
    door = timezone.now() - timedelta(hours=20)
    came = person(evening, "Ticked at the door", checked_in_at=door)
    enter(world, evening, [line(absent, present=False), line(came)], [])
    absent.refresh_from_db()
    came.refresh_from_db()
    assert absent.checked_in_at is None
    assert came.checked_in_at == door


def test_someone_on_the_waiting_list_ticked_on_the_sheet_got_in(
    world: World, evening: Workshop
) -> None:
    waiting = person(evening, "En attente", status="waiting")
    enter(world, evening, [line(waiting)], [])
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert waiting.checked_in_at == evening.starts_at


def test_newcomers_arrived_at_the_start_and_a_forged_channel_skips_only_its_own_line(
    world: World, evening: Workshop
) -> None:
    enter(
        world,
        evening,
        [],
        [
            Newcomer(name="Forgé", first_time=None, channel="made-up", key="sheet-row-0-key-x"),
            Newcomer(
                name="Karim", first_time=True, channel=HeardElsewhere.values[0], key="sheet-row-1-k"
            ),
        ],
    )
    (karim,) = evening.registrations.all()
    assert karim.name == "Karim"
    assert karim.checked_in_at == evening.starts_at  # not when the sheet was typed in


def test_only_the_service_changes_a_workshop_s_texts_whoever_calls(
    world: World, evening: Workshop
) -> None:
    with pytest.raises(PermissionDenied):
        actions.set_workshop_texts(
            by=world.person("facilitator"), workshop=evening, language="nl", translations={}
        )
    evening.refresh_from_db()
    assert evening.language == "fr"


def test_a_language_outside_the_site_is_refused_with_its_reason(
    world: World, evening: Workshop
) -> None:
    with pytest.raises(actions.WorkshopError, match=r"^Choisissez une des langues du site\.$"):
        actions.set_workshop_texts(
            by=world.person("coordinator"), workshop=evening, language="de", translations={}
        )


def test_a_translation_in_the_original_s_language_or_outside_the_site_is_dropped_not_the_others(
    world: World, evening: Workshop
) -> None:
    actions.set_workshop_texts(
        by=world.person("coordinator"),
        workshop=evening,
        language="fr",
        translations={
            "fr": {"title": "Une autre version"},
            "de": {"title": "Gut leben in Bomel"},
            "nl": {"title": "Goed samenleven in Bomel"},
        },
    )
    evening.refresh_from_db()
    assert evening.translations == {"nl": {"title": "Goed samenleven in Bomel"}}
    assert str(evening.texts_in("fr").title) == "Bomel, hier soir"


def test_a_copied_workshop_keeps_the_language_its_texts_are_written_in(world: World) -> None:
    today = timezone.localdate()
    source = make_cycle([world.home], slug="source")
    make_hosted_workshop(
        world, cycle=source, days_from_now=10, title="Goed samenleven", language="nl"
    )
    copy = actions.duplicate_cycle(
        by=world.person("coordinator"),
        source=source,
        name="Copie",
        slug="copie",
        starts_on=source.starts_on + timedelta(weeks=52),
        ends_on=date(today.year + 2, 12, 31),
    )
    (copied,) = copy.cycle.workshops.all()
    assert (copied.title, copied.language) == ("Goed samenleven", "nl")


def test_saving_the_translations_without_a_new_photo_keeps_the_photo(
    world: World, evening: Workshop
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2050d0").save(buffer, format="PNG")
    coordinator = world.person("coordinator")
    photo = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    actions.set_workshop_texts(
        by=coordinator, workshop=evening, language="fr", translations={}, photo=photo
    )
    evening.refresh_from_db()
    kept = evening.photo.name
    assert kept
    actions.set_workshop_texts(
        by=coordinator,
        workshop=evening,
        language="fr",
        translations={"nl": {"title": "Goed samenleven"}},
    )
    evening.refresh_from_db()
    assert evening.photo.name == kept
    assert evening.photo.storage.exists(kept)
