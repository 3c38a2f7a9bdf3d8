"""Left-to-right runs of right-to-left lines, written in the order pdfium reads them back.

pdfium (Chrome's PDF viewer, and the screen readers that read through it) turns a line
into text with a bidi pass of its own: it cuts the line's characters, in drawing order,
into segments of one class (letters, digits, right-to-left letters, the rest), calls the
line right to left when it has more right-to-left segments than left-to-right ones, and
then reverses the order of all segments. A left-to-right run made of several
segments (a phone number's digit groups, an address's words between its dots) comes back
with its segments reversed: '020 7946 0410' is read '0410 7946 020',
'patient.information@riverside.example.nhs.uk' is read 'uk.nhs.example...'.

Within one text-showing operator pdfium keeps the order the characters are written in,
and each character's position is its own (TJ offsets). So such a run, when it is one
piece of one font on a line pdfium calls right to left, is written as one TJ with its
segments last first, each moved to where it is drawn: the page looks the same, poppler
(which orders by position) reads the same, and pdfium's reversal puts the segments back
in the order they were typed. layout/lines.py marks the pieces (`Reversed`); `format_text`
writes them, with the codes of one font subset (a TJ holds one: _in_one_subset). A run
that cannot be written so (a rise, an ActualText span) is written as before.
"""
from __future__ import annotations

import unicodedata

from reportlab.pdfbase.ttfonts import ShapedStr

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from ..rlhooks import shape_data, shaped_width
from .tags import font_face_name, glyph_text, private_code


class Reversed(ShapedStr):
    """A shaped left-to-right run to be written segments last first (a slice or a join
    of it is a plain ShapedStr again, written as usual, except the space that ends its
    line: tags._LineWriter adds one to a line's last piece)."""

    def __add__(self, other):
        joined = ShapedStr.__add__(self, other)
        return Reversed(joined, shape_data(joined)) if _spaces(other) else joined


class ReversedPlain(str):
    """The same for a run ReportLab did not shape (digits alone: a phone number)."""

    def __add__(self, other):
        joined = str.__add__(self, other)
        return ReversedPlain(joined) if _spaces(other) else joined


_HYPHENS = ("-", "\u00ad")  # what pdfium takes for a hyphen at a line's end


def _spaces(text) -> bool:
    return isinstance(text, str) and bool(text) and not text.strip(" ")


def marked(text):
    """`text` marked to be written segments last first."""
    data = shape_data(text)
    return ReversedPlain(text) if data is None else Reversed(text, data)


# pdfium's classes (CFX_BidiChar): letters; digits and the number punctuation, which are
# always read forwards and set no direction ('37.5', '10:30', '128/82', the ':' and '/'
# of a URL); right to left; and the rest (spaces, '@', '|', brackets)
_NUMBER_PUNCTUATION = ("CS", "ES", "ET")  # ',' '.' ':' '/', '-' '+', '%' '#'
_CLASSES = {"L": "L", "R": "R", "AL": "R", **dict.fromkeys(
    ("EN", "AN", "NSM", *_NUMBER_PUNCTUATION, "BN"), "W")}
# a no-break space is drawn with the code of a space, and read back as one (markup.NBSP)
_AS_READ = str.maketrans({"\u00a0": " ", "\u202f": " "})


def segment_class(text: str, i: int) -> str:
    """pdfium's class of text[i]: L, W (a digit or number punctuation), R (R, AL), or N."""
    return _CLASSES.get(unicodedata.bidirectional(text[i].translate(_AS_READ)), "N")


def number_punctuation(char: str) -> bool:
    """Whether pdfium reads `char` as part of a number beside it (the '-' of '10-12', the
    ':' of '08:30'), not as a neutral it orders by the letters around it (a dash, a
    quote). A no-break space is read as a space (_AS_READ), though UAX #9 calls it CS."""
    return unicodedata.bidirectional(char.translate(_AS_READ)) in _NUMBER_PUNCTUATION


def segments(text: str) -> list[tuple[str, int, int]]:
    """(class, start, end) of each run of one class in `text`."""
    found: list[tuple[str, int, int]] = []
    for i in range(len(text)):
        kind = segment_class(text, i)
        if found and found[-1][0] == kind:
            found[-1] = (kind, found[-1][1], i + 1)
        else:
            found.append((kind, i, i + 1))
    return found


def read_right_to_left(line_text: str) -> bool:
    """Whether pdfium calls a line right to left: more right-to-left segments than
    left-to-right ones (digits count for neither). Measured with pypdfium2's pdfium: a
    tie ('كلمة أخرى | Riverside University', drawn both ways round) is read left to
    right, though pdfium's source reads 'at least as many'; an Urdu card's email line
    read '@information.patient' with the tie counted right to left."""
    kinds = [kind for kind, _, _ in segments(line_text)]
    return kinds.count("R") > kinds.count("L")


def mirrored(text: str) -> bool:
    """Whether `text` holds a character pdfium may read mirrored (a bracket): it mirrors
    one by the letters it read just before it."""
    return any(map(unicodedata.mirrored, text))


def needs_reversing(text: str, line_right_to_left: bool = True) -> bool:
    """A run pdfium would read with its segments in the wrong order, on a line it calls
    right to left: a run with no right-to-left letter and two or more segments of letters
    or digits ('020 7946 0410' was read '0410 7946 020'), or letters and punctuation
    inside its spaces (the head of an address wrapped after its '@', read '@radiotherapy';
    not a bracket, which pdfium mirrors by the letters before it); on a line it calls
    left to right (more Latin words than Arabic ones), which it reads in drawing order:
    a right-to-left run with no left-to-right letter and two or more such segments (the
    Arabic words beside an email address came back last first)."""
    kinds = [kind for kind, _, _ in segments(text)]
    if line_right_to_left:  # not a run that would be written ending in its leading hyphen:
        # pdfium reads a line ending in one as hyphenated, and joins the next line to it
        plain = str.__str__(text)
        inner = [kind for kind, _, _ in segments(plain.strip(" "))]
        several = sum(kind in "LW" for kind in kinds) >= 2 or (
            "L" in inner and len(inner) >= 2 and not mirrored(plain))
        return "R" not in kinds and several and not plain.startswith(_HYPHENS)
    return "L" not in kinds and "R" in kinds and sum(kind in "RW" for kind in kinds) >= 2


class InReadingOrder(ShapedStr):
    """A canvas line (a footer's) of words in drawing order, to be written as one TJ with
    its pieces in `order` (indices into `pieces`, the line's pieces in drawing order)."""

    pieces: list  # set by in_reading_order
    order: list[int]


def in_reading_order(units: list[tuple[str, bool | None]], face: str) -> str:
    """A one-line string of `units` (each word of a line, in drawing order, and whether
    it is at a left-to-right level; None for the spaces between them), written so that
    pdfium reads it back as typed, or the plain joined line when it needs nothing.
    `face` is the font's face name, whose ToUnicode says what each shaped glyph reads as.

    pdfium reads one text operator by cutting it into segments, in written order, and,
    when it calls the line right to left, reversing their order (its right-to-left
    segments also reversed letter by letter): the footer's 'PIL-9001 v2' was read
    '2v -9001PIL'. A line it calls left to right keeps the written order, so the
    right-to-left words of 'المراجعة القادمة 10 يناير 2029 | Riverside University
    Hospitals' came back in drawing order. So the pieces are written in the order that
    reverses, or keeps, to the logical one: drawing order with each left-to-right run's
    segments last first, and all of that reversed for a line read left to right."""
    line = ""
    for text, _ in units:
        line = line + text
    if not any(text and ltr is False for text, ltr in units):
        return line
    pieces: list = []  # in drawing order
    groups: list[tuple[bool, list[int]]] = []  # runs of piece indices, left to right or not
    spaces: list[int] = []  # spaces after the last left-to-right run, which it may take
    for text, ltr in units:
        own = _segment_pieces(text, face)
        indices = list(range(len(pieces), len(pieces) + len(own)))
        pieces.extend(own)
        if ltr is None:
            spaces.extend(indices)
            continue
        if ltr and groups and groups[-1][0] and spaces == _after(groups[-1][1], spaces):
            groups[-1][1].extend(spaces + indices)
        else:
            if spaces:
                groups.append((False, spaces))
            groups.append((bool(ltr), indices))
        spaces = []
    if spaces:
        groups.append((False, spaces))
    order = [i for ltr, indices in groups for i in (reversed(indices) if ltr else indices)]
    if not drawn_read_right_to_left(line):
        order.reverse()
    if order == list(range(len(pieces))):
        return line
    written = InReadingOrder(line, shape_data(line) or [])
    written.pieces, written.order = pieces, order
    return written


def drawn_read_right_to_left(line: str) -> bool:
    """Whether pdfium calls a line right to left, given the codes it is drawn with:
    read_right_to_left with the glyphs of private-use codes (joined Arabic letters, whose
    text is in the font's ToUnicode) left out (measured on paragraph and footer lines)."""
    return read_right_to_left("".join(char for char in str.__str__(line)
                                      if unicodedata.category(char) != "Co"))


def _after(indices: list[int], spaces: list[int]) -> list[int]:
    """The indices that follow `indices` directly, as many as `spaces` holds."""
    start = indices[-1] + 1
    return list(range(start, start + len(spaces)))


def _segment_pieces(text, face: str | None = None) -> list:
    """`text` cut into its segments, a run of N characters of a left-to-right run into
    single ones until a letter has come. pdfium reads a line's segments in order, each
    forwards, but a right-to-left one and an N one read while the last letter it read
    was right to left (or none yet) backwards: the '://' of a URL (W) and the '. ' after
    its 'www' (W, then N after a letter) must stay as they are, or they read '//:' and
    ' .'; so must the N runs of a right-to-left run, which pdfium reverses as it reverses
    the letters around them. A shaped run's glyphs are classed by what they read as
    (`face`'s ToUnicode): a joined Arabic letter's private-use code is a letter of its
    word, and the comma drawn left of Urdu 'جنوری،' a segment of its own."""
    kinds = _kinds(text, face)
    pieces: list = []
    start = 0
    after_letter = "R" in kinds
    for i in range(1, len(kinds) + 1):
        if i < len(kinds) and kinds[i] == kinds[start]:
            continue
        if kinds[start] == "N" and not after_letter:
            pieces.extend(text[j:j + 1] for j in range(start, i))
        else:
            pieces.append(text[start:i])
        after_letter = after_letter or kinds[start] == "L"
        start = i
    return pieces


def _kinds(text, face: str | None) -> list[str]:
    plain = str.__str__(text)
    if face is None or _plain(text):
        return [segment_class(plain, i) for i in range(len(plain))]
    return [segment_class(glyph_text(face, char)[:1] or " ", 0) for char in plain]


def _plain(text) -> bool:
    return shape_data(text) is None


def format_text(text_object, text: Reversed | ReversedPlain, format_plain) -> str | None:
    """One TJ drawing `text` as `format_plain` would, its pieces written last first; None
    when it cannot be (the caller then writes it as usual). `format_plain` is ReportLab's
    _formatText."""
    pieces = _segment_pieces(text, font_face_name(text_object._fontname))  # drawing order
    return write_in_order(text_object, pieces, list(reversed(range(len(pieces)))), format_plain)


def write_in_order(text_object, pieces: list, order: list[int], format_plain) -> str | None:
    """One TJ drawing `pieces` (in drawing order) as `format_plain` would, written in
    `order`, each moved to where it is drawn; None when it cannot be (a rise, a font
    change inside, an ActualText span)."""
    if getattr(text_object, "_rise", 0):
        return None
    one_subset = _in_one_subset(text_object, pieces)
    if one_subset is None:
        return None
    pieces = one_subset
    font, size = text_object._fontname, text_object._fontsize
    placed = []  # (x, width, text) in drawing order
    x = 0.0
    for part in pieces:
        width = shaped_width(part, font, size)
        if width is None:
            width = stringWidth(str(part), font, size)
        placed.append((x, width, part))
        x += width
    subset = getattr(text_object, "_curSubset", None)
    font_operator, items, pen = "", [], 0.0
    for n, (at, width, part) in enumerate(placed[i] for i in order):
        code = format_plain(text_object, part)
        if n == 0:  # the font's subset is chosen by the first piece written
            font_operator, code = _font_operator(code)
        written = _tj_items(code)
        if written is None:
            text_object._curSubset = subset  # so the run is written as usual, font and all
            return None
        items.append(_move(at - pen, size))
        items.extend(written)
        pen = at + width
    items.append(_move(x - pen, size))
    tj = "[" + " ".join(item for item in items if item) + "] TJ"
    return f"{font_operator} {tj}" if font_operator else tj


def _in_one_subset(text_object, pieces: list) -> list | None:
    """`pieces` drawn with the codes of one font subset, which one TJ needs: a subset
    holds 256 codes, and an Arabic leaflet uses more, so the letters first drawn late
    (in its references) have codes in a second subset, and a run of both was written as
    several operators, which pdfium read in drawing order ('الاطلاع تاريخ ('). A glyph
    from another subset is drawn by a code of its own in the newest one, for the same
    glyph with the same width and text. None when that cannot be done: a space under
    word spacing (which moves code 32 only), or the newest subset filling up."""
    font = getFont(text_object._fontname)
    doc = text_object._canvas._doc
    for _ in range(2):
        split = {subset for piece in pieces for subset, _ in font.splitString(piece, doc)}
        if len(split) <= 1:
            return pieces
        spaced = any(" " in piece or "\u00a0" in piece for piece in pieces)
        word_spaced = getattr(text_object, "_wordSpace", 0.0) != 0
        if getattr(font, "hbAddPrivate", None) is None or (spaced and word_spaced):
            return None
        newest = font.state[doc].nextCode >> 8
        pieces = [_recoded(font, piece, newest, doc) for piece in pieces]
    return None


def _recoded(font, piece, subset: int, doc):
    """`piece` with each glyph outside font subset `subset` drawn by a private-use code
    for the same glyph, width and text, made for that subset (its first use assigns it
    there: codes are assigned to the newest subset)."""
    state, face = font.state[doc], font.face
    face_name = font_face_name(font.fontName)
    chars = []
    for char in str.__str__(piece):
        code = 32 if char == "\u00a0" else ord(char)  # as ReportLab draws a no-break space
        if state.assignments.get(code, -1) >> 8 == subset or code not in face.charToGlyph:
            chars.append(char)
            continue
        chars.append(private_code(font.fontName, f"handouts.subset:{subset}:{code}",
                                  face.charToGlyph[code], face.charWidths[code],
                                  glyph_text(face_name, chr(code))))
    text = "".join(chars)
    data = shape_data(piece)
    return text if data is None else ShapedStr(text, shapeData=data)


def with_origin(text_object, code: str) -> str:
    """`code` (one piece's text operator) made to start where the line's slot for it is
    (tags._note_origin), when one was noted for it: pdfium reads the text operators of a
    line in the order of where each starts (its first glyph: a TJ's leading number moves
    the start), so the operator opens with a space glyph there, then moves back to where
    its glyphs are drawn, by exactly what it moved (the space's width is whole: see
    _slot_space). The page looks the same; poppler, which orders by the glyphs and skips
    spaces, reads the same. `code` stays as it is when it is not one Tj or TJ (an
    ActualText span), or there is no such space in the font's subset."""
    shift = text_object.__dict__.pop("_origin_shift", None)
    if shift is None:
        return code
    font_operator, rest = _font_operator(code)
    items = _tj_items(rest)
    slot = _slot_space(text_object)
    if items is None or slot is None:
        return code
    space_code, space = slot
    size = text_object._fontsize
    there = round(-shift * 1000 / size, 3)  # TJ units: the pen moves by -n/1000 of the size
    back = round(space - there, 3)
    moved = [_number(there), space_code, _number(back), *items]
    tj = "[" + " ".join(item for item in moved if item) + "] TJ"
    return f"{font_operator} {tj}" if font_operator else tj


def _slot_space(text_object) -> tuple[str, float] | None:
    """A PDF string drawing a space in the text object's font subset, and its width in
    /Widths units, a whole number: pdfium reads widths as whole numbers, and a move by a
    space of a fraction (DejaVu's, 317.87, which Hebrew is set in) moved every glyph
    after it in pdfium. Code 32, which is a space once the subset has 33 codes (before,
    it drew a box), when its width is whole; else a private-use code for the space glyph
    at its width rounded down, made for the subset (a few late letters of an Arabic
    leaflet make a subset of their own). None when there is none: a new code goes to
    the newest subset only."""
    font = getFont(text_object._fontname)
    doc = text_object._canvas._doc
    state = getattr(font, "state", {}).get(doc)
    if state is None:
        return None
    subsets = state.subsets
    subset = getattr(text_object, "_curSubset", 0) or 0
    width = round(stringWidth(" ", text_object._fontname, 1000), 4)  # as /Widths has it
    whole = width.is_integer()
    if whole and subset < len(subsets) and len(subsets[subset]) > 32 and \
            subsets[subset][32] == 32:
        return "( )", width
    if subset != state.nextCode >> 8 or getattr(font, "hbAddPrivate", None) is None or \
            (subset == 0 and whole):  # subset 0 holds the space itself
        return None
    if whole:
        space = _recoded(font, " ", subset, doc)
    else:
        width = float(int(width))
        space = private_code(font.fontName, f"handouts.slot-space:{subset}:{width:g}",
                             font.face.charToGlyph[32], width, " ")
    written = font.splitString(space, doc)
    if [number for number, _ in written] != [subset]:
        return None
    return f"({text_object._canvas._escape(written[0][1])})", width


def _number(units: float) -> str:
    return "" if units == 0 else f"{units:.3f}".rstrip("0").rstrip(".")


def _font_operator(code: str) -> tuple[str, str]:
    """('/F2+0 13 Tf 18.85 TL', the rest) when `code` starts by choosing a font subset."""
    words = code.split(" ", 5)
    if len(words) == 6 and code.startswith("/") and words[2] == "Tf" and words[4] == "TL":
        return " ".join(words[:5]), words[5]
    return "", code


def _move(by: float, size: float) -> str:
    """A TJ number moving the pen `by` points to the right ('' for none)."""
    number = -by * 1000 / size
    return _number(0 if abs(number) < 1e-6 else number)


def _tj_items(code: str) -> list[str] | None:
    """The strings and numbers of one '(..) Tj' or '[..] TJ' operator; None for anything
    else (a font change, two operators)."""
    code = code.strip()
    if code.endswith(" Tj") and code.startswith("("):
        body, single = code[:-3], True
    elif code.endswith(" TJ") and code.startswith("[") and code[:-3].endswith("]"):
        body, single = code[1:-4], False
    else:
        return None
    items: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char.isspace():
            i += 1
        elif char == "(":
            end = _string_end(body, i)
            if end is None:
                return None
            items.append(body[i:end])
            i = end
        else:
            end = i
            while end < len(body) and (body[end].isdigit() or body[end] in "+-."):
                end += 1
            if end == i:
                return None
            items.append(body[i:end])
            i = end
    if single and len(items) != 1:
        return None
    return items


def _string_end(body: str, start: int) -> int | None:
    """Where the PDF string opened at `start` ends (past its ')'), escapes and nested
    brackets counted."""
    depth, i = 0, start
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None
