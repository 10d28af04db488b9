"""Partner logos: real images only, stored without metadata, printed on invitations."""

from __future__ import annotations

import html
import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import GPS_TAG, World, jpeg_with_gps
from palabre.neighbourhoods.models import Partner

pytestmark = pytest.mark.django_db


def upload(client: Client, partner: Partner, name: str, content: bytes) -> str:
    response = client.post(
        reverse("admin:neighbourhoods_partner_change", args=[partner.pk]),
        {
            "slug": partner.slug,
            "name": partner.name,
            "kind": partner.kind,
            "description": "",
            "website": "",
            "neighbourhoods": [n.pk for n in partner.neighbourhoods.all()],
            "logo": SimpleUploadedFile(name, content),
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    return response.content.decode()


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_a_logo_is_stored_as_png_without_gps_or_camera_data(world: World) -> None:
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get(GPS_TAG) is not None
    client = Client()
    client.force_login(world.person("coordinator"))
    upload(client, world.partner_org, "logo.jpg", jpeg_with_gps())
    world.partner_org.refresh_from_db()
    assert str(world.partner_org.logo.name).endswith(".png")
    with Image.open(world.partner_org.logo.path) as stored:
        assert stored.format == "PNG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert stored.size == (300, 120)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"%PDF-1.7 not an image", "Téléversez une image valide."),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Téléversez une image valide."),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_with_a_message(
    world: World, name: str, content: bytes, message: str
) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    page = upload(client, world.partner_org, name, content)
    assert message in html.unescape(page)
    world.partner_org.refresh_from_db()
    assert not world.partner_org.logo


def test_the_logo_is_printed_on_the_invitations(world: World, tmp_path: Path) -> None:
    from palabre.workshops import actions
    from palabre.workshops.models import PrintFormat
    from palabre.workshops.printing import invitation_pdf
    from palabre.workshops.tests.factories import make_cycle, make_workshop

    client = Client()
    client.force_login(world.person("coordinator"))
    upload(client, world.partner_org, "logo.jpg", jpeg_with_gps())
    workshop = make_workshop(
        cycle=make_cycle([world.home]), neighbourhood=world.home, venue=world.venue
    )
    workshop.partners.set([world.partner_org])
    batch = actions.prepare_invitations(
        by=None,
        workshop=workshop,
        label="Tracts",
        print_format=PrintFormat.FLYER_A5,
        copies=1,
        language="fr",
    )
    path = tmp_path / "flyer.pdf"
    path.write_bytes(invitation_pdf(batch))
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    kinds = [line.split()[2] for line in images]
    assert kinds.count("image") == 1  # the logo (the QR code is vector graphics)


def test_an_image_over_ten_megabytes_is_refused_with_its_size() -> None:
    from django.core.exceptions import ValidationError

    from palabre.core.images import clean_image

    big = SimpleUploadedFile("big.png", b"\0" * 10_460_000)
    with pytest.raises(ValidationError) as error:
        clean_image(big)
    assert error.value.messages == ["Ce fichier fait 10,5 Mo\u00a0; la limite est de 10 Mo."]
