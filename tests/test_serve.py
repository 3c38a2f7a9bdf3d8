"""`handouts serve` (issue 13): the catalogue over HTTP, personalised copies by POST with
nothing of the patient kept, request hygiene, rebuild on change, and a nurse's whole task
in Debian's Chromium.

One server for the module: uvicorn in a thread on a free loopback port, watching its own
small catalogue (IGRT with its Spanish and Arabic translations, and an overdue leaflet).
"""
from __future__ import annotations

import datetime as dt
import http.client
import io
import logging
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pypdfium2
import pytest

from conftest import MINIMAL
from pdfcheck import check_pdf
from test_personalise import details_form, pages_of, patient_name, ward_catalogue

from handouts import serve, tally
from handouts.cli import make_parser

DAY = dt.date(2026, 11, 24)  # conftest's HANDOUTS_TODAY
OLD = (MINIMAL.replace("id: sample", "id: old-leaflet")
       .replace("title: Having a sample test", "title: An old leaflet")
       .replace("last_reviewed: 2026-01-10", "last_reviewed: 2021-01-10")
       .replace("published: 2026-01-10", "published: 2021-01-10"))  # next review 2024: overdue
FORM = "application/x-www-form-urlencoded"


@dataclass
class Ward:
    content: Path
    out: Path
    desk: serve.Desk
    host: str
    port: int
    log: list[str]
    started: float  # when the module's requests began: the leak scan looks at files since
    names: list[str]  # every patient name any test sent: none may be left anywhere

    def patient(self) -> str:
        name = patient_name()
        self.names.append(name)
        return name

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, \
                response.read()
        finally:
            connection.close()

    def post(self, path: str, form: dict) -> tuple[int, dict, bytes]:
        return self.request("POST", path, urlencode(form).encode("utf-8"),
                            {"Content-Type": FORM})

    def page(self) -> str:
        return self.request("GET", "/")[2].decode("utf-8")


class _Lines(logging.Handler):
    def __init__(self, lines: list[str]):
        super().__init__()
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    root = tmp_path_factory.mktemp("ward-desk")
    content = ward_catalogue(root, {"old-leaflet": OLD})
    lines: list[str] = []
    handler = _Lines(lines)
    serve.LOG.addHandler(handler)
    serve.LOG.setLevel(logging.INFO)
    desk = serve.Desk(content, root / "out")
    desk.rebuild()
    server, sock = serve.make_server(desk, "127.0.0.1", 0, watching=True)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    host, port = sock.getsockname()[:2]
    yield Ward(content, root / "out", desk, host, port, lines, time.time() - 1, [])
    server.should_exit = True
    thread.join(15)
    sock.close()
    serve.LOG.removeHandler(handler)


def patient_copy(ward: Ward, name: str, **more) -> tuple[int, dict, bytes]:
    return ward.post("/personalise/igrt", {**details_form(name), "language": "en-GB",
                                           "variant": "standard", **more})


# ---- the catalogue -----------------------------------------------------------------------

def test_it_binds_to_loopback_by_default(ward):
    assert make_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert ward.host == "127.0.0.1"
    assert "network" in serve.describe_bind("0.0.0.0") and serve.describe_bind("127.0.0.1") == ""


def test_the_catalogue_is_served_with_personalise_links(ward):
    status, headers, body = ward.request("GET", "/")
    page = body.decode("utf-8")
    assert status == 200 and "text/html" in headers["content-type"]
    assert 'data-served="handouts"' in page
    assert '<p class="personalise-link" data-personalise><a class="button button-secondary" ' \
           'href="personalise/igrt">' in page
    assert "personalise/old-leaflet" not in page  # refused at build: nothing to personalise
    static = (ward.out / "index.html").read_text(encoding="utf-8")
    assert "data-personalise hidden" in static  # from file:// the link stays hidden
    for name in ("igrt.pdf", "igrt.es.pdf", "catalogue.css", "thumbs/igrt.png"):
        assert ward.request("GET", "/" + name)[0] == 200, name


def test_the_page_shows_the_builds_errors_with_file_and_line(ward):
    page = ward.page()
    assert "The last build found 1 error" in page
    assert "<code>leaflets/old-leaflet.yaml:10:18: leaflet &#39;old-leaflet&#39; is overdue " \
           "for review since 2024-01-10" in page


# ---- personalising: each privacy point ---------------------------------------------------

def test_the_details_travel_by_post_never_in_the_url(ward):
    status, headers, body = ward.request("GET", "/personalise/igrt")
    form = body.decode("utf-8")
    assert status == 200
    assert '<form method="post" action="/personalise/igrt" accept-charset="utf-8" ' \
           'autocomplete="off"' in form
    name = ward.patient()
    query = "/personalise/igrt?" + urlencode({"name": name, "date": "2026-12-10"})
    status, headers, body = ward.request("GET", query)  # a URL never makes a copy
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert name not in body.decode("utf-8") and not body.startswith(b"%PDF")
    assert ward.request("GET", "/personalise/igrt.pdf?" + urlencode({"name": name}))[0] == 404


def test_the_pdf_is_made_in_memory_and_streamed_with_no_store(ward):
    name = ward.patient()
    status, headers, body = patient_copy(ward, name, language="es", variant="large-print")
    assert status == 200, body[:300]
    assert headers["content-type"] == "application/pdf"
    assert headers["cache-control"] == "no-store"
    assert headers["content-disposition"] == 'inline; filename="igrt-personalised.pdf"'
    page_1 = pages_of(body)[0]
    assert name in page_1 and "Preparado para" in page_1 and "PIL-0042 v3 LP" in page_1
    assert check_pdf(io.BytesIO(body)) == []
    pdf = pypdfium2.PdfDocument(body)
    try:
        metadata = pdf.get_metadata_dict()
    finally:
        pdf.close()
    assert metadata["Title"] == "Radioterapia guiada por imágenes (IGRT)"
    assert not any(name in value for value in metadata.values())


def leaks(names: list[str], since: float, everything: list[Path], recent: list[Path]
          ) -> list[str]:
    """Files holding any of the names (as UTF-8, UTF-16 or URL-encoded bytes, or in a PDF's
    text): every file under `everything`, and those changed since `since` under `recent`."""
    needles = [n for name in names for n in (
        name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be"),
        quote(name).encode(), quote_plus(name).encode())]
    found = []
    for root, only_recent in [*((r, False) for r in everything), *((r, True) for r in recent)]:
        for folder, _, files in os.walk(root):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    info = os.lstat(path)
                    if not stat.S_ISREG(info.st_mode) or info.st_size > 100_000_000 or \
                            (only_recent and max(info.st_mtime, info.st_ctime) < since):
                        continue
                    with open(path, "rb") as stream:
                        data = stream.read()
                except OSError:
                    continue  # gone already, or not ours to read
                if any(n in data for n in needles) or (
                        data.startswith(b"%PDF") and _in_text(data, names)):
                    found.append(path)
    return found


def _in_text(data: bytes, names: list[str]) -> bool:
    """A name's words in a PDF's page 1, where a personalised copy prints them (compressed
    streams hide them from a byte search); page 1 only, as the temp folder holds many PDFs
    of other builds."""
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return False
    try:
        text = pdf[0].get_textpage().get_text_range() if len(pdf) else ""
    finally:
        pdf.close()
    return any(word in text for name in names for word in name.split())


def test_requests_are_logged_by_path_without_query_or_body(ward):
    secret = ward.patient()
    ward.request("GET", "/?q=" + quote(secret))
    ward.post("/personalise/igrt", {"name": secret, "date": "not a date"})
    deadline = time.monotonic() + 30  # the line is written as the response ends
    while "POST /personalise/igrt 422" not in ward.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "GET / 200" in ward.log and "POST /personalise/igrt 422" in ward.log
    assert not any(secret in line or "?" in line for line in ward.log)


def test_bad_details_are_shown_in_the_form_with_how_to_fix_them(ward):
    status, headers, body = patient_copy(ward, "Ann Smith", date="2026-02-30",
                                         phone="0161 496 000")
    form = body.decode("utf-8")
    assert status == 422 and headers["cache-control"] == "no-store"
    assert "Please check 1 thing" in form
    assert "&#39;2026-02-30&#39; is not a real date; check the day and the month" in form
    assert 'aria-invalid="true"' in form and 'value="Ann Smith"' in form
    status, _, body = patient_copy(ward, "Ann Smith", phone="0161 496 000")
    assert status == 422  # the number is checked like every other (phones.py)
    assert "&#39;0161 496 000&#39; is not a valid phone number in GB" in body.decode("utf-8")


def test_a_fault_in_handouts_is_answered_without_logging_the_details(ward, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(f"could not lay out 'Prepared for {args[2].name}'")
    monkeypatch.setattr(serve, "personalise", broken)
    name = ward.patient()
    status, _, body = patient_copy(ward, name)
    assert status == 500 and "an internal error, RuntimeError" in body.decode("utf-8")
    deadline = time.monotonic() + 30
    while "personalise igrt failed: RuntimeError" not in ward.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "personalise igrt failed: RuntimeError" in ward.log
    assert not any(name in line for line in ward.log)


def test_an_overdue_leaflet_is_refused(ward):
    status, _, body = ward.request("GET", "/personalise/old-leaflet")
    assert status == 409 and "past its review date (2024-01-10)" in body.decode("utf-8")
    status, _, body = ward.post("/personalise/old-leaflet", details_form("Ann Smith"))
    assert status == 409 and not body.startswith(b"%PDF")
    assert "is overdue for review since 2024-01-10" in body.decode("utf-8")


@pytest.mark.parametrize("method, path, body, headers, status, words", [
    ("POST", "/personalise/igrt", b"name=" + b"x" * 40_000, {"Content-Type": FORM}, 413,
     "Request too large: at most 32 KB"),
    ("POST", "/personalise/igrt", b"name=Ann", {"Content-Type": "text/plain"}, 415,
     "application/x-www-form-urlencoded"),
    ("POST", "/personalise/igrt", b"date=2026-12-10", {"Content-Type": FORM}, 400,
     "The form has no 'name' field"),
    ("POST", "/personalise/igrt", b"name=%FF%FE", {"Content-Type": FORM}, 400,
     "should be UTF-8 text"),
    ("POST", "/personalise/nope", b"name=Ann", {"Content-Type": FORM}, 404,
     "There is no leaflet &#39;nope&#39;"),
    ("GET", "/personalise/nope", None, {}, 404, "There is no leaflet &#39;nope&#39;"),
    ("POST", "/personalise/igrt", b"name=Ann&language=fr", {"Content-Type": FORM}, 400,
     "has no &#39;fr&#39; version"),
    ("POST", "/personalise/igrt", b"name=Ann&variant=poster", {"Content-Type": FORM}, 400,
     "unknown variant &#39;poster&#39;"),
    ("PUT", "/personalise/igrt", b"name=Ann", {"Content-Type": FORM}, 405, ""),
    ("POST", "/igrt.pdf", b"name=Ann", {"Content-Type": FORM}, 405, ""),
])
def test_bad_requests_get_clear_4xx(ward, method, path, body, headers, status, words):
    got, _, answer = ward.request(method, path, body, headers)
    assert got == status
    assert words in answer.decode("utf-8", "replace")
    assert not answer.startswith(b"%PDF")


def test_an_oversized_chunked_body_is_refused(ward):
    with socket.create_connection((ward.host, ward.port), timeout=30) as sock:
        sock.sendall(b"POST /personalise/igrt HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                     FORM.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"name=" + b"y" * 20_000
        try:
            for _ in range(3):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed as soon as the body passed the cap
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize("path", [
    "/../content.yaml", "/%2e%2e/content.yaml", "/thumbs/../../content.yaml",
    "/..%2fcontent.yaml", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/given-out.sqlite",
    "/.hidden.pdf", "/outside.pdf", "/thumbs%00.png", "/print/../content.yaml",
    "/leaflets/igrt.yaml", "//etc/passwd"])
def test_nothing_outside_the_output_folder_is_served(ward, path):
    (ward.out / ".hidden.pdf").write_bytes(b"%PDF-hidden")
    outside = ward.content.parent / "outside.pdf"
    outside.write_bytes(b"%PDF-outside")
    if not (ward.out / "outside.pdf").is_symlink():
        (ward.out / "outside.pdf").symlink_to(outside)  # a link out of the folder
    status, _, body = ward.request("GET", path)
    assert status == 404 and b"%PDF" not in body and b"governance" not in body
    assert b"Not found" in body


def test_parallel_requests_lose_no_counts(ward):
    def copies(variant: str) -> int:
        return sum(row[5] for row in tally.rows(ward.out)
                   if row[1:5] == ("igrt", "3", "en-GB", variant))

    before = (copies("standard"), copies("large-print"))
    jobs = [lambda: patient_copy(ward, "Ann Smith", variant="large-print")] * 3 + \
        [lambda: ward.request("GET", "/print/igrt.pdf")] * 24
    with ThreadPoolExecutor(12) as pool:
        statuses = [f.result()[0] for f in [pool.submit(job) for job in jobs]]
    assert statuses == [200] * 27
    assert (copies("standard"), copies("large-print")) == (before[0] + 24, before[1] + 3)
    assert all(row[0] == DAY.isoformat() for row in tally.rows(ward.out))  # a day, no time


# ---- a nurse's task in Chromium ----------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    from test_catalogue_browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, missing
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        missing("chromium or chromium-driver is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    downloads = tmp_path_factory.mktemp("printer")  # where the browser hands the PDF over
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="desk-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_window_size(1280, 1000)
    yield driver, downloads
    if driver.session_id is not None:  # the test closes it itself, as a nurse would
        driver.quit()
    import shutil
    shutil.rmtree(profile, ignore_errors=True)


def received(downloads: Path, timeout: float = 60) -> bytes:
    """The PDF the browser received, read and then deleted: it went to the printer."""
    deadline = time.monotonic() + timeout
    target = downloads / "igrt-personalised.pdf"  # <id>-personalised.pdf: no name in it
    while time.monotonic() < deadline:
        if target.is_file() and not any(p.suffix == ".crdownload" for p in downloads.iterdir()):
            data = target.read_bytes()
            for path in downloads.iterdir():  # the personalised copy, and a printed one
                path.unlink()
            return data
        time.sleep(0.1)
    raise AssertionError("the browser received no PDF")


# Sets window.printSettled once the print frame has loaded and the page has answered it
# (site.js says a failure 50 ms after the load).
PRINT_SETTLED = """
new MutationObserver(function (changes) { changes.forEach(function (change) {
  change.addedNodes.forEach(function (node) {
    if (node.id !== "print-frame") return;
    node.addEventListener("load", function () {
      setTimeout(function () { window.printSettled = true; }, 500);
    });
  });
}); }).observe(document.body, {childList: true});
"""


def test_a_nurse_personalises_igrt_in_spanish_large_print(ward, chromium):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    driver, downloads = chromium
    base = f"http://{ward.host}:{ward.port}/"
    driver.get(base)
    driver.find_element(By.ID, "q").send_keys("IGRT")
    WebDriverWait(driver, 20).until(lambda d: [e.get_attribute("data-leaflet") for e in
                                               d.find_elements(By.CSS_SELECTOR, "[data-leaflet]")
                                               if e.is_displayed()] == ["igrt"])
    card = driver.find_element(By.CSS_SELECTOR, '[data-leaflet="igrt"]')
    printed = sum(row[5] for row in tally.rows(ward.out) if row[1:5] == ("igrt", "3", "en-GB",
                                                                         "standard"))
    driver.execute_script(PRINT_SETTLED)
    card.find_element(By.CSS_SELECTOR, "button[data-print='igrt.pdf']").click()  # Print
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "print-frame")
                                    .get_attribute("src") == base + "print/igrt.pdf")
    # Headless Chromium cannot print, so the page says so above the list once the frame
    # loads; that moves the cards down. Clicked mid-move, the link below is missed.
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return window.printSettled"))
    deadline = time.monotonic() + 20  # the frame's load counts the copy as given out
    while "GET /print/igrt.pdf 200" not in ward.log and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sum(row[5] for row in tally.rows(ward.out)
               if row[1:5] == ("igrt", "3", "en-GB", "standard")) == printed + 1
    card.find_element(By.CSS_SELECTOR, "[data-personalise] a").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "name"))
    name = ward.patient()
    Select(driver.find_element(By.ID, "language")).select_by_value("es")
    Select(driver.find_element(By.ID, "variant")).select_by_value("large-print")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.execute_script("document.getElementById('date').value = '2026-12-10';"
                          "document.getElementById('time').value = '14:30';")
    driver.find_element(By.ID, "place").send_keys("Unidad de Radioterapia, planta 2")
    driver.find_element(By.ID, "clinician").send_keys("Dra. Ana Ruiz")
    driver.find_element(By.ID, "phone").send_keys("0161 496 0000")
    driver.find_element(By.ID, "notes").send_keys("Beba agua antes de venir.")
    driver.find_element(By.ID, "make").click()
    data = received(downloads)
    pages = pages_of(data)
    assert name in pages[0] and "Preparado para" in pages[0] and "PIL-0042 v3 LP" in pages[0]
    assert "Su cita: 10 de diciembre de 2026, 14:30, Unidad de Radioterapia" in pages[0]
    assert check_pdf(io.BytesIO(data)) == []
    assert driver.current_url == base + "personalise/igrt"  # the details were never in a URL
    driver.get(base)  # leave the form and close the browser, as a nurse would: the next
    driver.quit()     # test scans for the name, in the browser's profile (temp folder) too
    driver.session_id = None


def test_nothing_of_any_patient_is_left_on_disk_or_in_the_log(ward):
    """Every name this module sent, by URL, form or browser: in no file of the output
    folder, and in no file the working folder or the temp folder gained or changed since."""
    assert len(ward.names) >= 3  # the browser test adds one more
    assert leaks(ward.names, ward.started, [ward.out],
                 [Path.cwd(), Path(tempfile.gettempdir())]) == []
    assert not any(name in line for name in ward.names for line in ward.log)
    assert not any(n.endswith(".part") for n in os.listdir(ward.out))
    name = ward.patient()  # and the scan does find a copy left behind
    status, _, body = patient_copy(ward, name)
    assert status == 200
    with tempfile.TemporaryDirectory() as control:
        (Path(control) / "left.pdf").write_bytes(body)
        assert leaks([name], ward.started, [], [Path(control)]) == [
            str(Path(control) / "left.pdf")]


# ---- editors: rebuild on change ----------------------------------------------------------

def wait_for(ward: Ward, check, what: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = ward.page()
        if check(page):
            return page
        time.sleep(0.25)
    raise AssertionError(f"the served page never showed {what}")


def test_the_page_follows_the_content_as_it_is_edited(ward):
    leaflets = ward.content.parent / "leaflets"
    igrt_made = (ward.out / "igrt.pdf").stat().st_mtime_ns
    fresh = (MINIMAL.replace("id: sample", "id: fresh")
             .replace("title: Having a sample test", "title: A freshly written leaflet"))
    (leaflets / "fresh.yaml").write_text(fresh, encoding="utf-8")
    wait_for(ward, lambda p: "A freshly written leaflet" in p, "the new leaflet")
    (leaflets / "fresh.yaml").write_text(fresh.replace("freshly written", "newly edited"),
                                         encoding="utf-8")
    page = wait_for(ward, lambda p: "A newly edited leaflet" in p, "the edited title")
    assert "A freshly written leaflet" not in page
    (leaflets / "fresh.yaml").write_text(fresh.replace("summary:", "sumary:"), encoding="utf-8")
    page = wait_for(ward, lambda p: "leaflets/fresh.yaml:3:1: unknown key" in p, "the error")
    assert "The last build found 2 errors" in page
    assert (ward.out / "igrt.pdf").stat().st_mtime_ns == igrt_made  # incremental: kept
    (leaflets / "fresh.yaml").unlink()
    wait_for(ward, lambda p: "fresh.yaml" not in p, "the error gone")


# ---- Ctrl-C ------------------------------------------------------------------------------

def test_ctrl_c_stops_the_server_cleanly(catalogue):
    catalogue.leaflet(MINIMAL)
    process = subprocess.Popen(
        [sys.executable, "-m", "handouts", "serve", str(catalogue.root / "content.yaml"),
         "--port", "0", "--out", str(catalogue.out)],  # watching, as editors run it
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=catalogue.root)
    try:
        line = process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line
        host, port = line.split("//")[1].split("/")[0].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/sample.pdf")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and err.rstrip().endswith("handouts: stopped")
    assert "GET /sample.pdf 200" in err
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=2).close()
