"""The catalogue page in a real browser: Debian's chromium, headless, driven by Selenium
through /usr/bin/chromedriver, loading out/index.html from file:// as a nurse would.

Skipped only when chromium is missing on a developer's machine; with CI=true a missing
browser fails loudly. axe-core comes from npm (tests/browser/package.json, installed on
first use); nothing is downloaded while the page is open.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest

from conftest import MINIMAL, exclusive, page_as_built

from handouts.cli import main
from test_catalogue_page import TRANSLATED, example_copy

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER_DIR = Path(__file__).parent / "browser"
AXE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
TODAY = "2028-11-15"  # colonoscopy and high-blood-pressure overdue, igrt due soon
DESKTOP, PHONE = (1280, 900), (390, 844)
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


def missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run; .ci/run installs "
                    "chromium and chromium-driver)")
    pytest.skip(reason)


if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()) and not IN_CI:
    pytest.skip("chromium and chromium-driver are not installed "
                "(apt-get install chromium chromium-driver)", allow_module_level=True)

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    if IN_CI:
        raise
    pytest.skip("selenium is not installed (pip install -e '.[test]')", allow_module_level=True)

SPANISH = (MINIMAL.replace("id: sample", "id: radioterapia")
           .replace("title: Having a sample test", "title: 'Radioterapia: qué esperar'")
           .replace("summary: What happens when you give a sample.",
                    "summary: Qué es la radiación y cómo prepararse.\n"
                    "language: es\nspecialty: Oncology\nkeywords: [radiación, cáncer]"))
HOSTILE = (MINIMAL.replace("id: sample", "id: eye-drops")
           .replace("title: Having a sample test",
                    "title: 'Eye drops <script>window.pwned = true</script>'")
           .replace("summary: What happens", "specialty: Ophthalmology\nsummary: What happens"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example catalogue plus a Spanish leaflet and one with markup in its title, built
    with --allow-overdue, given translations and formats, then rebuilt without it: the
    overdue leaflets' old PDFs are still in out/ but must not be offered."""
    content = example_copy(tmp_path_factory.mktemp("catalogue-src"), TRANSLATED)
    (content.parent / "leaflets" / "radioterapia.yaml").write_text(SPANISH, encoding="utf-8")
    (content.parent / "leaflets" / "eye-drops.yaml").write_text(HOSTILE, encoding="utf-8")
    out = content.parent / "out"
    build = ["build", str(content), "--out", str(out), "--today", TODAY]
    assert main([*build, "--allow-overdue"]) == 0
    assert main([*build, "--only", "igrt", "--variant", "large-print"]) == 0
    assert main([*build, "--only", "wound-care", "--variant", "booklet"]) == 0
    assert main([*build, "--only", "wound-care"]) == 0
    return out


@pytest.fixture(scope="module")
def entries(site) -> dict:
    """What the page should show, from the same data the build used: id -> Entry."""
    return {e.id: e for e in page_as_built(site, dt.date.fromisoformat(TODAY)).entries}


def fold(text: str) -> str:
    """The page's own matching rule, for working out what a search should find."""
    plain = unicodedata.normalize("NFD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def titles(entries: dict, keep) -> list[str]:
    """Titles in page order (entries are sorted by title) of the entries kept."""
    return [e.title for e in entries.values() if keep(e)]


def of(found: list, entries: dict) -> str:
    return f"{len(found)} of {len(entries)} leaflets shown"


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        missing("chromium or chromium-driver is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="catalogue-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def viewport(driver, size, mobile=False) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile})


@pytest.fixture
def page(browser, site):
    """A fresh load of the page in the only window, at desktop size."""
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])
    viewport(browser, DESKTOP)
    browser.get((site / "index.html").as_uri())
    browser.get_log("browser")  # start each test with an empty console ...
    browser.get_log("performance")  # ... and no requests from earlier pages
    browser.refresh()
    return browser


def shown(driver) -> list[str]:
    return [item.find_element(By.TAG_NAME, "h2").text
            for item in driver.find_elements(By.CSS_SELECTOR, "[data-leaflet]")
            if item.is_displayed()]


def count(driver) -> str:
    return driver.find_element(By.ID, "result-count").text


def wait_for_count(driver, text: str) -> None:
    WebDriverWait(driver, 20).until(lambda d: count(d) == text,
                                   f"result count never became {text!r}")


def leaflet(driver, leaflet_id: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-leaflet="{leaflet_id}"]')


def search(driver, entries: dict, text: str) -> list[str]:
    """Type into the search box; return the titles shown once the count has caught up."""
    words = fold(text).split()
    want = titles(entries, lambda e: all(w in fold(e.search_text) for w in words))
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    wait_for_count(driver, of(want, entries))
    assert shown(driver) == want
    return want


# ---- the list and the statuses ------------------------------------------------------------

def test_every_leaflet_is_listed_with_its_status(page, entries):
    assert count(page) == f"{len(entries)} leaflets"
    assert shown(page) == [e.title for e in entries.values()]
    badges = {item.get_attribute("data-leaflet"): item.find_element(By.CLASS_NAME, "badge").text
              for item in page.find_elements(By.CSS_SELECTOR, "[data-leaflet]")}
    assert badges["wound-care"] == "Current: next review 1 June 2029"
    assert badges["igrt"] == "Review due soon: review by 2 February 2029"
    assert badges["colonoscopy"] == "Overdue: review was due 1 September 2028"


def test_overdue_leaflets_are_marked_and_not_offered(page, site):
    for leaflet_id in ("colonoscopy", "high-blood-pressure"):
        item = leaflet(page, leaflet_id)
        assert (site / f"{leaflet_id}.pdf").is_file()  # an old build is still in out/ ...
        assert not item.find_elements(By.CSS_SELECTOR, "a[href], button")  # ... not offered
        assert "Not available for printing" in item.text
        assert "status-overdue" in item.get_attribute("class")


def test_every_file_and_thumbnail_is_shown(page, entries):
    for leaflet_id, entry in entries.items():
        links = [a.get_attribute("href").rsplit("/", 1)[1]
                 for a in leaflet(page, leaflet_id).find_elements(By.CSS_SELECTOR, "a[href]")]
        # each file's PDF, then its web page (the HTML companion) when it has one
        assert links == [h for f in entry.files for h in (f.href, f.web_href) if h]
        assert all(f.web_href for f in entry.files)
    igrt = [f.href for f in entries["igrt"].files]
    assert {"igrt.pdf", "igrt.es.pdf", "igrt.ar.pdf", "igrt.large-print.pdf"} <= set(igrt)
    assert "wound-care.booklet.pdf" in [f.href for f in entries["wound-care"].files]
    images = page.find_elements(By.CSS_SELECTOR, ".thumb img")
    assert len(images) == sum(1 for e in entries.values() if e.thumbnail)
    for image in images:  # loaded lazily: scroll each into view first
        assert image.get_attribute("alt").startswith("Page 1 of ")
        page.execute_script("arguments[0].scrollIntoView()", image)
        WebDriverWait(page, 20).until(lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", image))


def test_a_title_with_markup_shows_as_text(page):
    title = leaflet(page, "eye-drops").find_element(By.TAG_NAME, "h2").text
    assert title == "Eye drops <script>window.pwned = true</script>"
    assert page.execute_script("return typeof window.pwned") == "undefined"


# ---- search and filters -----------------------------------------------------------------

def test_search_filters_as_you_type_ignoring_accents_and_case(page, entries):
    assert "Radioterapia: qué esperar" in search(page, entries, "radiacion")
    assert "Radioterapia: qué esperar" in search(page, entries, "RADIACIÓN")
    igrt = entries["igrt"].title
    assert search(page, entries, "pil-0042") == [igrt]  # the code
    assert search(page, entries, "cone-beam") == [igrt]  # a keyword
    assert "Preparing for a colonoscopy" in search(page, entries, "bowel ready")  # summary


def test_no_match_says_so_and_clear_brings_everything_back(page, entries):
    assert search(page, entries, "zzzz") == []
    assert page.find_element(By.ID, "no-results").is_displayed()
    page.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    wait_for_count(page, f"{len(entries)} leaflets")
    assert len(shown(page)) == len(entries)
    assert page.switch_to.active_element.get_attribute("id") == "q"


def test_the_count_is_announced_to_screen_readers(page):
    status = page.find_element(By.ID, "result-count")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"


def test_filter_by_language(page, entries):
    language = Select(page.find_element(By.ID, "language"))
    for name, key in (("Spanish", "es"), ("Arabic", "ar"), ("English", "en")):
        language.select_by_visible_text(name)
        want = titles(entries, lambda e: key in [l.key for l in e.languages])
        wait_for_count(page, of(want, entries))
        assert shown(page) == want
    language.select_by_visible_text("Spanish")
    wait_for_count(page, of(titles(entries, lambda e: "es" in [l.key for l in e.languages]),
                            entries))
    assert {entries["igrt"].title, "Radioterapia: qué esperar"} <= set(shown(page))
    page.find_element(By.ID, "q").send_keys("colonoscopy")  # filters and search combine
    wait_for_count(page, f"0 of {len(entries)} leaflets shown")


def test_filter_by_specialty(page, entries):
    Select(page.find_element(By.ID, "specialty")).select_by_visible_text("Oncology")
    want = titles(entries, lambda e: e.specialty == "Oncology")
    wait_for_count(page, of(want, entries))
    assert shown(page) == want == [entries["igrt"].title, "Radioterapia: qué esperar"]


def test_works_with_the_keyboard_alone(page, entries):
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert "skip-link" in page.switch_to.active_element.get_attribute("class")
    page.switch_to.active_element.send_keys(Keys.TAB)
    box = page.switch_to.active_element
    assert box.get_attribute("id") == "q"
    ring = page.execute_script("var s = getComputedStyle(document.activeElement);"
                               "return [s.outlineStyle, s.outlineWidth, s.boxShadow];")
    assert ring[0] == "solid" and ring[1] == "3px" and ring[2] != "none", ring
    assert search(page, entries, "wound care")[0] == entries["wound-care"].title
    for expected in ("language", "specialty"):
        page.switch_to.active_element.send_keys(Keys.TAB)
        assert page.switch_to.active_element.get_attribute("id") == expected
    page.switch_to.active_element.send_keys(Keys.TAB)  # Clear
    page.switch_to.active_element.send_keys(Keys.TAB)  # the first shown leaflet's first link
    assert page.switch_to.active_element.get_attribute("href").endswith("/wound-care.pdf")


# ---- opening and printing ----------------------------------------------------------------

def open_new_tab(driver, element) -> str:
    before = set(driver.window_handles)
    element.click()
    WebDriverWait(driver, 20).until(lambda d: len(d.window_handles) > len(before))
    driver.switch_to.window((set(driver.window_handles) - before).pop())
    WebDriverWait(driver, 20).until(lambda d: d.current_url.endswith(".pdf"))
    return driver.current_url


def test_open_shows_the_pdf(page, site):
    link = leaflet(page, "igrt").find_element(By.CSS_SELECTOR, "a[href$='igrt.es.pdf']")
    target = site / link.get_attribute("href").rsplit("/", 1)[1]
    assert target.read_bytes().startswith(b"%PDF")
    assert link.get_attribute("target") == "_blank"
    assert open_new_tab(page, link) == target.as_uri()


def test_print_from_a_shared_drive_opens_the_pdf_to_print(page, site):
    button = leaflet(page, "wound-care").find_element(By.CSS_SELECTOR, "button[data-print]")
    assert button.is_displayed() and button.text.startswith("Print")
    assert open_new_tab(page, button) == (site / "wound-care.pdf").as_uri()
    page.switch_to.window(page.window_handles[0])
    WebDriverWait(page, 20).until(
        lambda d: "new tab" in d.find_element(By.ID, "print-status").text)


# ---- self-contained and accessible --------------------------------------------------------

def test_loads_nothing_from_outside_and_logs_no_errors(page):
    requests = [json.loads(entry["message"])["message"] for entry in page.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in requests
            if m["method"] == "Network.requestWillBeSent"}
    assert {url.rsplit("/", 1)[1] for url in urls} >= {"index.html", "catalogue.css",
                                                       "catalogue.js"}
    assert all(url.startswith("file://") for url in urls), urls
    errors = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


@pytest.fixture(scope="module")
def axe_source() -> str:
    # one install at a time: two pytest-xdist workers running `npm ci` into one folder
    # failed (ENOTEMPTY), and one could read the file while the other wrote it
    with exclusive(BROWSER_DIR / ".install.lock"):
        if not AXE.is_file():
            npm = shutil.which("npm")
            if not npm:
                missing("npm is not installed, so axe-core cannot be installed")
            result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix",
                                     str(BROWSER_DIR)], capture_output=True, text=True)
            if result.returncode != 0 or not AXE.is_file():
                missing(f"npm could not install axe-core: {result.stderr[-500:]}")
        return AXE.read_text(encoding="utf-8")


def axe_violations(driver, source: str) -> list[str]:
    driver.execute_script(source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(function (r) { done(r.violations); })"
        "  .catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result]


@pytest.mark.parametrize("size, mobile", [(DESKTOP, False), (PHONE, True)],
                         ids=["desktop", "phone"])
def test_axe_finds_no_violations(page, entries, axe_source, size, mobile):
    viewport(page, size, mobile)
    page.refresh()
    assert axe_violations(page, axe_source) == []
    search(page, entries, "zzzz")  # the "no results" state too
    assert axe_violations(page, axe_source) == []


def test_screenshots_at_desktop_and_phone_widths(page, tmp_path_factory):
    """Saved for a person to look at (CATALOGUE_SHOTS=folder keeps them); the test itself
    checks that nothing spills sideways on a phone."""
    folder = Path(os.environ.get("CATALOGUE_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, size, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        viewport(page, size, mobile)
        page.refresh()
        assert page.execute_script("return document.documentElement.scrollWidth") <= size[0]
        assert page.save_screenshot(str(folder / f"{name}.png"))
        height = page.execute_script("return document.documentElement.scrollHeight")
        viewport(page, (size[0], height), mobile)
        assert page.save_screenshot(str(folder / f"{name}-full.png"))
