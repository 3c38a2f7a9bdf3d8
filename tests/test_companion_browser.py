"""The HTML companions in a real browser (issue 14.1): Debian's chromium, headless, through
Selenium, with the driver, skip rules and axe-core (npm, tests/browser/) of the catalogue
page's browser tests. Each page opens from file://, as a patient's saved copy would.

axe-core runs at a phone's width (375 px) and a desktop's (1280 px) over every example
companion (English, Spanish, Arabic right to left, Chinese, the US Letter brand) and a
large-print one, with no violation allowed; the page must not scroll sideways down to 320 px, its body text is
16 px or more, and it loads nothing but itself.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from test_catalogue_browser import (axe_source, axe_violations, browser,  # noqa: F401
                                    viewport)

from handouts.brand import Brands, contrast_ratio
from handouts.companion import companion_files
from handouts.content import load_catalogue

REPO = Path(__file__).resolve().parent.parent
PHONE, DESKTOP, NARROWEST = (375, 812), (1280, 900), (320, 640)
BUILT = ("igrt.html", "igrt.es.html", "igrt.ar.html", "igrt.zh-Hans.html", "colonoscopy.html",
         "high-blood-pressure.html", "wound-care.html")  # every page the example build makes
PAGES = (*BUILT, "igrt.large-print.html")


@pytest.fixture(scope="module")
def pages(example_out, tmp_path_factory) -> Path:
    """The example build's companions, and igrt's large-print companion made beside them
    (the example catalogue asks for no large print, so it is made here, without its PDF)."""
    folder = tmp_path_factory.mktemp("companions")
    assert sorted(p.name for p in example_out.glob("*.html") if p.name != "index.html") == \
        sorted(BUILT)
    for name in BUILT:
        (folder / name).write_bytes((example_out / name).read_bytes())
    catalogue = load_catalogue(REPO / "content.yaml")
    igrt = next(l for l in catalogue.leaflets if l.id == "igrt")
    brand = Brands(REPO / "templates").get(igrt.template)
    (folder / PAGES[-1]).write_bytes(companion_files(igrt, brand, "large-print", False)["html"])
    return folder


def load(driver, path: Path, size, mobile: bool) -> None:
    viewport(driver, size, mobile)
    driver.get(path.as_uri())
    driver.get_log("browser")
    driver.get_log("performance")
    driver.refresh()


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations_at_phone_and_desktop_widths(browser, pages, axe_source,
                                                             name):
    for size, mobile in ((PHONE, True), (DESKTOP, False)):
        load(browser, pages / name, size, mobile)
        assert axe_violations(browser, axe_source) == [], f"{name} at {size[0]} px"


def test_no_sideways_scrolling_from_320_px_and_body_text_of_16_px(browser, pages):
    """A table too wide for the screen (high blood pressure has four columns) scrolls in
    its own box, which can take the keyboard's focus; the page itself never scrolls."""
    for name in PAGES:
        load(browser, pages / name, NARROWEST, True)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= NARROWEST[0], f"{name} scrolls sideways at 320 px ({width} px)"
        sizes = browser.execute_script(
            "return Array.from(document.querySelectorAll('main p, main li, main td'))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize));")
        assert min(sizes) >= 16, name
        wide = browser.execute_script(
            "return Array.from(document.querySelectorAll('.table-wrap'))"
            ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.tabIndex)")
        assert all(index == 0 for index in wide)
        if name == "high-blood-pressure.html":
            assert wide, "the four-column table should scroll in its box at 320 px"
    load(browser, pages / PAGES[-1], NARROWEST, True)
    large = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= 24  # 18 pt, the brand's large print size


def rgb(value: str) -> str:
    red, green, blue = (int(v) for v in re.findall(r"\d+", value)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_text_colours_on_screen_reach_wcag_aa(browser, pages):
    """Every text element against the background it is drawn on, as the browser paints
    it (axe checks this too; here the ratio is worked out the brand's way)."""
    load(browser, pages / "igrt.html", DESKTOP, False)
    pairs = browser.execute_script("""
        function back(e) { while (e) { var c = getComputedStyle(e).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; e = e.parentElement; }
          return 'rgb(255, 255, 255)'; }
        return Array.from(document.querySelectorAll('h1,h2,h3,h4,p,li,th,td,a,figcaption,caption'))
          .map(e => [getComputedStyle(e).color, back(e), e.tagName]);""")
    low = [(tag, rgb(fg), rgb(bg)) for fg, bg, tag in pairs
           if contrast_ratio(rgb(fg), rgb(bg)) < 4.5]
    assert low == []


def test_loads_nothing_but_itself_and_runs_no_script(browser, pages):
    load(browser, pages / "igrt.ar.html", PHONE, True)
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.execute_script("return [document.documentElement.lang, document.dir]") \
        == ["ar", "rtl"]
    import json
    urls = [json.loads(e["message"])["message"]["params"]["request"]["url"]
            for e in browser.get_log("performance")
            if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert all(u.startswith(("file://", "data:")) for u in urls), urls
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_screenshots_at_phone_and_desktop_widths(browser, pages, tmp_path_factory):
    """For a person to look at: COMPANION_SHOTS=folder keeps them (docs/ holds a few)."""
    folder = Path(os.environ.get("COMPANION_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("igrt.html", "igrt.ar.html"):
        for label, size, mobile in (("phone", PHONE, True), ("desktop", DESKTOP, False)):
            load(browser, pages / name, size, mobile)
            stem = name.rsplit(".", 1)[0]
            assert browser.save_screenshot(str(folder / f"companion-{stem}-{label}.png"))
