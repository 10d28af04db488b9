from __future__ import annotations

from typing import Any

from palabre.contributions.models import Moderation, Reason
from palabre.core.testing import PERSONAS, MatrixRow, World, everyone, only
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.tests.matrix import INVOLVED, STAFF, WELCOMERS, workshop

# Everyone signed in but the administrator (whose rows say what they get separately).
SIGNED_IN = tuple(p for p in PERSONAS if p not in ("anonymous", "administrator"))
TRANSCRIBERS = (*STAFF, "facilitator")


def _pk(world: World) -> dict[str, int]:
    return {"pk": workshop(world).pk}


def _post(world: World, moderation: str = Moderation.POST) -> Any:
    from palabre.contributions.tests.factories import make_post

    return make_post(world.home, by=world.person("resident"), moderation=moderation)


def _published(world: World) -> dict[str, int]:
    return {"pk": _post(world).pk}


def _pending(world: World) -> dict[str, int]:
    return {"pk": _post(world, Moderation.PRE).pk}


def _pending_with_phone(world: World) -> dict[str, int]:
    from palabre.contributions.tests.factories import make_post

    post = make_post(world.home, "Mon numéro : 0470 12 34 56.", moderation=Moderation.PRE)
    return {"pk": post.pk}


def _hidden(world: World) -> dict[str, int]:
    from palabre.contributions import actions

    post = _post(world)
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.SPAM)
    return {"pk": post.pk}


def _followed(world: World) -> dict[str, str]:
    from palabre.contributions.tests.factories import make_post

    token = make_post(world.home, moderation=Moderation.PRE).follow_token
    assert token is not None
    return {"token": token}


def _board_photo(world: World) -> Any:
    """A published paper contribution with its photo, the photo still private."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from palabre.contributions import actions

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "yellow").save(buffer, format="PNG")
    saved = actions.transcribe(
        by=world.person("coordinator"),
        neighbourhood=world.home,
        texts=["Un banc"],
        key="m" * 20,
        photo=ContentFile(buffer.getvalue(), name="b.png"),
        description="Tableau",
    )
    actions.publish(by=world.person("coordinator"), contribution=saved[0])
    assert saved[0].photo is not None
    return saved[0]


def _private_photo(world: World) -> dict[str, int]:
    return {"pk": _board_photo(world).photo_id}


def _published_photo(world: World) -> dict[str, int]:
    from palabre.contributions import actions

    contribution = _board_photo(world)
    actions.publish_photo(by=world.person("coordinator"), photo=contribution.photo)
    return {"pk": contribution.photo_id}


def _with_photo(world: World) -> dict[str, int]:
    return {"pk": _board_photo(world).pk}


def _blur_area(world: World) -> dict[str, str]:
    from palabre.contributions.models import Photo

    revision = Photo.objects.get().revision  # what this persona's page would carry
    area = {"x": "1", "y": "1", "width": "5", "height": "5"}
    return {"step": "blur_photo", "revision": str(revision), **area}


def _noted(world: World) -> dict[str, int]:
    from palabre.contributions import actions

    captured = actions.capture(
        by=world.person("facilitator"),
        workshop=workshop(world),
        question=0,
        text="Un banc",
        key="n" * 20,
    )
    return {"pk": captured.contribution.pk}


def _theme_pk() -> int:
    from palabre.contributions.models import Theme

    return Theme.objects.get(slug="proprete").pk


def _home_with_a_post(world: World) -> dict[str, str]:
    _post(world)
    return {"slug": world.home.slug}


def _open_board(world: World) -> dict[str, str]:
    from palabre.contributions.tests.factories import make_board

    make_board(world.home)
    return {"slug": world.home.slug}


ROWS = [
    MatrixRow("contributions:capture", only(200, WELCOMERS, otherwise=404), kwargs=_pk),
    MatrixRow(
        "contributions:capture",
        only(302, WELCOMERS, otherwise=404),
        kwargs=_pk,
        method="post",
        state="an entry",
        data=lambda w: {"question": "0", "key": "k" * 20, "text": "Plus de bancs."},
    ),
    MatrixRow("contributions:board", everyone(200), kwargs=lambda w: {"slug": w.home.slug}),
    MatrixRow(
        "contributions:board",
        only(200, STAFF, otherwise=404),
        kwargs=lambda w: {"slug": w.hidden.slug},
        state="unpublished neighbourhood",
    ),
    MatrixRow(
        "contributions:board",
        everyone(302),
        kwargs=_open_board,
        method="post",
        state="open board",
        data=lambda w: {"key": "p" * 20, "text": "Un potager partagé."},
    ),
    MatrixRow("contributions:detail", everyone(200), kwargs=_published, state="published"),
    MatrixRow(
        "contributions:detail",
        only(200, (*STAFF, "resident"), otherwise=404),
        kwargs=_pending,
        state="pending, by the resident",
    ),
    MatrixRow(
        "contributions:detail",
        only(200, (*STAFF, "resident"), otherwise=404),
        kwargs=_hidden,
        state="hidden, by the resident",
    ),
    MatrixRow("contributions:follow", everyone(200), kwargs=_followed, state="private link"),
    MatrixRow(
        "contributions:follow",
        everyone(404),
        kwargs=lambda w: {"token": "not-a-real-token"},
        state="wrong link",
    ),
    MatrixRow(
        "contributions:me_too",
        only(302, (*SIGNED_IN, "administrator"), otherwise=403) | {"resident": 403},
        kwargs=_published,
        method="post",
        state="published, by the resident",
    ),
    MatrixRow(
        "contributions:appeal",
        only(302, ("resident",), otherwise=404) | {"coordinator": 403, "administrator": 403},
        kwargs=_hidden,
        method="post",
        state="hidden, by the resident",
        data=lambda w: {"text": "Ce n'était pas du spam."},
    ),
    MatrixRow(
        "contributions:photo",
        only(200, TRANSCRIBERS, otherwise=404),
        kwargs=_private_photo,
        state="not published yet",
    ),
    MatrixRow("contributions:photo", everyone(200), kwargs=_published_photo, state="published"),
    MatrixRow("contributions:search", everyone(200), data=lambda w: {"q": "banc"}),
    MatrixRow("contributions:transcribe", only(200, TRANSCRIBERS, otherwise=403)),
    MatrixRow("contributions:moderation", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "contributions:moderate",
        only(200, STAFF, otherwise=403),
        kwargs=_published,
        state="published",
    ),
    MatrixRow(
        "contributions:moderate",
        # The author sees that it exists (their own), not how it is moderated.
        only(200, STAFF, otherwise=404) | {"resident": 403},
        kwargs=_pending,
        state="pending, by the resident",
    ),
    MatrixRow(
        "contributions:moderate",
        only(302, STAFF, otherwise=404),
        kwargs=_pending_with_phone,
        method="post",
        state="confirm a mask",
        data=lambda w: {"step": "confirm", "index": "0"},
    ),
    MatrixRow(
        "contributions:moderate",
        only(302, STAFF, otherwise=403),
        kwargs=_with_photo,
        method="post",
        state="publish the photo",
        data=lambda w: {"step": "publish_photo"},
    ),
    MatrixRow(
        "contributions:moderate",
        only(302, STAFF, otherwise=403),
        kwargs=_with_photo,
        method="post",
        state="blur an area of the photo",
        data=_blur_area,
    ),
    MatrixRow("contributions:workshop_synthesis", everyone(200), kwargs=_pk),
    MatrixRow(
        "contributions:workshop_synthesis",
        only(200, INVOLVED, otherwise=404),
        kwargs=lambda w: {"pk": workshop(w, WorkshopStatus.PLANNED).pk},
        state="planned",
    ),
    MatrixRow(
        "contributions:neighbourhood_synthesis",
        everyone(200),
        kwargs=_home_with_a_post,
    ),
    MatrixRow(
        "contributions:neighbourhood_synthesis",
        only(200, STAFF, otherwise=404),
        kwargs=lambda w: {"slug": w.hidden.slug},
        state="unpublished neighbourhood",
    ),
    MatrixRow(
        "contributions:neighbourhood_report", everyone(200), kwargs=lambda w: {"slug": w.home.slug}
    ),
    MatrixRow(
        "contributions:cycle_synthesis",
        everyone(200),
        kwargs=lambda w: {"slug": workshop(w).cycle.slug},
    ),
    MatrixRow(
        "contributions:add_theme",
        only(302, WELCOMERS, otherwise=404),
        kwargs=_noted,
        method="post",
        state="a note of the facilitator's workshop",
        data=lambda w: {"theme": _theme_pk()},
    ),
    # The paper plan B: the sheets and their typing in, for whoever captures at the workshop.
    MatrixRow("contributions:capture_sheets", only(200, WELCOMERS, otherwise=404), kwargs=_pk),
    MatrixRow("contributions:type_in_sheets", only(200, WELCOMERS, otherwise=404), kwargs=_pk),
    MatrixRow(
        "contributions:type_in_sheets",
        only(302, WELCOMERS, otherwise=404),
        kwargs=_pk,
        method="post",
        state="sheets typed in",
        data=lambda w: {"key": "p" * 20, "question_0": "Plus de bancs."},
    ),
    # Whoever noted it corrects, moves or deletes a note on the evening; nobody else, not even
    # the service (it moderates instead).
    MatrixRow(
        "contributions:correct_note", only(200, ("facilitator",), otherwise=404), kwargs=_noted
    ),
    MatrixRow(
        "contributions:correct_note",
        only(302, ("facilitator",), otherwise=404),
        kwargs=_noted,
        method="post",
        state="a correction",
        data=lambda w: {"text": "Deux bancs", "question": "1"},
    ),
    MatrixRow(
        "contributions:withdraw_note",
        only(302, ("facilitator",), otherwise=404),
        kwargs=_noted,
        method="post",
    ),
    # The service's settings. The list of themes in use is public; changing them, like the
    # boards, is for the staff (anonymous visitors get 403, as on the moderation page).
    MatrixRow("contributions:themes", everyone(200)),
    MatrixRow(
        "contributions:themes",
        only(302, STAFF, otherwise=403),
        method="post",
        state="take a theme out of use",
        data=lambda w: {"step": "out_of_use", "theme": _theme_pk()},
    ),
    MatrixRow("contributions:boards", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "contributions:board_settings",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "contributions:board_settings",
        only(200, STAFF, otherwise=404),
        kwargs=lambda w: {"slug": w.hidden.slug},
        state="unpublished neighbourhood",
    ),
    MatrixRow(
        "contributions:board_settings",
        only(302, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug},
        method="post",
        state="open the board",
        data=lambda w: {"state": "open", "moderation": Moderation.PRE, "prompt": "Et vous ?"},
    ),
]
