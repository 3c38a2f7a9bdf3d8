"""Font families by name: installed font packages (fontpkg) or TTF folders in a template.

Only TrueType outlines are accepted: ReportLab embeds and subsets TrueType ('glyf') fonts,
not CFF-based OpenType ('OTTO'). No ReportLab import here; layout registers the files.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import fontpkg

STYLES = {"regular": (400, "normal"), "bold": (700, "normal"),
          "italic": (400, "italic"), "bold_italic": (700, "italic")}
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true")
COLLECTION_MAGIC = b"ttcf"  # a TrueType collection: several fonts in one file


class FontError(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    index: int = 0  # the font's number inside a collection (.ttc); 0 for a .ttf

    def files(self) -> dict[str, Path]:
        return {style: getattr(self, style) for style in STYLES}


def _check_truetype(path: Path, index: int = 0) -> Path:
    with open(path, "rb") as stream:
        magic = stream.read(4)
        if magic == COLLECTION_MAGIC:
            magic = _collection_member_magic(stream, index)
    if magic not in TRUETYPE_MAGIC:
        kind = "CFF-based OpenType" if magic == b"OTTO" else "not a TrueType font"
        raise FontError(f"{path.name} is {kind}", "use a TrueType (.ttf with glyf outlines) file")
    return path


def _collection_member_magic(stream, index: int) -> bytes:
    """The outline kind of font `index` in a collection, and that it has 'glyf' outlines."""
    stream.seek(8)
    count = struct.unpack(">I", stream.read(4))[0]
    if index >= count:
        return b"none"
    stream.seek(12 + 4 * index)
    stream.seek(struct.unpack(">I", stream.read(4))[0])
    magic, tables = stream.read(4), struct.unpack(">H", stream.read(2))[0]
    stream.seek(6, 1)
    tags = {stream.read(16)[:4] for _ in range(tables)}
    return magic if b"glyf" in tags else b"OTTO"


def _from_file(path: Path, package: str | None) -> FontFamily:
    """One TrueType file (or the first font of a collection) for every style."""
    if not path.is_file():
        hint = (f"install the Debian package {package} (apt-get install {package})"
                if package else "install the font, or name another one")
        raise FontError(f"font file {path} is not installed", hint)
    _check_truetype(path)
    return FontFamily(path.stem, path, path, path, path)


def _from_package(name: str) -> FontFamily:
    try:
        family = fontpkg.family(name)
    except fontpkg.FontpkgError:
        installed = ", ".join(sorted(f.name for f in fontpkg.families().values())) or "none"
        raise FontError(f"font family '{name}' is not installed (installed: {installed})",
                        f"pip install fontpkg-{fontpkg.slugify(name)}, or name a folder of "
                        "TTF files in the template") from None
    files = {}
    for style, (weight, slant) in STYLES.items():
        try:
            chosen = fontpkg.select_file(family, weight, slant, nearest=True)
        except fontpkg.FontpkgError:
            chosen = fontpkg.select_file(family, weight, "normal", nearest=True)
        files[style] = _check_truetype(Path(chosen.path))
    return FontFamily(family.name, **files)


def _from_folder(folder: Path) -> FontFamily:
    files = {}
    for style in STYLES:
        suffix = "".join(part.capitalize() for part in style.split("_"))
        found = sorted(folder.glob(f"*-{suffix}.ttf"))
        if not found and style != "regular":
            found = sorted(folder.glob("*-Regular.ttf"))
        if not found:
            raise FontError(f"no *-{suffix}.ttf in {folder}",
                            "name the files like MyFont-Regular.ttf, MyFont-Bold.ttf")
        files[style] = _check_truetype(found[0])
    return FontFamily(folder.name, **files)


def resolve_family(spec: str, template_folder: Path, package: str | None = None) -> FontFamily:
    """A family name of an installed font package, a folder relative to the template, or
    the path of one .ttf/.ttc file (`package` names what installs it)."""
    if spec.lower().endswith((".ttf", ".ttc")):
        return _from_file(template_folder / spec, package)
    folder = (template_folder / spec)
    if folder.is_dir():
        return _from_folder(folder)
    return _from_package(spec)
