"""Uploaded images: checked to be real images and re-encoded without metadata (GPS, camera)."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10_000_000  # "10 MB" as people read it
ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def clean_image(upload: UploadedFile[bytes], *, max_side: int = 2000) -> ContentFile[bytes]:
    """Return a PNG copy of an uploaded image, without metadata; refuse anything else."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is 10 MB.")
            % {"size": number_format(round(upload.size / 1e6, 1), 1)},
            code="too_large",
        )
    try:
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(_("Send a PNG, JPEG, WebP or GIF image."), code="bad_format")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large in pixels."), code="too_large")
            image.thumbnail((max_side, max_side))
            # Copying the pixels into a new image leaves EXIF, GPS and every other tag behind.
            rgba = image.convert("RGBA")
            clean = Image.new("RGBA", rgba.size)
            clean.paste(rgba)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read: send a PNG, JPEG, WebP or GIF."),
            code="not_an_image",
        ) from None
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    name = (upload.name or "image").rsplit(".", 1)[0][:80] + ".png"
    return ContentFile(buffer.getvalue(), name=name)
