"""ReportLab internals in one module (issue 10), and Chinese and Japanese lines (10.8).

Every hook of handouts/rlhooks.py is exercised here; the version check is tried with a
faked version. The CJK cases build real leaflets and read glyph boxes back with pdfium:
no full stop hangs past the column (it did by up to an em, 15 pt in the booklet), and a
date in 年月日 is never broken.
"""
from __future__ import annotations

import io

import json
from pathlib import Path
import subprocess
import sys

import pikepdf
import pypdfium2
import pypdfium2.raw as raw
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from reportlab.lib.styles import ParagraphStyle

from conftest import MINIMAL, Catalogue
from handouts import rlhooks
from handouts.layout import lines
from handouts.layout.styles import _register

MM = 72 / 25.4
MARGIN = 20 * MM  # riverside-trust's left and right margins
TOLERANCE = 1.0  # pt

PARAGRAPHS = {
    "zh-Hans": ("血液检查", "这项检查帮助医生了解您的健康。" * 14
                + "请在2026年11月24日之前预约。" * 6),
    "zh-Hant": ("血液檢查", "這項檢查幫助醫生了解您的健康。" * 14
                + "請在2026年11月24日之前預約。" * 6),
    "ja": ("血液検査",
           "検査は2026年11月24日に行います。ご不明な点があれば、お電話ください。" * 8),
}


# ---- the version check ------------------------------------------------------------------

def test_the_pinned_version_passes():
    rlhooks.check_version(rlhooks.WRITTEN_FOR)


def test_another_version_stops_with_the_version_and_the_fix():
    with pytest.raises(SystemExit) as stopped:
        rlhooks.check_version("4.2.0")
    message = str(stopped.value)
    assert "4.2.0" in message and "pip install reportlab==5.1.0" in message


def test_the_check_runs_at_import_and_prints_no_traceback():
    """A faked ReportLab version stops the import with the message alone, exit code 1."""
    fake = "import reportlab; reportlab.Version = '9.9.9'; import handouts.rlhooks"
    run = subprocess.run([sys.executable, "-c", fake], capture_output=True, text=True)
    assert run.returncode == 1
    assert "ReportLab 9.9.9 is installed" in run.stderr and "reportlab==5.1.0" in run.stderr
    assert "Traceback" not in run.stderr


# ---- each hook --------------------------------------------------------------------------

def test_code_reads_a_text_objects_and_a_canvass_operators(tmp_path):
    canvas = Canvas(str(tmp_path / "x.pdf"))
    text = canvas.beginText(10, 10)
    text.textLine("hi")
    assert any("Tj" in op for op in rlhooks.code(text))
    canvas.drawText(text)
    assert any("BT" in op for op in rlhooks.code(canvas))


def test_the_text_writer_can_be_wrapped(tmp_path):
    """A paragraph writes each line through the wrapped writer (tags.py ends lines so)."""
    seen = []

    class Watching(Canvas):
        def beginText(self, x=0, y=0, direction=None):
            text = super().beginText(x, y, direction)
            write = rlhooks.text_out(text)
            rlhooks.set_text_out(text, lambda t, TStar=0: (seen.append(t), write(t, TStar)))
            return text

    canvas = Watching(str(tmp_path / "x.pdf"))
    para = Paragraph("hello", ParagraphStyle("x", fontName="Helvetica"))
    para.wrap(200, 100)
    para.drawOn(canvas, 10, 10)
    assert [t.strip() for t in seen] == ["hello"]


def test_frame_cursor():
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, Spacer
    frame = Frame(0, 0, 200, 300, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    assert rlhooks.frame_cursor(frame) == 300
    frame.add(Spacer(10, 120), Canvas(io.BytesIO()))
    assert rlhooks.frame_cursor(frame) == 180


def test_keep_together_content():
    spacer = Spacer(1, 1)
    assert rlhooks.keep_together_content(KeepTogether([spacer])) == [spacer]


def test_set_rise_is_safe_as_the_first_operator(tmp_path):
    text = Canvas(str(tmp_path / "x.pdf")).beginText(0, 0)
    rlhooks.code(text).clear()
    text.setRise(2)  # ReportLab's own reads code[-1] of an empty list here
    assert any("Ts" in op for op in rlhooks.code(text))


def test_the_shaping_patch_is_installed():
    from reportlab.platypus import paragraph
    from handouts.layout import shaping
    assert paragraph.shapeFragWord is shaping._shape_word
    assert rlhooks.rl_shape_frag_word is not shaping._shape_word


def test_cjk_breaking_survives_an_inline_callback():
    style = ParagraphStyle("x", fontName="Helvetica", wordWrap="CJK")
    para = lines.CJKParagraph('ab<a name="x"/>cd', style)
    rlhooks.cjk_callbacks_breakable(para.frags)
    assert para.wrap(100, 100)[1] > 0


def test_draw_para_and_break_lines_cjk_are_the_methods_lines_overrides():
    assert lines.BidiParagraph.drawPara is not Paragraph.drawPara
    assert lines.CJKParagraph.breakLinesCJK is not Paragraph.breakLinesCJK
    assert callable(Paragraph.drawPara) and callable(Paragraph.breakLinesCJK)


LONG_URL = ("https://www.example-trust.nhs.uk/patient-information/cardiology/blood-pressure/"
            "home-monitoring?format=large&amp;lang=en-GB")


def _line_texts(para) -> list[str]:
    if para.blPara.kind == 1:
        return ["".join(getattr(f, "text", "") or "" for f in line.words)
                for line in para.blPara.lines]
    return [" ".join(words) for _, words in para.blPara.lines]


def _cb(*_args):  # an onDraw callback, as our tag switches are
    pass


@pytest.mark.parametrize("markup", [
    LONG_URL,  # one run of text: _splitWord
    f'Read <a href="{LONG_URL}">{LONG_URL}</a> today',  # frag words: _splitFragWord
    f'<onDraw name="_cb" label="x"/><a href="{LONG_URL}">{LONG_URL}</a>'
    '<onDraw name="_cb" label="end:x"/>',  # a callback starting the word: _getFragWords
], ids=["one-run", "link", "callback-first"])
def test_a_long_url_is_cut_only_at_its_break_points(markup):
    """The URL splitter hooks: every line inside the URL ends at one of its break
    points, and every line fits (ReportLab alone cut 'cardiolog/y', or ran off)."""
    style = ParagraphStyle("x", fontName="Helvetica", fontSize=12, leading=15,
                           uriWasteReduce=0.3)
    url = LONG_URL.replace("&amp;", "&")
    points = set(lines.url_break_points(url))
    for width in (90, 140, 200, 260):
        para = lines.LinearParagraph(markup, style)
        para.wrap(width, 1000)
        texts = [t.strip() for t in _line_texts(para)]
        joined = "".join(texts)
        start = joined.find(url)
        assert start >= 0, texts
        ends, at = [], 0
        for text in texts:
            at += len(text)
            if start < at < start + len(url):
                ends.append(at - start)
        assert ends and set(ends) <= points, (width, texts)
        extra = [line[0] if isinstance(line, tuple) else line.extraSpace
                 for line in para.blPara.lines]
        assert min(extra) > -1, (width, texts)  # no line runs past the edge


def test_a_url_never_breaks_inside_or_just_after_its_scheme():
    url = "https://a-b.example.org/x-y?z=1&w=2"
    points = lines.url_break_points(url)
    assert all(at > len("https://") for at in points)
    assert [url[at - 1] for at in points if url[at] != "-"] == [".", ".", "/", "?", "=", "&", "="]
    assert all(url[at] == "-" for at in points if url[at - 1] not in "/.?&=")


def test_a_word_too_long_for_any_line_is_hyphenated_and_others_are_not():
    style = ParagraphStyle("x", fontName="Helvetica", fontSize=12, leading=15)
    para = lines.LinearParagraph("Take hydroxychloroquinesulfatemethylprednisol daily "
                                 "with information", style)
    para.hyphenation = "en_GB"
    para.wrap(110, 1000)
    texts = [t.strip() for t in _line_texts(para)]
    assert any(t.endswith("-") for t in texts), texts
    assert "".join(t[:-1] if t.endswith("-") else t + " " for t in texts).split() == \
        "Take hydroxychloroquinesulfatemethylprednisol daily with information".split()
    assert "information" in texts[-1].split()  # fits a line: never hyphenated


# ---- Chinese and Japanese lines (10.8) ---------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    catalogue = Catalogue(tmp_path_factory.mktemp("cjk"))
    for tag, (title, paragraph) in PARAGRAPHS.items():
        catalogue.leaflet(
            MINIMAL.replace("id: sample", f"id: cjk-{tag.lower()}")
            .replace("title: Having a sample test", f"title: {title}")
            .replace("summary:", f"language: {tag}\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].",
                     json.dumps(paragraph, ensure_ascii=False)), f"cjk-{tag}")
    assert catalogue.build("--variant", "standard", "--variant", "booklet") == 0
    return catalogue.out


def glyphs(path):
    """(character, left, right, page width) of every visible glyph."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for page in pdf:
            width = page.get_size()[0]
            text = page.get_textpage()
            for i in range(text.count_chars()):
                code = raw.FPDFText_GetUnicode(text.raw, i)
                left, _, right, _ = text.get_charbox(i)
                if code > 0x20 and right > left:
                    yield chr(code), left, right, width
    finally:
        pdf.close()


def column_right(left: float, width: float, booklet: bool) -> float:
    """The right edge of the text column the glyph at `left` is in (a booklet sheet holds
    two A5 pages side by side)."""
    if not booklet:
        return width - MARGIN
    half = width / 2
    return (half if left < half else width) - MARGIN


@pytest.mark.parametrize("variant", ["", ".booklet"])
@pytest.mark.parametrize("tag", list(PARAGRAPHS))
def test_no_glyph_runs_past_the_column(built, tag, variant):
    path = next(built.rglob(f"cjk-{tag.lower()}*{variant}.pdf"))
    past = [f"{ch!r} ends at {right:.1f}, column at {column_right(left, w, bool(variant)):.1f}"
            for ch, left, right, w in glyphs(path)
            if right > column_right(left, w, bool(variant)) + TOLERANCE]
    assert not past, past[:5]


@pytest.mark.parametrize("tag", list(PARAGRAPHS))
def test_no_line_starts_with_a_full_stop_or_splits_a_date(built, tag):
    path = next(built.rglob(f"cjk-{tag.lower()}*.pdf"))
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    rows = [row.strip() for row in text.splitlines() if row.strip()]
    assert not [row for row in rows if row[0] in "。，、）"]
    body = "".join(rows)
    assert body.count("2026年11月24日") >= PARAGRAPHS[tag][1].count("2026年11月24日")
    for before, after in zip(rows, rows[1:]):
        assert not (before[-1] in "0123456789年月" and after[0] in "0123456789年月日"), \
            (before[-8:], after[:8])


def stroked_text_tops(path) -> list[float]:
    """The top of each text object on page 1 drawn filled and stroked (render mode 2)."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        return [obj.get_bounds()[3] for obj in page.get_objects()
                if obj.type == raw.FPDF_PAGEOBJ_TEXT and
                raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_FILL_STROKE]
    finally:
        pdf.close()


@pytest.mark.parametrize("tag", list(PARAGRAPHS))
def test_cjk_headings_are_drawn_heavier(built, tag):
    """The fonts here have no bold face for Han or kana, so headings are synthetic bold:
    the title is stroked as well as filled; the body paragraph is not."""
    path = next(built.rglob(f"cjk-{tag.lower()}.pdf"))
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        height = pdf[0].get_size()[1]
    finally:
        pdf.close()
    tops = stroked_text_tops(path)
    assert tops and max(tops) > height * 0.75  # the title, near the top of page 1
    assert len(tops) < 10  # headings only, not every line of the body


def test_korean_headings_are_drawn_heavier(tmp_path):
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(MINIMAL.replace("title: Having a sample test", "title: 혈액 검사")
                      .replace("summary:", "language: ko\nsummary:"))
    assert catalogue.build() == 0
    path = next(catalogue.out.rglob("sample*.pdf"))
    with pikepdf.open(path) as pdf:  # fonts-nanum installs a real bold: no synthetic one
        fonts = {str(f.BaseFont).split("+")[-1] for f in pdf.pages[0].Resources.Font.values()}
    assert "NanumGothicBold" in fonts and not stroked_text_tops(path)


def test_latin_headings_keep_their_bold_face(tmp_path):
    catalogue = Catalogue(tmp_path)
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    assert not stroked_text_tops(next(catalogue.out.rglob("sample*.pdf")))


def test_a_short_latin_word_in_a_cjk_line_stays_whole():
    """'图像引导放射治疗（IGRT）' broke as 'IGR' / 'T' in the booklet's title."""
    font = _register(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
    style = ParagraphStyle("x", fontName=font, fontSize=10, leading=12, wordWrap="CJK")
    para = lines.CJKParagraph("检查" * 3 + "（IGRT）" + "检查" * 8, style)
    para.wrap(pdfmetrics.stringWidth("检查" * 3 + "（IGRT", font, 10) + 0.5, 1000)
    texts = ["".join(str(w.text) for w in line.words) if hasattr(line, "words") else line[1][0]
             for line in para.blPara.lines]
    assert len(texts) > 1 and any("IGRT" in text for text in texts), texts


def test_our_chinese_labels_and_an_opening_bracket_stay_with_what_follows():
    """The details printed '下次审' / '阅: 2029年', a reference '(访' / '问日期 2026年'. At
    every width no line ends inside a label of ours, nor with an opening parenthesis, and
    the lines still hold every character."""
    font = _register(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
    style = ParagraphStyle("x", fontName=font, fontSize=12, leading=16, wordWrap="CJK")
    text = ("发布日期: 2026年2月2日 · 上次审阅: 2026年2月2日 · 下次审阅: 2029年2月2日。"
            "参见 https://www.radiologyinfo.org/en/info/igrt (访问日期 2026年1月12日)。")
    labels = ("上次审阅", "下次审阅", "访问日期")
    for width in range(90, 400, 3):
        para = lines.CJKParagraph(text, style)
        para.wrap(width, 2000)
        texts = _line_texts(para)
        assert "".join(texts).replace(" ", "") == text.replace(" ", ""), width
        for before, after in zip(texts, texts[1:]):
            assert not before.rstrip().endswith("("), (width, texts)
            for label in labels:
                assert not any(before.endswith(label[:k]) and after.startswith(label[k:])
                               for k in range(1, len(label))), (width, before, after)


def test_latin_words_in_a_cjk_paragraph_keep_their_spaces():
    """Seen in igrt.zh-Hans large print: 'Collegeof Radiographers', 'Engin / eeringin
    Medicine'. ReportLab drops the space it breaks at, and moving a word down to keep it
    whole ran it into the next one. At every width the lines hold the text's words."""
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("x", fontName="STSong-Light", fontSize=18, leading=24,
                           wordWrap="CJK")
    text = ("3. The Royal College of Radiologists, Society and College of Radiographers, "
            "Institute of Physics and Engineering in Medicine.")
    for width in range(150, 420, 7):
        para = lines.CJKParagraph(text, style)
        para.wrap(width, 2000)
        assert " ".join(_line_texts(para)).split() == text.split(), width


def test_only_a_word_wider_than_its_line_is_ever_hyphenated():
    """rlhooks.hyphenate_only_long_words: ReportLab's pair finder gives no split for a
    word that fits a whole line, even with compounds breakable (embeddedHyphenation);
    a wider one is split, its head fitting what is left of the line."""
    from reportlab.platypus import paragraph as rl_paragraph

    from handouts.rlhooks import HYPHENATE_ON_NEXT_LINE
    font, size = "Helvetica", 12
    word = "image-guided"
    width = pdfmetrics.stringWidth(word, font, size)
    every = lambda s: [(s[:i], s[i:]) for i in range(2, len(s) - 1)]  # noqa: E731
    fits = rl_paragraph._hyGenPair(every, word, width, width + 30, width + 1, font, size,
                                   0, HYPHENATE_ON_NEXT_LINE, 5)
    assert fits is None
    wider = rl_paragraph._hyGenPair(every, word, width, width, width - 1, font, size,
                                    0, HYPHENATE_ON_NEXT_LINE, 5)
    assert wider is not None and word.startswith(wider[4].rstrip("-"))
