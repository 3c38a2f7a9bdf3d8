"""Is this image usable? The one home of that question, asked when an asset is loaded.

A file named .png may hold anything: text, a truncated image, or a decompression bomb (a
small file that decodes to billions of pixels). Pillow reads the header and decodes the
whole image under a pixel cap, so a bad asset is a clear error at load time, in
`validate` too, and never a crash in the middle of a build.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

MAX_PIXELS = 40_000_000  # 40 megapixels: a full-page photo at 600 dpi is about 35
FORMATS = ("PNG", "JPEG")


def image_problem(path: Path) -> str | None:
    """What is wrong with an image file, or None when it is a readable PNG or JPEG."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in FORMATS:
                    return f"is a {image.format} image, not PNG or JPEG"
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"is {width} x {height} pixels; the limit is "
                            f"{MAX_PIXELS // 1_000_000} megapixels")
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return f"is too large to decode (over {MAX_PIXELS // 1_000_000} megapixels)"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"is not a readable PNG or JPEG ({exc})"
    return None
