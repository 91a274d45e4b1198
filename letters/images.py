"""Checks on pictures (logos, embedded images) before either renderer draws them."""

from __future__ import annotations

import io
import warnings

from PIL import Image as PILImage

from letters.errors import InvalidFieldError

#: Larger pictures are refused: a letter never needs them and they cost memory in both renderers.
MAX_PIXELS = 40_000_000


def picture_size(data: bytes, field: str = "image") -> tuple[int, int]:
    """Width and height in pixels of a PNG or JPEG picture, read from its header only.

    :raise InvalidFieldError: naming `field` if the bytes are not a PNG/JPEG picture or the
        picture is larger than `MAX_PIXELS` (a decompression bomb).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as img:
                fmt, size = img.format, img.size
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombWarning,
            PILImage.DecompressionBombError) as exc:
        raise InvalidFieldError(field, "not a readable PNG or JPEG picture") from exc
    if fmt not in {"PNG", "JPEG"}:
        raise InvalidFieldError(field, f"pictures must be PNG or JPEG, not {fmt}")
    if size[0] * size[1] > MAX_PIXELS or min(size) < 1:
        raise InvalidFieldError(field, "picture is too large")
    return size
