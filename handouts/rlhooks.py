"""Every ReportLab internal that layout and tagging rely on, in one place.

ReportLab has no public API for what tagging and shaping need (the content stream being
built, the text object's writer, a KeepTogether's flowables, paragraph line breaking), so
these hooks reach into private names of one pinned version. They are checked here, once,
at import: on another ReportLab version handouts stops with a message naming the version
and the fix, rather than drawing wrong text. tests/test_rlhooks.py exercises each hook.

Hooks: `code` (a text object's or canvas's `_code`), `text_out`/`set_text_out` (a text
object's `_textOut`), `shaped_width`/`shape_data` (a shaped run's `__shapeData__`),
`keep_together_content` (`KeepTogether._content`), `frame_cursor` (`Frame._y`),
`cjk_callbacks_breakable` (what breakLinesCJK reads of a frag), the `shapeFragWord`
patch (`install_shape_word`, `rl_shape_frag_word`), the URL break points
(`install_url_splitter`: `_uri_split_pairs`, `_splitWord`, `_splitFragWord`), callbacks
kept apart from the word they start (`_getFragWords`), only words too long for a line
hyphenated (`_hyGenPair`, `_hyGenFragsPair`), the `setRise` fix, and
`Paragraph.drawPara`/`Paragraph.breakLinesCJK`, which lines.py overrides.
"""
from __future__ import annotations

import re

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib.colors import black
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import KeepTogether, Paragraph
from reportlab.platypus import paragraph as rl_paragraph

WRITTEN_FOR = "5.1.0"  # pyproject.toml pins this version; change both together


class UnsupportedReportLab(SystemExit):
    """ReportLab is not the version these hooks were written for. A SystemExit, so the
    message is printed as it is (no traceback) even though it is raised at import."""


def check_version(found: str) -> None:
    if found != WRITTEN_FOR:
        raise UnsupportedReportLab(
            f"handouts needs ReportLab {WRITTEN_FOR} but ReportLab {found} is installed: "
            f"its layout and PDF tagging use ReportLab internals of that version. "
            f"Fix: pip install reportlab=={WRITTEN_FOR} (or run ./dev, which installs the "
            f"pinned versions).")


def _check_internals() -> None:
    """The names the hooks use exist (a patched or partial install would lack them)."""
    missing = [name for owner, name in (
        (rl_paragraph, "shapeFragWord"), (PDFTextObject, "setRise"),
        (PDFTextObject, "_textOut"), (PDFTextObject, "_formatText"), (Paragraph, "drawPara"),
        (pdfmetrics, "_dynFaceNames"), (ttfonts, "_sdSimple"),
        (Paragraph, "breakLinesCJK"),
        (Paragraph, "_get_split_blParaFunc"), (rl_paragraph, "_uri_split_pairs"),
        (rl_paragraph, "uri_pat"), (rl_paragraph, "_fragWordIter"),
        (rl_paragraph, "_splitFragWord"), (rl_paragraph, "_splitWord"),
        (rl_paragraph, "_SplitWord"), (rl_paragraph, "_SplitWordEnd"),
        (rl_paragraph, "isBidiStr"), (rl_paragraph, "_getFragWords"),
        (rl_paragraph, "_HSFrag"), (rl_paragraph, "_hyGenPair"),
        (rl_paragraph, "_hyGenFragsPair")) if not hasattr(owner, name)]
    if missing:
        raise UnsupportedReportLab(
            f"ReportLab {reportlab.Version} lacks {', '.join(missing)}, which handouts "
            f"uses. Fix: pip install --force-reinstall reportlab=={WRITTEN_FOR}")


check_version(reportlab.Version)
_check_internals()


# -- the content stream being built -------------------------------------------------------
def code(obj) -> list[str]:
    """The operators written so far by a text object or on a canvas's page (`_code`)."""
    return obj._code


def text_out(text_object):
    """The text object's writer of one line of text (`_textOut(text, TStar)`)."""
    return text_object._textOut


def set_text_out(text_object, write) -> None:
    text_object._textOut = write


def shaped_width(text, font_name: str, size: float) -> float | None:
    """The advance of a shaped run as it is drawn (its glyphs' advances in its
    `__shapeData__`, kerning included), or None for text that is not shaped. ReportLab's
    paragraph line drawer (`_putFragLine`) adds up `canvas.stringWidth` of each piece to
    place underlines, link areas and backgrounds, and that width ignores the kerning.
    Characters added to a shaped run after shaping (a space: `_sdSimple`, no advance of
    its own) are drawn at their font width."""
    data = shape_data(text)
    if data is None:
        return None
    shaped = sum(glyph.x_advance for glyph in data if glyph.cluster != _ADDED_AFTER_SHAPING)
    added = "".join(char for char, glyph in zip(str.__str__(text), data)
                    if glyph.cluster == _ADDED_AFTER_SHAPING)
    return shaped * size / 1000 + (stringWidth(added, font_name, size) if added else 0.0)


_ADDED_AFTER_SHAPING = ttfonts._sdSimple.cluster


def shape_data(text) -> list | None:
    """The glyphs of a shaped run (a ShapedStr's `__shapeData__`), or None."""
    return getattr(text, "__shapeData__", None)


# -- platypus ------------------------------------------------------------------------------
def keep_together_content(flowable: KeepTogether) -> list:
    """The flowables a KeepTogether holds (`_content`)."""
    return flowable._content


def frame_cursor(frame) -> float:
    """How far down a Frame has filled (`_y`: the top of the space left), for
    render.place, which notes where each flowable landed."""
    return frame._y


_BREAKABLE = "\u200b"  # ZERO WIDTH SPACE


def cjk_callbacks_breakable(frags) -> None:
    """ReportLab's breakLinesCJK reads the first character of every frag, and an onDraw
    callback (our inline tags) has empty text: it gets a zero-width space, never drawn,
    and taken back once the lines are broken (cjk_callbacks_drawn)."""
    for frag in frags:
        if hasattr(frag, "cbDefn") and not getattr(frag, "text", ""):
            frag.text = _BREAKABLE


def cjk_callbacks_drawn(frags) -> None:
    """The callbacks' zero-width spaces taken back: ReportLab measures one that ends a
    frag as trailing space, in a font that has no such glyph a whole em, and ended the
    underline of a Japanese reference's address an em short of its 's/'."""
    for frag in frags:
        if hasattr(frag, "cbDefn") and getattr(frag, "text", None) == _BREAKABLE:
            frag.text = ""


# -- patches -------------------------------------------------------------------------------
rl_shape_frag_word = rl_paragraph.shapeFragWord  # ReportLab's own, before our patch


def install_shape_word(shape_word) -> None:
    """Paragraphs shape their words with `shape_word` (shaping.py) instead of ReportLab's."""
    rl_paragraph.shapeFragWord = shape_word


def callbacks_apart_from_words() -> None:
    """Zero-width callbacks (our tag switches) that start a word become a word of their
    own, with no space after it. ReportLab never breaks or hyphenates a word whose first
    piece is a callback, so a link at the start of a table cell ran on past the cell and
    off the page instead of breaking (`_getFragWords` makes the words breakLines reads)."""
    rl_frag_words = rl_paragraph._getFragWords

    def frag_words(frags, maxWidth=None):
        words = []
        for word in rl_frag_words(frags, maxWidth):
            lead = 0
            while lead + 1 < len(word) and _zero_width_callback(word[lead + 1][0]):
                lead += 1
            if 0 < lead < len(word) - 1 and type(word) in (list, rl_paragraph._HSFrag):
                words.append([0, *word[1:lead + 1]])
                words.append(type(word)([word[0], *word[lead + 1:]]))
            else:
                words.append(word)
        return words
    rl_paragraph._getFragWords = frag_words


def _zero_width_callback(frag) -> bool:
    return hasattr(frag, "cbDefn") and not getattr(frag.cbDefn, "width", 0)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # an email address, anywhere in text


def looks_like_url(word: str) -> bool:
    """Whether `word` is a URL by ReportLab's `uri_pat` (a scheme and a host), or one
    printed without its scheme as people type it ('www.nhs.uk/conditions/')."""
    return bool(rl_paragraph.uri_pat.match(word)) or (
        word[:4].lower() == "www." and bool(rl_paragraph.uri_pat.match("https://" + word)))


_SLASHED = re.compile(r"[\w.-]+(?:/[\w.-]+)+$")


def looks_like_email(word: str) -> bool:
    """An email address, or names joined by slashes ('AHA/ACC/AAPA/ABC/ACPM'): never
    broken to fill a line, but one wider than the whole line breaks where a URL would,
    with nothing added (at large print on A5, 'patient.information@riverside.example.
    nhs.uk' was cut mid-word, and 'AHA/ACC/A' / 'APA' in a reference)."""
    # the full stop or comma after it in a sentence is not part of it: 'email
    # patient.information@riverside.example.nhs.uk.' was cut 'riv' / 'erside' (A5 large print)
    word = word.rstrip(".,;:!?)")
    return bool(EMAIL.fullmatch(word) or _SLASHED.match(word))


_URL_TAILS: dict[str, None] = {}  # insertion-ordered: the most recent few hundred


def _is_url(word: str) -> bool:
    return word in _URL_TAILS or looks_like_url(word)


def forget_url_tails() -> None:
    """Start a document with no URL tails remembered: a word that was the rest of a URL
    in another leaflet (or an earlier build in the same process) would otherwise break
    as an address here, and the same leaflet would break differently by what came
    before it."""
    _URL_TAILS.clear()


def has_cut_points(word) -> bool:
    """Whether a frag word holds a shaped run whose glyphs say where it may be cut
    (shaping._mark_cuts sets `may_cut_before` on each glyph of such a run)."""
    return any(hasattr(glyph, "may_cut_before") for _, text in word[1:]
               for glyph in shape_data(text) or ())


def word_units(word, plain_units):
    """A frag word as ReportLab's `_fragWordIter` yields it (frag, width, text), but in
    units that may not be cut: each run of glyphs up to the next one a shaped run may be
    cut before, as a ShapedStr keeping its glyphs' positions, with its drawn width.
    Other pieces go by `plain_units` (ReportLab's own iterator)."""
    for frag, text in word[1:]:
        data = shape_data(text)
        if hasattr(frag, "cbDefn") or not text or data is None:
            yield from plain_units([0, (frag, text)])
            continue
        start = 0
        for end in [*(i for i, glyph in enumerate(data) if i and getattr(glyph, "may_cut_before", True)),
                    len(data)]:
            unit = text[start:end]
            yield frag, shaped_width(unit, frag.fontName, frag.fontSize) or 0.0, unit
            start = end


def treated_as_address(word: str) -> bool:
    """Whether the URL splitter (install_url_splitter) breaks this word, too long for any
    line, at an address's break points: a URL, the rest of one it split, or an email."""
    return _is_url(word) or looks_like_email(word)


def install_url_splitter(split_points) -> None:
    """Long URLs break only where `split_points(url)` says (the offsets a line may end at).

    ReportLab breaks a URL in two ways, both replaced here for URLs only:
    - `_uri_split_pairs(word)`: the (head, tail) pairs, longest head first, that may end
      the current line (None: not a URL, so hyphenation is tried). ReportLab's own splits
      only after a '/';
    - `_splitWord` and `_splitFragWord` (through `_fragWordIter`), for a word too long for
      any line: ReportLab cuts it at any character. Here a URL or an email address is cut
      between the pieces the split points make (a piece longer than a whole line still
      goes by character).
    ReportLab asks again for a tail that is still too long, but a tail ('cardiology/
    blood-pressure') has no scheme and no longer looks like a URL, so the tails handed
    out are remembered and recognised.
    """
    tails = _URL_TAILS
    widest = [float("inf")]  # the longest piece a line can hold, while one word is split
    is_url, is_address = _is_url, treated_as_address

    def remember(word: str, points: list[int]) -> None:
        for at in points:
            tails[word[at:]] = None
        while len(tails) > 512:
            del tails[next(iter(tails))]

    def split_pairs(word):
        word = word.decode("utf8") if isinstance(word, bytes) else word
        if not is_url(word):
            return None
        points = sorted(split_points(word), reverse=True)
        remember(word, points)
        return [(word[:at], word[at:]) for at in points]

    def pieces(text: str, points: set[int], offset: int, font: str, size: float):
        start = 0
        for end in [*sorted(at - offset for at in points if offset < at < offset + len(text)),
                    len(text)]:
            # a shaped URL keeps its glyphs: as plain text, a glyph with a private-use
            # code (Rasa's 'f' before 'l') was shaped again into a missing-glyph box
            piece = text[start:end]
            if stringWidth(str(piece), font, size) > widest[0]:
                yield from (piece[i:i + 1] for i in range(len(piece)))
            else:
                yield piece
            start = end

    def url_text(word) -> str:
        return "".join(s for f, s in word[1:] if s and not hasattr(f, "cbDefn"))

    rl_frag_word_iter = rl_paragraph._fragWordIter

    def frag_word_iter(word):
        text = url_text(word)
        if has_cut_points(word):
            yield from word_units(word, rl_frag_word_iter)
            return
        if not is_address(text):
            yield from rl_frag_word_iter(word)
            return
        points, offset = set(split_points(text)), 0
        remember(text, sorted(points))
        for frag, s in word[1:]:
            if hasattr(frag, "cbDefn") or not s:
                yield frag, getattr(getattr(frag, "cbDefn", None), "width", 0), s
                continue
            for piece in pieces(s, points, offset, frag.fontName, frag.fontSize):
                yield frag, stringWidth(piece, frag.fontName, frag.fontSize), piece
            offset += len(s)

    rl_split_frag_word = rl_paragraph._splitFragWord

    def split_frag_word(word, max_width, max_widths, line_number):
        widest[0] = min(max_widths)
        try:
            return rl_split_frag_word(word, max_width, max_widths, line_number)
        finally:
            widest[0] = float("inf")

    rl_split_word = rl_paragraph._splitWord

    def split_word(word, line_width, max_widths, line_number, font, size, encoding="utf8"):
        text = word.decode(encoding) if isinstance(word, bytes) else word
        if not is_address(text) or rl_paragraph.isBidiStr(text):
            return rl_split_word(word, line_width, max_widths, line_number, font, size,
                                 encoding)
        points = sorted(split_points(text))
        remember(text, points)
        widest[0] = min(max_widths)
        try:
            units = list(pieces(text, set(points), 0, font, size))
        finally:
            widest[0] = float("inf")
        return _split_into_lines(units, line_width, max_widths, line_number, font, size)

    rl_paragraph._uri_split_pairs = split_pairs
    rl_paragraph._fragWordIter = frag_word_iter
    rl_paragraph._splitFragWord = split_frag_word
    rl_paragraph._splitWord = split_word


# A style's `embeddedHyphenation` at this value makes ReportLab try a word that fits
# nowhere on its line again at the start of the next, and hyphenate it there; below it,
# ReportLab cut such a word at any letter to fill its line ('alrededor, n' / 'ormalment' /
# 'e', and '.' starting a line in an A5 large-print table).
HYPHENATE_ON_NEXT_LINE = 2


def hyphenate_only_long_words() -> None:
    """ReportLab hyphenates (and, with embeddedHyphenation, breaks at a compound's own
    hyphens) any word that does not fit what is left of its line. A word that fits a whole
    line is never broken here: it goes down whole (clear-print guidance avoids
    hyphenation, and both text readers drop a hyphen that ends a line). Only a word wider
    than the line is split, as lines.LinearParagraph asks."""
    gen_pair, gen_frags_pair = rl_paragraph._hyGenPair, rl_paragraph._hyGenFragsPair

    def pair(hyphenator, s, ww, new_width, max_width, *args, **kwargs):
        if ww <= max_width:
            return None
        return gen_pair(hyphenator, s, ww, new_width, max_width, *args, **kwargs)

    def frags_pair(hyphenator, frag_word, new_width, max_width, *args, **kwargs):
        if frag_word[0] <= max_width or has_cut_points(frag_word):
            return None  # fits, or shaped glyphs the patterns cannot read: cut as marked
        return gen_frags_pair(hyphenator, frag_word, new_width, max_width, *args, **kwargs)

    rl_paragraph._hyGenPair = pair
    rl_paragraph._hyGenFragsPair = frags_pair


def _split_into_lines(units: list[str], line_width: float, max_widths: list[float],
                      line_number: int, font: str, size: float) -> list:
    """A one-font word as ReportLab's `_splitWord` returns it (`_SplitWord` pieces, the
    last a `_SplitWordEnd`), cut only between `units`: as many units on each line as fit,
    from `line_width` already used on the first."""
    last = len(max_widths) - 1
    pieces, text, used = [], "", line_width
    for unit in units:
        width = stringWidth(unit, font, size)
        limit = max_widths[min(last, line_number)]
        if used + width > limit and (text or width <= max_widths[min(last, line_number + 1)]):
            pieces.append(rl_paragraph._SplitWord(text))
            line_number, text, used = line_number + 1, "", 0.0
        text, used = text + unit, used + width
    pieces.append(rl_paragraph._SplitWordEnd(text))
    return pieces


_rl_set_rise = PDFTextObject.setRise


def _set_rise(text_object, rise):
    """ReportLab's setRise, safe as the first operator of a string: a word whose first
    glyph is a raised mark (the tanween of 'قليلًا') starts with one, and ReportLab 5.1
    then reads the last operator of an empty list."""
    if not text_object._code:
        text_object._code.append("")
    return _rl_set_rise(text_object, rise)


PDFTextObject.setRise = _set_rise


def table_cells(table) -> list[list]:
    """A platypus Table's rows of cell contents (`_cellvalues`), as split parts hold them."""
    return table._cellvalues


# -- fonts ---------------------------------------------------------------------------------
def registered_face(face_name: bytes):
    """The TrueType font ReportLab registered first for a PostScript name, or None:
    pdfmetrics.registerFont maps every later font of that face name to it."""
    return pdfmetrics._dynFaceNames.get(face_name)


# -- synthetic bold ------------------------------------------------------------------------
# ReportLab font name -> stroke width as a share of the size, for the bold of a font with
# one weight (Chinese, Japanese, Ethiopic here): styles.register_family fills it.
SYNTHETIC_BOLD: dict[str, float] = {}
_rl_format_text = PDFTextObject._formatText


def _format_text(text_object, text):
    """ReportLab's text operators, drawn in synthetic bold when the font is a synthetic
    bold's name: each glyph filled and stroked in its fill colour (render mode 2), then
    the canvas's line width and stroke colour are set back, as a link's underline or a
    rule drawn next relies on them. Inline **bold** and headings are emboldened alike."""
    operators = _rl_format_text(text_object, text)
    share = SYNTHETIC_BOLD.get(text_object._fontname)
    if not share or not operators:
        return operators
    canvas = text_object._canvas
    # a paragraph sets its first colour on the canvas, later ones on the text object
    fill = getattr(text_object, "_fillColorObj", None) or getattr(canvas, "_fillColorObj", None)
    stroke = _stroke_code(text_object, fill or black)
    back = _stroke_code(text_object, getattr(canvas, "_strokeColorObj", None) or black)
    width = fp_str(text_object._fontsize * share)
    return (f"{stroke} {width} w 2 Tr {operators} 0 Tr {fp_str(canvas._lineWidth)} w "
            f"{back}")


def _stroke_code(text_object, colour) -> str:
    """The operator that sets `colour` for strokes ('0 0 0 RG'), as ReportLab writes it."""
    text_object.setStrokeColor(colour)
    return text_object._code.pop()


PDFTextObject._formatText = _format_text
callbacks_apart_from_words()
hyphenate_only_long_words()
