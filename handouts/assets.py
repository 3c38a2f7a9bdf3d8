"""Is this image or font usable? The one home of those questions, asked when an asset
is loaded.

A file named .png may hold anything: text, a truncated image, or a decompression bomb (a
small file that decodes to billions of pixels). Pillow reads the header and decodes the
whole image under a pixel cap. A file named .ttf may be text, cut short by a download,
a CFF font, or a font whose licence forbids embedding; fontTools reads its tables, and
ReportLab's own reader, which embeds it, must accept it too. So a bad asset is a clear
error at load time, in `validate` too, and never a crash in the middle of a build.

Reading a font that way takes tens of milliseconds, most of a cold `validate`, for an
answer that only changes with the file: what was found is kept on disk (filecache.py),
as fontconfig keeps its own, and fontTools and ReportLab are loaded only for a new file.
"""
from __future__ import annotations

import warnings
from functools import lru_cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING

from . import filecache

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

MAX_PIXELS = 40_000_000  # 40 megapixels: a full-page photo at 600 dpi is about 35
FORMATS = ("PNG", "JPEG")


def image_problem(path: Path) -> str | None:
    """What is wrong with an image file, or None when it is a readable PNG or JPEG. Kept
    between runs (filecache.py): decoding a logo loads Pillow, 10 ms of a cold `validate`."""
    key = filecache.file_key(path, "image")
    return filecache.answer(key, lambda: {"problem": _image_problem(path)})["problem"]


def _image_problem(path: Path) -> str | None:
    from PIL import Image
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


TRUETYPE = ("\x00\x01\x00\x00", "true")  # sfnt versions of fonts with glyf outlines
# how a font file starts: TrueType, collection, CFF OpenType, WOFF and WOFF2 web fonts
FONT_STARTS = (b"\x00\x01\x00\x00", b"true", b"ttcf", b"OTTO", b"wOFF", b"wOF2")
# the tables ReportLab reads to measure, embed and subset a TrueType font
FONT_TABLES = ("head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "post")
HEAD_MAGIC = 0x5F0F3CF5  # in every TrueType 'head' table
NO_EMBEDDING = 0x0002  # OS/2 fsType: restricted licence, the font may not be embedded
NO_SUBSETTING = 0x0300  # OS/2 fsType: no subsetting, or bitmap embedding only


@lru_cache(maxsize=64)
def characters(path: Path) -> frozenset[int]:
    """The code points a TrueType file (the first of a collection) maps to glyphs, by its
    best Unicode cmap (what ReportLab embeds from; layout/typeset.py adds the no-break
    space that ReportLab draws with the space glyph)."""
    key = filecache.file_key(path, "characters")
    known = filecache.get(key)
    if known is not None:
        return filecache.code_points(known)
    from fontTools.ttLib import TTFont
    with TTFont(path, fontNumber=0, lazy=True) as font:
        found = frozenset(font.getBestCmap() or ())
    filecache.put(key, filecache.ranges(found))
    return found


@lru_cache(maxsize=64)
def ink_width(path: Path, char: str) -> float:
    """How wide `char`'s ink is in a TrueType file (the first of a collection), in ems; 0
    where it has no glyph or the glyph draws nothing."""
    key = filecache.file_key(path, f"ink width {ord(char):04X}")
    return filecache.answer(key, lambda: {"ems": _ink_width(path, char)})["ems"]


def _ink_width(path: Path, char: str) -> float:
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont
    with TTFont(path, fontNumber=0, lazy=True) as font:
        name = (font.getBestCmap() or {}).get(ord(char))
        if name is None:
            return 0.0
        glyphs = font.getGlyphSet()
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is None:
            return 0.0
        return round((pen.bounds[2] - pen.bounds[0]) / font["head"].unitsPerEm, 4)


def font_problem(path: Path, index: int = 0, needed: str = "") -> tuple[str, str] | None:
    """What is wrong with a TrueType font file (font `index` of a .ttc collection) and
    which of DAMAGED and MISSING it is, or None when ReportLab can embed it and it has a
    glyph for every character of `needed`."""
    key = filecache.file_key(path, f"problem {index} {needed}")  # also this process's
    known = filecache.answer(key, lambda: {"problem": _found_list(path, index, needed)})
    return (known["problem"][0], known["problem"][1]) if known["problem"] else None


def _found_list(path: Path, index: int, needed: str) -> list[str] | None:
    found = _font_problem(str(path), index, needed, Path(path).stat().st_size)
    return list(found) if found else None


DAMAGED, MISSING = "damaged", "missing glyphs"


def _quiet_fonttools(check):
    """fontTools logs what it repairs while reading ('not enough data in post...'); the
    check reports problems itself, so those lines are kept off the terminal."""
    @wraps(check)
    def quietly(*args):
        import logging  # only when a font is read: 3 ms of a cold `validate`
        logger = logging.getLogger("fontTools")
        level, logger.level = logger.level, logging.CRITICAL
        try:
            return check(*args)
        finally:
            logger.setLevel(level)
    return quietly


@_quiet_fonttools
def _font_problem(path: str, index: int, needed: str, size: int) -> tuple[str, str] | None:
    from fontTools.ttLib import TTFont, TTLibError
    problem = _start_problem(path)
    if problem:
        return problem, DAMAGED
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
    except (TTLibError, OSError, ValueError, EOFError) as exc:
        return f"is cut short or damaged: its header cannot be read ({_said(exc)})", DAMAGED
    except Exception as exc:  # noqa: BLE001 - fontTools meets a damaged header many ways
        return f"is not a readable font ({_said(exc)})", DAMAGED
    with font:
        try:
            problem = (_outline_problem(font) or _truncation(font, size)
                       or _table_problem(font) or _embedding_problem(font)
                       or _reportlab_problem(path, index))
            return (problem, DAMAGED) if problem else _glyph_problem(font, needed)
        except Exception as exc:  # noqa: BLE001 - damaged data fails in many ways
            return f"is damaged ({_said(exc)})", DAMAGED


def _reportlab_problem(path: str, index: int) -> str | None:
    """ReportLab, which embeds the font, reads it with checks of its own (a maxp version,
    the characters of the PostScript name): what it refuses here it would refuse later."""
    from reportlab.pdfbase.ttfonts import TTFontFile
    try:
        TTFontFile(path, subfontIndex=index)
    except Exception as exc:  # noqa: BLE001 - TTFError, struct.error and more
        return f"cannot be read by ReportLab, which embeds it ({_said(exc)})"
    return None


def _said(exc: Exception) -> str:
    """An exception as a short line of a message."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:160]


def _start_problem(path: str) -> str | None:
    """A file that does not even start like a font: empty, or text renamed .ttf."""
    with open(path, "rb") as stream:
        start = stream.read(4)
    if not start:
        return "is empty (0 bytes)"
    if start not in FONT_STARTS:
        shown = start.decode("latin-1").encode("unicode_escape").decode("ascii")
        return (f"is not a font file: it starts with '{shown}', not a TrueType header "
                "(a text or other file renamed?)")
    return None


def _outline_problem(font: TTFont) -> str | None:
    if font.flavor:
        return f"is a {font.flavor.upper()} web font, not a TrueType (.ttf) file"
    if font.sfntVersion == "OTTO":
        return "is CFF-based OpenType (PostScript outlines), not TrueType"
    if font.sfntVersion not in TRUETYPE:
        return "is not a TrueType font"
    return None


def _truncation(font: TTFont, size: int) -> str | None:
    """A table that runs past the end of the file: a copy or download cut short."""
    for tag, entry in sorted(font.reader.tables.items(), key=lambda item: item[1].offset):
        if entry.offset + entry.length > size:
            return (f"is truncated: its '{tag.strip()}' table needs "
                    f"{entry.offset + entry.length} bytes but the file has {size}")
    return None


def _table_problem(font: TTFont) -> str | None:
    for tag in FONT_TABLES:
        if tag not in font:
            return f"has no '{tag}' table, which every TrueType font needs"
        try:
            font[tag]  # decompiles the table
        except Exception as exc:  # noqa: BLE001 - damaged table data fails in many ways
            return f"has a damaged '{tag}' table ({_said(exc)})"
    if font["head"].magicNumber != HEAD_MAGIC:
        return "has a damaged 'head' table (its magic number is wrong)"
    if font.getBestCmap() is None:
        return "has no Unicode character map"
    if not any(record.nameID == 6 for record in font["name"].names):
        return "has no PostScript name (name table ID 6)"
    return None


def _embedding_problem(font: TTFont) -> str | None:
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if fs_type == NO_EMBEDDING or fs_type & NO_SUBSETTING:
        return f"has a licence setting (OS/2 fsType {fs_type:#06x}) that forbids embedding it"
    return None


def _glyph_problem(font: TTFont, needed: str) -> tuple[str, str] | None:
    cmap, glyphs = font.getBestCmap(), font["glyf"]
    missing = [char for char in needed if ord(char) not in cmap]
    if missing:
        shown = "".join(missing[:12]) + ("..." if len(missing) > 12 else "")
        return (f"has no glyph for {len(missing)} of the characters every leaflet needs "
                f"({shown})", MISSING)
    for char in needed:
        try:
            glyphs[cmap[ord(char)]]  # decompiles the outline
        except Exception as exc:  # noqa: BLE001 - damaged outline data fails in many ways
            return f"has a damaged outline for '{char}' ({type(exc).__name__})", DAMAGED
    return None
