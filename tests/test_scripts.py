"""Every script a leaflet can be written in builds, with every glyph, and reads back.

Issue 11.1-11.3: Russian and Korean could not build at all (U+202F in Babel's Russian
dates, no Hangul font), Persian tagged `prs` ran left to right, and the script of a
language came from a hand-made list. One catalogue holds a small leaflet per language,
built once; each is read back by poppler (pdftotext) and by pdfium, NFC-normalised, and
must give at least 99% of the words of its title and paragraph.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2
import pytest

from conftest import MINIMAL, Catalogue, made_once
from handouts.languages import language_problem, script_code
from handouts.scripts import table


# tag -> (title, paragraph). ru, ko, ja, zh-Hant, fa, ar and the Latin ones but ro, tr and so
# are the HHS Section 1557 taglines
# (public domain, ../shared/realtexts/, phone number left out); the rest are our own words.
TEXTS = {
    "ru": ("Анализ крови", "ВНИМАНИЕ: Если вы говорите на русском языке, то вам доступны "
           "бесплатные услуги перевода."),
    "uk": ("Аналіз крові", "Цей аналіз допомагає лікарю перевірити ваше самопочуття."),
    "el": ("Εξέταση αίματος", "Η εξέταση βοηθά τον γιατρό σας να ελέγξει την υγεία σας."),
    "ko": ("혈액 검사", "주의: 한국어를 사용하시는 경우, 언어 지원 서비스를 무료로 이용하실 수 "
           "있습니다."),
    "ja": ("血液検査", "注意事項：日本語を話される場合、無料の言語支援をご利用いただけます。"),
    "zh-Hant": ("血液檢查", "注意：如果您使用繁體中文，您可以免費獲得語言援助服務。"),
    "bn": ("রক্ত পরীক্ষা", "এই পরীক্ষা আপনার ডাক্তারকে আপনার স্বাস্থ্য বুঝতে সাহায্য করে।"),
    "pa": ("ਖੂਨ ਦੀ ਜਾਂਚ", "ਇਹ ਜਾਂਚ ਤੁਹਾਡੇ ਡਾਕਟਰ ਨੂੰ ਤੁਹਾਡੀ ਸਿਹਤ ਬਾਰੇ ਜਾਣਨ ਵਿੱਚ ਮਦਦ ਕਰਦੀ ਹੈ।"),
    "gu": ("લોહીની તપાસ", "આ તપાસ તમારા ડૉક્ટરને તમારા સ્વાસ્થ્ય વિશે જાણવામાં મદદ કરે છે."),
    "ta": ("இரத்தப் பரிசோதனை", "இந்தப் பரிசோதனை உங்கள் உடல்நலத்தைப் புரிந்துகொள்ள "
           "மருத்துவருக்கு உதவுகிறது."),
    "am": ("የደም ምርመራ", "ይህ ምርመራ ሐኪምዎ ጤናዎን እንዲያውቅ ይረዳል።"),
    "ti": ("ናይ ደም መርመራ", "እዚ መርመራ ሓኪምኩም ጥዕናኹም ንምፍላጥ ይሕግዝ።"),
    "he": ("בדיקת דם", "הבדיקה עוזרת לרופא שלך לבדוק את בריאותך."),
    "fa": ("آزمایش خون", "توجه: اگر به زبان فارسی گفتگو می کنید، تسهیلات زبانی بصورت رایگان "
           "برای شما فراهم می باشد."),
    "prs": ("معاینه خون", "این معاینه به داکتر شما کمک می‌کند تا صحت شما را بداند."),
    "ps": ("د وینې ازموینه", "دا ازموینه ستاسو ډاکټر سره مرسته کوي چې ستاسو روغتیا وپېژني."),
    # the other languages of issue 11, whose scripts built before
    "ar": ("فحص الدم", "ملحوظة: إذا كنت تتحدث اللغة العربية، فإن خدمات المساعدة اللغوية "
           "تتوافر لك بالمجان."),
    "ur": ("خون کا ٹیسٹ", "یہ ٹیسٹ آپ کے ڈاکٹر کو آپ کی صحت جاننے میں مدد دیتا ہے۔"),
    "ckb": ("پشکنینی خوێن", "ئەم پشکنینە یارمەتی پزیشکەکەت دەدات."),
    "hi": ("रक्त जाँच", "यह जाँच आपके डॉक्टर को आपकी सेहत समझने में मदद करती है।"),
    "ne": ("रगत जाँच", "यो जाँचले तपाईंको डाक्टरलाई तपाईंको स्वास्थ्य बुझ्न मद्दत गर्छ।"),
    "zh-Hans": ("血液检查", "这项检查帮助医生了解您的健康。"),
    "es": ("Análisis de sangre", "ATENCIÓN: si habla español, tiene a su disposición servicios "
           "gratuitos de asistencia lingüística."),
    "vi": ("Xét nghiệm máu", "CHÚ Ý: Nếu bạn nói Tiếng Việt, có các dịch vụ hỗ trợ ngôn ngữ "
           "miễn phí dành cho bạn."),
    "tl": ("Pagsusuri ng dugo", "PAUNAWA: Kung nagsasalita ka ng Tagalog, maaari kang gumamit "
           "ng mga serbisyo ng tulong sa wika nang walang bayad."),
    "ht": ("Tès san", "ATANSYON: Si w pale Kreyòl Ayisyen, gen sèvis èd pou lang ki disponib "
           "gratis pou ou."),
    "fr": ("Analyse de sang", "ATTENTION : Si vous parlez français, des services d'aide "
           "linguistique vous sont proposés gratuitement."),
    "pl": ("Badanie krwi", "UWAGA: Jeżeli mówisz po polsku, możesz skorzystać z bezpłatnej "
           "pomocy językowej."),
    "pt": ("Análise ao sangue", "ATENÇÃO: Se fala português, encontram-se disponíveis serviços "
           "linguísticos, grátis."),
    "it": ("Esame del sangue", "ATTENZIONE: In caso la lingua parlata sia l'italiano, sono "
           "disponibili servizi di assistenza linguistica gratuiti."),
    "de": ("Bluttest", "ACHTUNG: Wenn Sie Deutsch sprechen, stehen Ihnen kostenlos sprachliche "
           "Hilfsdienstleistungen zur Verfügung."),
    "ro": ("Analize de sânge", "Această analiză îl ajută pe medic să vă înțeleagă starea de "
           "sănătate."),
    "tr": ("Kan testi", "Bu test, doktorunuzun sağlığınızı anlamasına yardımcı olur."),
    "so": ("Baaritaanka dhiigga", "Baaritaankani wuxuu dhakhtarkaaga ka caawiyaa inuu fahmo "
           "caafimaadkaaga."),
}
# tag -> (script in scripts.yaml, right to left)
SCRIPTS = {
    "ru": ("Cyrillic", False), "uk": ("Cyrillic", False), "el": ("Greek", False),
    "ko": ("Hangul", False), "ja": ("Japanese", False), "zh-Hant": ("Han", False),
    "zh-TW": ("Han", False), "zh": ("Han", False), "bn": ("Bengali", False),
    "pa": ("Gurmukhi", False), "gu": ("Gujarati", False), "ta": ("Tamil", False),
    "am": ("Ethiopic", False), "ti": ("Ethiopic", False), "he": ("Hebrew", True),
    "yi": ("Hebrew", True), "fa": ("Arabic", True), "fa-AF": ("Arabic", True),
    "prs": ("Arabic", True), "ps": ("Arabic", True), "ckb": ("Arabic", True),
    "ur": ("Arabic", True), "sd": ("Arabic", True), "ug": ("Arabic", True),
    "ar": ("Arabic", True), "hi": ("Devanagari", False), "ne": ("Devanagari", False),
    "en-GB": ("Latin", False), "ku": ("Latin", False), "sr-Latn": ("Latin", False),
    "sr": ("Cyrillic", False), "pa-Arab": ("Arabic", True),
}
# (tag, reader) -> why a reader finds fewer than 99% of the words (measured, in the reason).
# Indic vowel signs, reph and conjuncts and Arabic-script ligatures read back as typed since
# issue 11.4: ActualText spans and the ToUnicode of ligatures (tests/test_actualtext.py).
# poppler reads "می‌کند" with its ZWNJ (drawn in order since shaping.py keeps the joiner);
# pdfium leaves the zero-wide joiner out and reads "میکند", with or without an ActualText
# span around it (tried both orders of its text).
SHORT: dict[tuple[str, str], str] = {}  # (language, reader): why it reads back short
NO_SPACES = ("ja", "zh-Hant", "zh-Hans")  # each Han or kana character counts as a word


def leaflet_id(tag: str) -> str:
    return "sample-" + tag.lower()


def leaflet(tag: str) -> str:
    title, paragraph = TEXTS[tag]
    return (MINIMAL.replace("id: sample", f"id: {leaflet_id(tag)}")
            .replace("title: Having a sample test", f"title: {json.dumps(title, ensure_ascii=False)}")
            .replace("summary:", f"language: {tag}\nsummary:")
            .replace("A sample helps us check your health [@nhs-sample].",
                     json.dumps(f"{paragraph} [@nhs-sample]", ensure_ascii=False)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every language's leaflet built in one catalogue, once: (exit code, out folder)."""
    code, root = made_once(tmp_path_factory, "scripts", lambda root: every_language(root).build())
    return code, root / "out"


def every_language(root: Path) -> Catalogue:
    """A catalogue in `root` of a leaflet in each language of TEXTS."""
    catalogue = Catalogue(root)
    for tag in TEXTS:
        catalogue.leaflet(leaflet(tag), leaflet_id(tag))
    return catalogue


def words(tag: str, text: str) -> list[str]:
    """The words of `text`: runs between spaces without the punctuation at their ends;
    for Chinese and Japanese, which have no spaces, each letter."""
    text = unicodedata.normalize("NFC", text)
    if tag in NO_SPACES:
        return [ch for ch in text if unicodedata.category(ch).startswith("L")]
    found = []
    for word in text.split():
        word = word.strip("".join(ch for ch in set(word) if unicodedata.category(ch)[0] in "PS"))
        if word:
            found.append(word)
    return found


def missing_words(tag: str, extracted: str, source: str) -> list[str]:
    """The words of `source` (NFC) that the extracted text does not hold as written."""
    text = unicodedata.normalize("NFC", extracted)
    text = re.sub(r"\s+", "" if tag in NO_SPACES else " ", text)
    return [word for word in words(tag, source) if word not in text]


def share_found(tag: str, extracted: str, source: str | None = None) -> float:
    """The share of the words of `source` (by default the tag's sample text) found."""
    source = " ".join(TEXTS[tag]) if source is None else source
    return 1 - len(missing_words(tag, extracted, source)) / len(words(tag, source))


def poppler(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdfium(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


READERS = {"poppler": poppler, "pdfium": pdfium}


def test_every_language_builds(built):
    code, out = built
    assert code == 0
    for tag in TEXTS:
        assert (out / f"{leaflet_id(tag)}.pdf").is_file(), tag


def read_cases():
    for tag in TEXTS:
        for reader in READERS:
            reason = SHORT.get((tag, reader))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(tag, reader, id=f"{tag}-{reader}", marks=marks)


@pytest.mark.parametrize("tag, reader", list(read_cases()))
def test_reads_back_as_written(built, tag, reader):
    code, out = built
    text = READERS[reader](out / f"{leaflet_id(tag)}.pdf")
    assert "\ufffd" not in text, "a glyph with no character behind it"
    share = share_found(tag, text)
    assert share >= 0.99, f"{reader} found {share:.1%} of the {tag} words in {text!r}"


@pytest.mark.parametrize("tag", sorted(SCRIPTS))
def test_script_and_direction_come_from_cldr(tag):
    name, rtl = SCRIPTS[tag]
    script = table().for_language(tag)
    assert (script.name, script.rtl) == (name, rtl)
    assert language_problem(tag) is None


def test_no_hand_made_language_list():
    """The script of a language is CLDR's, not a list in scripts.yaml."""
    text = (table.__module__ and __import__("handouts.scripts").scripts.DATA).read_text()
    assert "\nlanguages:" not in text
    assert script_code("prs") == "Arab" and script_code("zh-TW") == "Hant"


@pytest.mark.parametrize("tag, wanted", [
    ("tlh", "no language whose script is known"),  # registered, but CLDR has no script
    ("xx", "not a registered language tag"),
    ("th", "Thai script, which no font here sets"),
])
def test_a_tag_with_no_known_script_is_an_error(catalogue, capsys, tag, wanted):
    catalogue.leaflet(MINIMAL.replace("summary:", f"language: {tag}\nsummary:"))
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    assert wanted in err and "sample.yaml:" in err


def test_narrow_no_break_space_is_drawn_as_a_no_break_space(built):
    """Babel's Russian date is '10 января 2026\u202fг.'; Fira Sans has no U+202F, so the
    footer draws it (and readers read it) as U+00A0, which NFKC makes the same space.
    Body text keeps U+202F, from the first fallback font that has it."""
    _, out = built
    footer = [line for line in pdfium(out / f"{leaflet_id('ru')}.pdf").splitlines()
              if line.startswith("PIL-9001 v2")]
    assert footer and all(re.search("января 2026[\u00a0 ]г\\.", line) for line in footer)


def test_a_character_without_an_equivalent_is_still_missing():
    from handouts.brand import Brands
    from handouts.layout.typeset import Typeset
    from conftest import REPO
    brand = Brands(REPO / "templates").get("riverside-trust")
    typeset = Typeset("ru", brand, ["Анализ"])
    assert typeset.drawable("2026\u202fг.", own_font_only=True) == "2026\u00a0г."
    missing = typeset.missing("2026\u202fг. \U0001F9EA", own_font_only=True)
    assert [ch for ch, _ in missing] == ["\U0001F9EA"]


def test_a_missing_debian_font_names_its_package(catalogue, capsys, monkeypatch, tmp_path):
    """A Korean leaflet on a machine without fonts-nanum: the error says what to install."""
    from handouts import scripts
    data = tmp_path / "scripts.yaml"
    data.write_text(scripts.DATA.read_text(encoding="utf-8").replace(
        "/usr/share/fonts/truetype/nanum/", "/nonexistent/"), encoding="utf-8")
    monkeypatch.setattr(scripts, "DATA", data)
    scripts.table.cache_clear()
    try:
        catalogue.leaflet(leaflet("ko"))
        assert catalogue.build() == 1
        err = capsys.readouterr().err
        assert "script Hangul: font file /nonexistent/NanumGothic.ttf is not installed" in err
        assert "apt-get install fonts-nanum" in err
    finally:
        scripts.table.cache_clear()


@pytest.fixture(scope="module")
def built_small(tmp_path_factory):
    """The same catalogue in large print on A5, the narrowest column: the brand's long
    URLs are cut across lines there (a Punjabi leaflet stopped with an internal error:
    the URL's cut pieces, shaped already, were shaped again on the next page)."""
    code, root = made_once(tmp_path_factory, "scripts-a5", lambda root: every_language(
        root).build("--variant", "large-print", "--page-size", "A5"))
    return code, root / "out"


def test_every_language_builds_in_the_narrowest_column(built_small):
    code, out = built_small
    assert code == 0
    for tag in TEXTS:
        path = out / f"{leaflet_id(tag)}.large-print.pdf"
        assert path.is_file(), tag
        for reader in READERS:
            if (tag, reader) not in SHORT:
                assert share_found(tag, READERS[reader](path)) >= 0.99, (tag, reader)


def test_the_qr_code_never_ends_a_leaflet_alone(built_small):
    """The end matter's last page holds more than the QR code block: taller than an A5
    large-print page, the Japanese details went on whole, flowed over it, and left the QR
    code and its caption alone on a sixth page (flowables.KeepUnlessGap)."""
    import pypdfium2.raw as raw
    _, out = built_small
    for tag in TEXTS:
        pdf = pypdfium2.PdfDocument(str(out / f"{leaflet_id(tag)}.large-print.pdf"))
        try:
            page = pdf[len(pdf) - 1]
            # the QR code is drawn as a path: the one square, not a rule or an underline
            squares = [obj.get_bounds() for obj in page.get_objects(max_depth=3)
                       if obj.type == raw.FPDF_PAGEOBJ_PATH]
            squares = [(l, b, r, t) for l, b, r, t in squares if r - l > 20 and t - b > 20]
            text = page.get_textpage()
            tops = [text.get_charbox(i)[3] for i in range(text.count_chars())
                    if not text.get_text_range(i, 1).isspace()]
        finally:
            pdf.close()
        assert len(squares) == 1, (tag, squares)  # the QR code is on the last page
        qr_top = squares[0][3]
        assert any(top > qr_top + 5 for top in tops), f"{tag}: the QR code alone"


def test_every_languages_bullets_are_drawn_big_enough_to_see(built):
    """Each list bullet's glyph is at least LEAST_BULLET of its size wide. Seen: Gujarati's
    bullets, in Rasa (0.18 em), looked like full stops; they are now set in the brand's
    face."""
    from handouts.layout.typeset import BULLET, LEAST_BULLET
    _, out = built
    small = {}
    for tag in TEXTS:
        pdf = pypdfium2.PdfDocument(str(out / f"{leaflet_id(tag)}.pdf"))
        try:
            text = pdf[0].get_textpage()
            whole = text.get_text_range()
            widths = [(box[2] - box[0]) / pypdfium2.raw.FPDFText_GetFontSize(text.raw, i)
                      for i, ch in enumerate(whole) if ch == BULLET
                      for box in [text.get_charbox(i)]]
        finally:
            pdf.close()
        assert len(widths) == 2, (tag, widths)  # the sample's two bullets
        if min(widths) < LEAST_BULLET:
            small[tag] = round(min(widths), 2)
    assert not small, small


# A word wider than any line, in scripts whose vowel signs and viramas are marks: it
# is cut only between letters, never between a consonant and its vowel sign (Gurmukhi
# 'ਸਿ' is drawn sign first: cut between its glyphs, the sign ended one line and the
# consonant began the next), and both readers read it back whole.
LONG_WORDS = {"pa": "ਸਿਹਤ" * 14, "hi": "स्वास्थ्य" * 10, "bn": "স্বাস্থ্য" * 10,
              "ta": "சிகிச்சை" * 10}


@pytest.fixture(scope="module")
def long_words(tmp_path_factory):
    catalogue = Catalogue(tmp_path_factory.mktemp("long-words"))
    for tag, word in LONG_WORDS.items():
        # the first paragraph: the word's lines stay on the first page
        text = leaflet(tag).replace(TEXTS[tag][1], f"{TEXTS[tag][0]} {word} {TEXTS[tag][1]}")
        catalogue.leaflet(text, leaflet_id(tag))
    assert catalogue.build("--variant", "large-print", "--page-size", "A5") == 0
    return catalogue.out


@pytest.mark.parametrize("tag", sorted(LONG_WORDS))
def test_a_word_too_long_for_any_line_is_cut_between_letters(long_words, tag):
    path = long_words / f"{leaflet_id(tag)}.large-print.pdf"
    for reader in READERS:
        text = unicodedata.normalize("NFC", READERS[reader](path))
        assert LONG_WORDS[tag] in re.sub(r"\s+", "", text), reader
    lines = [line.split() for line in pdfium(path).splitlines() if line.strip()]
    parts = [word for line in lines for word in line if len(word) > 3 and word in LONG_WORDS[tag]]
    assert len(parts) > 1, "not cut at all"
    starts = [line[0] for line in lines if line[0] in parts and (
              unicodedata.category(line[0][0]).startswith("M")
              or unicodedata.combining(line[0][0]) == 9)]
    assert not starts, f"lines start with a vowel sign or virama: {starts}"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_latin_ligatures_read_as_their_letters(built_small, reader):
    """FreeSans and FreeSerif (Gurmukhi, Tamil) and DejaVu (Hebrew) draw the
    'fl' of the brand's 'leaflets' URL as one glyph, coded U+FB02: poppler read 'leaﬂets',
    which search and screen readers do not match with 'leaflets'."""
    _, out = built_small
    for path in sorted(out.glob("*.pdf")):
        text = READERS[reader](path)
        assert not re.search("[\ufb00-\ufb06]", text), path.name
        # Rasa (Gujarati) draws 'f' before 'l' as a glyph with a private-use code: once
        # cut across lines and shaped again as text, it printed a missing-glyph box
        assert not re.search("[\ufffd\uffff]", text), path.name
        assert "riverside.example.nhs.uk/leaflets" in re.sub(r"\s+", "", text), path.name


def test_a_vowel_sign_moved_under_its_letter_reads_in_its_word(catalogue):
    """Hind Siliguri draws Bengali 'ু' under 'ক' 218 units back, and under 'ড়' lowered
    too: pdfium read 'কুকুর' as 'কু কু র' and put 'পড়ুন' on three lines ('পড়' / 'ু' /
    'ন'). The letter's code now reads as letter and sign, and the sign as no text."""
    sentence = "অনলাইনে পড়ুন এবং কুকুর বড়ু আছে"
    catalogue.leaflet(leaflet("bn").replace(TEXTS["bn"][1], sentence))
    assert catalogue.build() == 0
    path = catalogue.out / f"{leaflet_id('bn')}.pdf"
    for reader in READERS:
        lines = [" ".join(line.split()) for line in READERS[reader](path).splitlines()]
        assert any(sentence in line for line in lines), (reader, [l for l in lines if "অন" in l])


RTL_FOOTERS = ("ar", "fa", "prs", "ps", "ur", "ckb", "he")


@pytest.mark.parametrize("tag", RTL_FOOTERS)
def test_pdfium_reads_a_right_to_left_footer_as_written(built, tag):
    """Every Arabic-script footer's 'PIL-9001 v2' was read '2v -9001PIL' in pdfium
    (Chrome), and a line with as many Latin words as Arabic ones ('المراجعة القادمة 10
    يناير 2029 | Riverside University Hospitals') in drawing order, its Arabic words
    last first (pdfiumorder.in_reading_order)."""
    import datetime as dt

    from handouts.labels import Labels
    labels = Labels(tag)
    parts = ["PIL-9001 v2", f"{labels['last_reviewed']} {labels.date(dt.date(2026, 1, 10))}",
             f"{labels['next_review']} {labels.date(dt.date(2029, 1, 10))}",
             "Riverside University Hospitals"]
    _, out = built
    pdf = pypdfium2.PdfDocument(str(out / f"{leaflet_id(tag)}.pdf"))
    try:
        lines = [" ".join(line.split()) for line in pdf[0].get_textpage().get_text_range().splitlines()]
    finally:
        pdf.close()
    footer = [line for line in lines if "PIL-9001" in line or "2029" in line
              or line == parts[-1]]
    assert " | ".join(footer) == " | ".join(" ".join(part.split()) for part in parts)


# the scripts read by both readers word for word, as the tests below ask: not yet the
# right-to-left ones (their wrapped addresses, docs/languages.md) nor Chinese and
# Japanese (no spaces between words)
WORD_FOR_WORD = sorted(set(TEXTS) - set(RTL_FOOTERS) - set(NO_SPACES))


@pytest.mark.parametrize("small", [False, True], ids=["standard", "a5-large-print"])
@pytest.mark.parametrize("tag", WORD_FOR_WORD)
def test_every_printed_word_reads_back_whole(built, built_small, tag, small):
    """Every word the leaflet prints (its text companion: labels, brand texts, the
    governance lines) is a word of each reader's text: not glued to the next (pdfium read
    Gujarati 'તમારો પ્રતિભાવ' as one word: the space between two ActualText spans was a
    text operator of its own, which pdfium drops), nor cut in two (a wrapped email
    address in a Gujarati card: the line break was not found in shaped lines). The
    companion writes the online address with its scheme, which the page leaves out."""
    _, out = built_small if small else built
    stem = leaflet_id(tag) + (".large-print" if small else "")
    printed = [word for word in words(tag, (out / f"{stem}.txt").read_text(encoding="utf-8"))
               if "://" not in word]
    for reader in READERS:
        read = set(words(tag, READERS[reader](out / f"{stem}.pdf")))
        assert [word for word in printed if word not in read] == [], reader


def test_a_glyph_moved_within_its_advance_leaves_no_gap(built):
    """IBM Plex Sans Arabic draws the 'یر' of Dari 'بگیرید' ('contact us') 90 units to
    the right within its own advance: both readers took the gap before it for a space
    ('بگیر ید'). The gap is now the width of the letter before it (shaping)."""
    _, out = built
    for reader in READERS:
        text = "".join(" " if unicodedata.category(ch) == "Cf" else ch
                       for ch in READERS[reader](out / f"{leaflet_id('prs')}.pdf"))
        assert "با ما تماس بگیرید" in " ".join(text.split()), reader
