"""Other formats of a leaflet: greyscale brands and images, and booklet imposition.

- `grey_brand(Brand) -> Brand`: every brand colour becomes a grey of the same relative
  luminance, so each contrast pair keeps its ratio (nudged back over 4.5:1 if rounding to
  8 bits pushed it under). Layout then draws with greys only.
- `grey_image(path) -> BytesIO`: a figure or logo as a greyscale PNG, in memory.
- `impose_booklet(PDF bytes of A5 pages) -> PDF bytes`: the pages two-up on landscape A4
  sheets in saddle-stitch order, ready to print double-sided, fold and staple. The result
  is a print file: imposition cuts each page's content loose from its structure tree, so
  it is not tagged; the title, language and dates are kept.

No ReportLab here.
"""
from __future__ import annotations

import dataclasses
from io import BytesIO
from pathlib import Path

from typing import TYPE_CHECKING

from .brand import CONTRAST_PAIRS, MIN_CONTRAST, Brand, contrast_ratio, luminance

if TYPE_CHECKING:  # Pillow and pypdf load only for a greyscale image or a booklet
    from pypdf import PdfReader, PdfWriter

MM = 72 / 25.4
SHEET = (297 * MM, 210 * MM)  # A4 landscape: two A5 pages side by side


# ---- greyscale -----------------------------------------------------------------------

def grey(hex_colour: str) -> str:
    """The grey (#rrggbb with r = g = b) whose relative luminance matches the colour's."""
    y = luminance(hex_colour)
    encoded = y * 12.92 if y <= 0.0031308 else 1.055 * y ** (1 / 2.4) - 0.055
    level = max(0, min(255, round(encoded * 255)))
    return f"#{level:02x}{level:02x}{level:02x}"


def _step_away(text: str, background: str) -> str:
    """One 8-bit step further from the other grey: darker if it is darker, else lighter."""
    level = int(text[1:3], 16)
    level += 1 if luminance(text) > luminance(background) else -1
    level = max(0, min(255, level))
    return f"#{level:02x}{level:02x}{level:02x}"


def grey_colours(colours: dict[str, str]) -> dict[str, str]:
    """Map role -> colour to role -> grey, keeping every CONTRAST_PAIRS pair >= 4.5:1."""
    greys = {role: grey(value) for role, value in colours.items() if value}
    for _ in range(512):  # one step per round; 255 steps reach black or white
        failing = [(text, back) for text, back in CONTRAST_PAIRS
                   if text in greys and back in greys
                   and contrast_ratio(greys[text], greys[back]) < MIN_CONTRAST]
        if not failing:
            break
        for text, back in failing:
            moved = _step_away(greys[text], greys[back])
            if moved == greys[text]:  # text already black or white: move the background
                greys[back] = _step_away(greys[back], greys[text])
            else:
                greys[text] = moved
    return greys


def grey_brand(brand: Brand) -> Brand:
    """The same brand with greys for colours (see grey_colours)."""
    values = dict(brand.values)
    colours = {key[len("colours."):]: value for key, value in values.items()
               if key.startswith("colours.")}
    values.update({f"colours.{role}": value for role, value in grey_colours(colours).items()})
    return dataclasses.replace(brand, values=tuple(sorted(values.items(), key=str)))


def grey_image(path: str | Path) -> BytesIO:
    """A PNG or JPEG as a greyscale PNG in memory (transparency kept)."""
    from PIL import Image
    with Image.open(path) as image:
        image.load()
        keep_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        converted = image.convert("RGBA" if keep_alpha else "RGB").convert(
            "LA" if keep_alpha else "L")
    data = BytesIO()
    converted.save(data, "PNG")
    data.seek(0)
    return data


# ---- booklet -------------------------------------------------------------------------

def booklet_padding(pages: int) -> int:
    """How many pages a booklet of `pages` A5 pages needs to fill its sheets (four pages
    to a folded sheet, at least one sheet). Layout fills them with Notes pages."""
    return max(4, -(-pages // 4) * 4) - pages


def booklet_order(pages: int, right_to_left: bool = False) -> list[tuple[int | None, int | None]]:
    """The sheet sides in print order, each (left page, right page), numbered from 1.

    Pages are padded with blanks (None) at the end to a multiple of four. Sheet k's front
    carries the outermost pair still unplaced (last, first) and its back the next pair
    (first + 1, last - 1), so the folded, nested sheets read 1, 2, 3, ... A right-to-left
    booklet (Arabic, Urdu...) opens the other way: every pair is mirrored.
    """
    total = pages + booklet_padding(pages)
    sides = []
    for sheet in range(total // 4):
        first, last = 2 * sheet + 1, total - 2 * sheet
        sides += [(last, first), (first + 1, last - 1)]
    if right_to_left:
        sides = [(right, left) for left, right in sides]
    return [(left if left <= pages else None, right if right <= pages else None)
            for left, right in sides]


def impose_booklet(pdf_bytes: bytes, right_to_left: bool = False) -> tuple[bytes, int]:
    """A5 pages -> landscape A4 sheet sides in booklet order; returns (bytes, sides)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    reader = PdfReader(BytesIO(pdf_bytes))
    writer = PdfWriter()
    width, height = SHEET
    sides = booklet_order(len(reader.pages), right_to_left)
    for side in sides:
        sheet = writer.add_blank_page(width, height)
        for slot, number in enumerate(side):
            if number is None:
                continue
            page = reader.pages[number - 1]
            box = page.mediabox
            # each half is centred on its half of the sheet; the fold is the middle
            x = width / 2 * slot + (width / 2 - float(box.width)) / 2 - float(box.left)
            y = (height - float(box.height)) / 2 - float(box.bottom)
            sheet.merge_transformed_page(page, Transformation().translate(x, y))
        sheet.compress_content_streams()
    _keep_metadata(reader, writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(sides)


def _keep_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject
    """Title, author, dates and language from the A5 file; no PDF/UA claim (not tagged)."""
    info = {key: value for key, value in (reader.metadata or {}).items()}
    writer.add_metadata(info)
    root = writer.root_object
    catalog = reader.trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject)  # the document catalog is a dictionary
    if "/Lang" in catalog:
        root[NameObject("/Lang")] = TextStringObject(str(catalog["/Lang"]))
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
