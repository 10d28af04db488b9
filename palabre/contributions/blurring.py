"""Blur rectangular areas of a paper board's photo, so that handwriting there cannot be read.

Pure image work with Pillow (no Django). An area is given in percentages of the photo's width
and height, from its top left corner, as a moderator types it in a form without JavaScript.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageFilter, UnidentifiedImageError

__all__ = ["Area", "UnreadableImage", "blurred"]

# The longer side of an area is cut into this many cells before smoothing: a handwritten
# line keeps no letter, whatever the size of the photo (a Gaussian blur alone leaves large
# writing readable).
_CELLS = 6


class UnreadableImage(ValueError):
    """The stored file is not an image Pillow can read."""


@dataclass(frozen=True)
class Area:
    """A rectangle in percentages of the photo: left and top edges, width and height."""

    x: int
    y: int
    width: int
    height: int

    def __post_init__(self) -> None:
        if not (0 <= self.x < 100 and 0 <= self.y < 100 and self.width > 0 and self.height > 0):
            raise ValueError(f"invalid area {self}")
        if self.x + self.width > 100 or self.y + self.height > 100:
            raise ValueError(f"area {self} goes past the photo's edge")

    def box(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """The pixels covered, rounded outwards so that nothing at the edge stays sharp."""
        width, height = size
        return (
            math.floor(self.x * width / 100),
            math.floor(self.y * height / 100),
            math.ceil((self.x + self.width) * width / 100),
            math.ceil((self.y + self.height) * height / 100),
        )


def blurred(png: bytes, areas: Sequence[Area]) -> bytes:
    """Return the image with each area blurred beyond reading, as PNG without metadata."""
    try:
        with Image.open(io.BytesIO(png)) as image:
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UnreadableImage(str(error)) from None
    for area in areas:
        box = area.box(picture.size)
        region = picture.crop(box)
        width, height = region.size
        longer = max(width, height)
        cells = (max(1, round(width * _CELLS / longer)), max(1, round(height * _CELLS / longer)))
        coarse = region.resize(cells, Image.Resampling.BOX).resize(
            region.size, Image.Resampling.NEAREST
        )
        radius = max(1, longer // (_CELLS * 2))
        picture.paste(coarse.filter(ImageFilter.GaussianBlur(radius)), box)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
