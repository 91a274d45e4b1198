from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from letters.errors import InvalidFieldError
from letters.images import picture_size


def _encode(image: PILImage.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt)
    return buf.getvalue()


def test_png_and_jpeg_sizes_are_read(make_png):
    assert picture_size(make_png(200, 80)) == (200, 80)
    assert picture_size(_encode(PILImage.new("RGB", (30, 20)), "JPEG")) == (30, 20)


def test_other_formats_and_garbage_are_refused():
    with pytest.raises(InvalidFieldError, match="PNG or JPEG"):
        picture_size(_encode(PILImage.new("RGB", (3, 2)), "GIF"), "logo_png")
    with pytest.raises(InvalidFieldError) as err:
        picture_size(b"\x89PNG\r\n\x1a\n garbage", "logo_png")
    assert err.value.field == "logo_png"


def test_decompression_bomb_is_refused_from_the_header(make_png):
    # A tiny PNG declaring 30000 x 30000 pixels: refused before any pixel is decoded.
    png = bytearray(make_png(10, 10))
    png[16:24] = (30000).to_bytes(4, "big") * 2  # IHDR width and height (CRC now wrong)
    with pytest.raises(InvalidFieldError):
        picture_size(bytes(png))
