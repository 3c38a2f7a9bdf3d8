"""`handouts serve`: the catalogue and its leaflets over HTTP for a ward, with a form that
personalises a leaflet at print time, storing nothing of the patient.

Starlette (routing, requests, responses) on uvicorn (the HTTP server): small, maintained,
and asyncio-based, so Ctrl-C shuts down cleanly. The server:
- serves only regular files inside the output folder (never a link out of it, a hidden
  file or the counts database), with the build's catalogue page at `/`;
- rebuilds with the incremental build when content or templates change (watchfiles), and
  shows the current build's problems, each with its file:line, on the page;
- takes patient details by POST only, as a form body of at most MAX_BODY bytes, never
  from the URL; makes the PDF in memory (personalise.py) and streams it back with
  `Cache-Control: no-store`; logs each request as method, path and status only (no query
  string, no body, no header), and writes nothing of a request to disk;
- counts each copy given out (tally.py), unless the catalogue says `count_given_out: false`.
"""
from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import tally
from .build import build, inside_folder
from .catalogue_page import SITE, environment, language
from .content import Catalogue, load_catalogue
from .errors import HandoutsError, Problem, printable
from .outputs import KINDS, STANDARD, read_manifest
from .personalise import (FIELDS, LABELS, LIMITS, DetailsError, NotOffered, field_errors,
                          offered, personalise, read_details)
from .review import OVERDUE, review_status, today

LOG = logging.getLogger("handouts.serve")
MAX_BODY = 32 * 1024  # bytes: the form at its longest, in any script, is under 8 KB
SERVED = {".html", ".css", ".js", ".png", ".pdf", ".svg", ".json"}  # what out/ may serve
VARIANT_LABELS = {"standard": "Standard", "large-print": "Large print",
                  "booklet": "A5 booklet (print both sides, fold)"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
SECURITY = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "SAMEORIGIN"}
FORM_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
WATCHED = {".yaml", ".yml", ".svg", ".png", ".jpg", ".jpeg", ".ttf", ".otf"}
DESK_ASSETS = {"desk.css": "text/css"}  # handouts/site/<name>, served at /_desk/<name>


@dataclass
class Desk:
    """What every request shares: the content, the output folder and the last build."""

    content: Path
    out_dir: Path
    problems: list[Problem] = field(default_factory=list)
    catalogue: Catalogue | None = None
    builds: int = 0  # how many builds this server has run
    # ReportLab keeps global state: one build or personalised PDF at a time.
    render_lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """The incremental build: only what changed is made again."""
        with self.render_lock:
            report = build(self.content, self.out_dir, jobs=1)
            self.problems = report.problems
            self.catalogue = report.catalogue if report.catalogue.defaults else \
                self.catalogue or load_catalogue(self.content)
            self.builds += 1
        LOG.info("built: %d made, %d unchanged, %d problems", len(report.built),
                 len(report.unchanged), len(report.problems))

    def counting(self) -> bool:
        return self.catalogue is None or self.catalogue.count_given_out


# ---- request hygiene: size cap and path-only logging --------------------------------------

class BodyLimit:
    """Refuse a request body over `limit` bytes with 413, by its Content-Length or, for a
    chunked body, as soon as it grows past the limit; nothing of it is kept."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(self.limit)(scope, receive, send)
            return
        received, refused = 0, False

        async def limited() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # answer now; the app sees the client gone
                refused = True
                await _too_large(self.limit)(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, limited, unless_refused)
        except Exception:
            if not refused:
                raise  # a real fault; a refused body's 'disconnect' is not one


def _too_large(limit: int) -> Response:
    return PlainTextResponse(f"Request too large: at most {limit // 1024} KB is accepted.",
                             413, headers={"Connection": "close"})


class PathLog:
    """One log line per request: method, path (never the query string), status."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def noted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            LOG.info("%s %s %d", scope["method"], printable(scope["path"])[:200], status[0])


# ---- pages -------------------------------------------------------------------------------

def _page(text: str, status: int, headers: dict | None = None) -> HTMLResponse:
    return HTMLResponse(text, status, headers={**SECURITY, **NO_STORE, **(headers or {})})


def _message(title: str, text: str, status: int) -> HTMLResponse:
    page = environment().get_template("desk-message.html.j2").render(title=title, text=text)
    return _page(page, status, {"Content-Security-Policy": FORM_POLICY})


def problem_lines(problems: Iterable[Problem], root: Path) -> list[str]:
    """Each problem in words with its file:line:column, relative to the content folder."""
    lines = []
    for p in problems:
        try:
            where = Path(p.path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            where = str(p.path)
        label = "warning: " if p.severity == "warning" else ""
        fix = f" - {p.hint}" if p.hint else ""
        lines.append(printable(f"{where}:{p.line}:{p.column}: {label}{p.message}{fix}"))
    return lines


def served_catalogue(page: str, desk: Desk) -> str:
    """The build's catalogue page as served: Personalise links shown, print frames counted
    (/print/...), and the current build's problems on top."""
    page = page.replace(" data-personalise hidden", " data-personalise")
    page = page.replace(' data-personalise-to="', ' href="')
    page = page.replace("<body>", '<body data-served="handouts">', 1)
    page = page.replace("</head>", '<link rel="stylesheet" href="_desk/desk.css">\n</head>', 1)
    errors = [p for p in desk.problems if p.severity == "error"]
    if desk.problems:
        lines = problem_lines(desk.problems, desk.content.parent)
        notice = environment().get_template("desk-problems.html.j2").render(
            lines=lines, errors=len(errors), warnings=len(desk.problems) - len(errors))
        page = page.replace('<main id="main">\n  <div class="wrap">',
                            '<main id="main">\n  <div class="wrap">\n' + notice, 1)
    return page


async def catalogue_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    index = desk.out_dir / "index.html"
    if not index.is_file():
        lines = "\n".join(problem_lines(desk.problems, desk.content.parent))
        return PlainTextResponse("The catalogue page has not been built.\n" + lines, 503)
    return _page(served_catalogue(index.read_text(encoding="utf-8"), desk), 200)


async def desk_asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in DESK_ASSETS:
        return _not_found(name)
    return Response((SITE / name).read_bytes(), 200, media_type=DESK_ASSETS[name],
                    headers=SECURITY)


def _not_found(what: str) -> PlainTextResponse:
    return PlainTextResponse(f"Not found: there is no file '{printable(what)[:120]}' in the "
                             "output folder.", 404, headers=SECURITY)


def output_file(desk: Desk, name: str) -> Path | None:
    """The file of the output folder this URL path names, or None: nothing outside the
    folder (no '..', no link followed), no hidden file (.part files being written), only
    the kinds of file a build writes there (never the counts database)."""
    parts = [part for part in name.split("/") if part]
    if not parts or "\0" in name or "\\" in name or any(p.startswith(".") for p in parts):
        return None  # '.' and '..' start with a dot too
    path = desk.out_dir
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    if path.suffix.lower() not in SERVED or not path.is_file():
        return None
    return path


async def static_file(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    name = request.path_params["path"]
    if name in ("", "index.html"):
        return await catalogue_page(request)
    path = output_file(desk, name)
    if path is None:
        return _not_found(name)
    return FileResponse(path, headers={**SECURITY, "Cache-Control": "no-cache"})


async def print_file(request: Request) -> Response:
    """A leaflet PDF loaded to print (the page's Print button): served as it is, and one
    more copy of it counted as given out."""
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    path = output_file(desk, name)
    record = next((r for r in read_manifest(desk.out_dir)[0].files if r.file == name), None)
    if path is None or record is None:
        return _not_found(name)
    if desk.counting():
        await run_in_threadpool(tally.add_copy, desk.out_dir, record.id, record.version,
                                record.language, record.variant, today())
    return FileResponse(path, headers={**SECURITY, **NO_STORE})


# ---- the personalise form ----------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    tag: str = ""
    direction: str = "ltr"


def _choices(desk: Desk, leaflet_id: str) -> tuple[list[Choice], list[Choice]]:
    """The languages (the leaflet's own first) and the variants a nurse may pick."""
    catalogue = desk.catalogue or load_catalogue(desk.content)
    languages = []
    for leaflet in offered(catalogue, leaflet_id):
        about = language(leaflet.language)
        native = f" ({about.native})" if about.native != about.name else ""
        languages.append(Choice(leaflet.language, about.name + native, leaflet.language,
                                about.direction))
    variants = [Choice(v, VARIANT_LABELS[v]) for v in KINDS]
    return languages, variants


def _form(request: Request, leaflet_id: str, values: dict[str, str], errors: dict[str, str],
          status: int, refusal: str = "") -> HTMLResponse:
    desk: Desk = request.app.state.desk
    catalogue = desk.catalogue or load_catalogue(desk.content)
    leaflet = offered(catalogue, leaflet_id)[0]
    languages, variants = _choices(desk, leaflet_id)
    page = environment().get_template("personalise.html.j2").render(
        leaflet=leaflet, action=f"/personalise/{quote(leaflet_id)}", languages=languages,
        variants=variants, fields=FIELDS, labels=LABELS, limits=LIMITS, values=values,
        errors=errors, refusal=refusal, today=today().isoformat(),
        counting=desk.counting())
    return _page(page, status, {"Content-Security-Policy": FORM_POLICY})


def _leaflet_or_none(desk: Desk, leaflet_id: str):
    catalogue = desk.catalogue or load_catalogue(desk.content)
    found = offered(catalogue, leaflet_id)
    return found[0] if found else None


def _overdue_text(leaflet) -> str | None:
    if review_status(leaflet.governance.next_review, today(), None) != OVERDUE:
        return None
    return (f"This leaflet is past its review date ({leaflet.governance.next_review.isoformat()})"
            f" and may not be given out. Ask the owner ({leaflet.governance.owner}) for the "
            "reviewed version.")


def _no_such_leaflet(leaflet_id: str) -> Response:
    return _message("No such leaflet", f"There is no leaflet '{leaflet_id}' to "
                    "personalise. Go back to the catalogue and choose one.", 404)


async def personalise_form(request: Request) -> Response:
    """GET: the empty form. Details never come from the URL: a query string is ignored."""
    desk: Desk = request.app.state.desk
    leaflet_id = request.path_params["leaflet"]
    leaflet = _leaflet_or_none(desk, leaflet_id)
    if leaflet is None:
        return _no_such_leaflet(leaflet_id)
    refusal = _overdue_text(leaflet)
    if refusal:
        return _message("Not available for printing", refusal, 409)
    return _form(request, leaflet_id, {"language": leaflet.language, "variant": STANDARD},
                 {}, 200)


async def _form_values(request: Request) -> dict[str, str] | Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return PlainTextResponse("Send the form as application/x-www-form-urlencoded (the "
                                 "page's own form does).", 415, headers=SECURITY)
    body = await request.body()  # at most MAX_BODY: BodyLimit refused anything longer
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                          max_num_fields=len(FIELDS) + 4, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return PlainTextResponse("The form could not be read: it should be UTF-8 text with "
                                 f"at most {len(FIELDS) + 4} fields.", 400, headers=SECURITY)
    return dict(pairs)


async def personalise_post(request: Request) -> Response:
    """POST: the details -> the personalised PDF (in memory), or the form with messages."""
    desk: Desk = request.app.state.desk
    leaflet_id = request.path_params["leaflet"]
    leaflet = _leaflet_or_none(desk, leaflet_id)
    if leaflet is None:
        return _no_such_leaflet(leaflet_id)
    values = await _form_values(request)
    if isinstance(values, Response):
        return values
    if "name" not in values:
        return PlainTextResponse("The form has no 'name' field: use the page's own form.",
                                 400, headers=SECURITY)
    language_tag = values.get("language") or leaflet.language
    variant = values.get("variant") or STANDARD
    try:
        details = read_details(values)
        copy = await run_in_threadpool(_make, desk, leaflet_id, details, language_tag, variant)
    except DetailsError as exc:
        return _form(request, leaflet_id, values, exc.errors, 422)
    except NotOffered as exc:
        return _form(request, leaflet_id, values, {}, 400,
                     refusal=exc.problems[0].message + " - " + exc.problems[0].hint)
    except HandoutsError as exc:
        errors = field_errors(exc)
        if errors:
            return _form(request, leaflet_id, values, errors, 422)
        text = "; ".join(problem_lines(exc.problems, desk.content.parent))
        return _form(request, leaflet_id, values, {}, 409, refusal=text)
    except Exception as exc:  # a fault in handouts: its message might quote the details,
        LOG.error("personalise %s failed: %s", leaflet_id, type(exc).__name__)  # so never logged
        return _form(request, leaflet_id, values, {}, 500, refusal=(
            f"handouts could not make this copy (an internal error, {type(exc).__name__}); "
            "print the leaflet and write the details by hand, and report the problem"))
    if desk.counting():
        await run_in_threadpool(tally.add_copy, desk.out_dir, copy.leaflet.id,
                                copy.leaflet.governance.version, copy.leaflet.language,
                                copy.variant, today())
    return Response(copy.data, 200, media_type="application/pdf", headers={
        **SECURITY, **NO_STORE,
        "Content-Disposition": f'inline; filename="{copy.filename}"'})


def _make(desk: Desk, leaflet_id: str, details, language_tag: str, variant: str):
    with desk.render_lock:
        return personalise(desk.content, leaflet_id, details, language_tag, variant,
                           catalogue=desk.catalogue)


def make_app(desk: Desk) -> Starlette:
    routes = [
        Route("/", catalogue_page, methods=["GET", "HEAD"]),
        Route("/_desk/{name}", desk_asset, methods=["GET", "HEAD"]),
        Route("/personalise/{leaflet}", personalise_form, methods=["GET", "HEAD"]),
        Route("/personalise/{leaflet}", personalise_post, methods=["POST"]),
        Route("/print/{name}", print_file, methods=["GET"]),
        Route("/{path:path}", static_file, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes)
    app.state.desk = desk
    return app


def asgi(desk: Desk) -> ASGIApp:
    """The app with its request hygiene: every request logged by path, bodies capped."""
    return PathLog(BodyLimit(make_app(desk)))


# ---- watching and serving ----------------------------------------------------------------

def watched_paths(content: Path, out_dir: Path) -> list[Path]:
    """content.yaml and the folders beside it (leaflets, images, templates), but not the
    output folder, hidden folders or tool folders: what an editor changes."""
    folder, out = content.resolve().parent, out_dir.resolve()
    paths = [content.resolve()]
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith(".") and child.resolve() != out \
                and out not in child.resolve().parents and child.resolve() not in out.parents \
                and child.name not in ("node_modules", "__pycache__", "venv"):
            paths.append(child)
    return paths


def watch(desk: Desk, stop: threading.Event) -> None:
    """Rebuild whenever a content or template file changes, until `stop` is set."""
    import watchfiles
    out = desk.out_dir.resolve()

    def wanted(change, path: str) -> bool:
        target = Path(path)
        return target.suffix.lower() in WATCHED and not inside_folder(target.resolve(), out)

    for _changes in watchfiles.watch(*watched_paths(desk.content, desk.out_dir),
                                     watch_filter=wanted, stop_event=stop, debounce=400,
                                     raise_interrupt=False):
        try:
            desk.rebuild()
        except Exception as exc:  # the server stays up: the page says what failed
            desk.problems = [Problem(desk.content, 1, 1, f"the rebuild failed: {exc}",
                                     "fix the file named, or stop and start the server")]


def make_server(desk: Desk, host: str, port: int, watching: bool = True):
    """A uvicorn server for the desk, and the socket it listens on (port 0: a free one)."""
    import uvicorn
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # requests wait in the queue from now, not refused before uvicorn starts
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(desk, stop), daemon=True,
                               name="handouts-watch") if watching else None

    async def lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, watcher, stop)
        else:
            await app(scope, receive, send)

    app = asgi(desk)
    config = uvicorn.Config(lifespan_app, access_log=False, log_config=None,
                            server_header=False, date_header=True, lifespan="on",
                            h11_max_incomplete_event_size=16 * 1024, timeout_graceful_shutdown=5)
    return uvicorn.Server(config), sock


async def _lifespan(receive: Receive, send: Send, watcher, stop: threading.Event) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if watcher is not None:
                watcher.start()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            stop.set()
            if watcher is not None and watcher.is_alive():
                await run_in_threadpool(watcher.join, 5)
            await send({"type": "lifespan.shutdown.complete"})
            return


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def describe_bind(host: str) -> str:
    loopback = host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")
    return "" if loopback else (" - reachable from other machines on the network: "
                                "use this only on a trusted ward network")
