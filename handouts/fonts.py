"""Font families by name: installed font packages (fontpkg) or TTF folders in a template.

Only TrueType outlines are accepted: ReportLab embeds and subsets TrueType ('glyf') fonts,
not CFF-based OpenType ('OTTO'). Every file is checked when it is found (assets.py says
what is wrong with it). No ReportLab import here; layout registers the files.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from . import assets, filecache

STYLES = {"regular": (400, "normal"), "bold": (700, "normal"),
          "italic": (400, "italic"), "bold_italic": (700, "italic")}
# a brand's fonts print every leaflet's code, version, dates and page numbers, and are
# the first font for Latin text
BRAND_CHARACTERS = string.ascii_letters + string.digits
FONT_HINT = ("use a complete TrueType font file (.ttf with glyf outlines, embedding allowed): "
             "download or export it again")
GLYPHS_HINT = "use a font with the Latin letters and digits, e.g. Atkinson Hyperlegible"


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


def _check_truetype(path: Path, index: int = 0, needed: str = "") -> Path:
    found = assets.font_problem(path, index, needed)
    if found:
        problem, kind = found
        raise FontError(f"{path.name} {problem}",
                        GLYPHS_HINT if kind == assets.MISSING else FONT_HINT)
    return path


def _from_file(path: Path, package: str | None, needed: str) -> FontFamily:
    """One TrueType file (or the first font of a collection) for every style, except
    that its bold file beside it, where the package installs one, sets bold."""
    if not path.is_file():
        hint = (f"install the Debian package {package} (apt-get install {package})"
                if package else "install the font, or name another one")
        raise FontError(f"font file {path} is not installed", hint)
    _check_truetype(path, needed=needed)
    bold = _bold_beside(path, needed) or path
    return FontFamily(path.stem, path, bold, path, bold)


def _bold_beside(path: Path, needed: str) -> Path | None:
    """NanumGothic.ttf -> NanumGothicBold.ttf, DejaVuSans.ttf -> DejaVuSans-Bold.ttf,
    Rasa-Regular.ttf -> Rasa-Bold.ttf:
    Debian packages install a family as one file per weight. None when there is none,
    it is broken, or it lacks a character the regular file has (FreeSerif's bold has no
    Tamil): a heading must never lose a glyph its text has."""
    family = path.stem.removesuffix("-Regular")
    for name in (f"{path.stem}Bold{path.suffix}", f"{family}-Bold{path.suffix}"):
        candidate = path.with_name(name)
        if (candidate.is_file() and assets.font_problem(candidate, 0, needed) is None
                and assets.characters(path) <= assets.characters(candidate)):
            return candidate
    return None


def _from_package(name: str, needed: str) -> FontFamily:
    """The installed package's files for each style. Which files those are is kept
    between runs (filecache.py) while nothing is installed or removed: finding font
    packages loads importlib.metadata, 12 ms of a cold `validate`."""
    known = filecache.answer(f"font-package|{name}|{filecache.installed()}",
                             lambda: _package_files(name), holds=_files_exist)
    files = {style: _check_truetype(Path(path), needed=needed)
             for style, path in known["files"].items()}
    return _family(known["name"], files)


def _files_exist(known: dict) -> bool:
    return all(Path(path).is_file() for path in known["files"].values())


def _package_files(name: str) -> dict:
    """{'name': the family's name, 'files': {style: path}}, from fontpkg."""
    import fontpkg
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
        files[style] = str(chosen.path)
    return {"name": family.name, "files": files}


def _from_folder(folder: Path, needed: str) -> FontFamily:
    files = {}
    for style in STYLES:
        suffix = "".join(part.capitalize() for part in style.split("_"))
        found = sorted(folder.glob(f"*-{suffix}.ttf"))
        if not found and style != "regular":
            found = sorted(folder.glob("*-Regular.ttf"))
        if not found:
            raise FontError(f"no *-{suffix}.ttf in {folder}",
                            "name the files like MyFont-Regular.ttf, MyFont-Bold.ttf")
        files[style] = _check_truetype(found[0], needed=needed)
    return _family(folder.name, files)


def _family(name: str, files: dict[str, Path]) -> FontFamily:
    return FontFamily(name, files["regular"], files["bold"], files["italic"],
                      files["bold_italic"])


def resolve_family(spec: str, template_folder: Path, package: str | None = None,
                   needed: str = "") -> FontFamily:
    """A family name of an installed font package, a folder relative to the template, or
    the path of one .ttf/.ttc file (`package` names what installs it); every file must
    have a glyph for each character of `needed`."""
    if spec.lower().endswith((".ttf", ".ttc")):
        return _from_file(template_folder / spec, package, needed)
    folder = (template_folder / spec)
    if folder.is_dir():
        return _from_folder(folder, needed)
    return _from_package(spec, needed)
