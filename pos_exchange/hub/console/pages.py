"""The hub console in the browser: server-rendered pages (FastAPI + Jinja2), no script.

People sign in with the hub's accounts (``hub/people.py``); the session travels in the
HttpOnly, SameSite=Strict cookie of ``hub/sessions.py``, and every form post is also
checked to come from the hub's own pages (``access._same_origin``). Without a session a
page answers the sign-in page (303), never data; a person asking for a store that is not
theirs gets 403. Each page has its JSON twin under ``/v1/reports`` (hub/reports_api.py),
computed by the same functions (hub/reports.py).

No htmx: every page is one GET, and the two actions (sign in, resolve) are plain form
posts answered by a redirect; nothing on these pages needs a partial reload to be quick.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from pos_exchange.domain.errors import BadInput, PosError
from pos_exchange.hub import reconciliation, register_health, reports, sessions
from pos_exchange.hub.access import _same_origin
from pos_exchange.hub.errors import Forbidden, Unauthorized
from pos_exchange.hub.people import HEAD_OFFICE
from pos_exchange.hub.reports_api import period_of
from pos_exchange.hub.sessions import Session
from pos_exchange.messages import Renderer, format_money, render
from pos_exchange.services.metrics import Metrics

HERE = Path(__file__).parent
# The console speaks the browser's language (Accept-Language) where the catalogue has it,
# with that language's money and date formats; otherwise English.
LOCALES = {"en": "en_US", "de": "de_DE"}
DEFAULT_LOCALE = "en_US"
templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
    extensions=["jinja2.ext.i18n"]))
# ``_()`` in a template resolves ``gettext`` from the page's context first (page() passes
# the reader's); these English ones are only the fallback.
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=Renderer(DEFAULT_LOCALE).gettext,
    ngettext=lambda s, p, n: Renderer(DEFAULT_LOCALE).gettext(s if n == 1 else p),
    newstyle=False)


def reader_locale(request: Request) -> str:
    """The first language of the browser's Accept-Language that the catalogue has."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _sep, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0   # a preference, not money
        except ValueError:
            continue
        ranked.append((-quality, position, tag.strip().split("-")[0].lower()))
    for _quality, _position, language in sorted(ranked):
        if language in LOCALES:
            return LOCALES[language]
    return DEFAULT_LOCALE
router = APIRouter(prefix="/console", include_in_schema=False)


class SignInNeeded(Exception):
    """No (or an ended) session: the answer is the sign-in page, never data."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def mount(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=str(HERE / "static")),
              name="console-static")

    @app.exception_handler(SignInNeeded)
    def to_sign_in(_request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse(f"/console/sign-in?next={quote(exc.target)}", status_code=303)


def _secure(request: Request) -> bool:
    """Secure cookies need https, except on this machine (browsers allow them there)."""
    host = (request.url.hostname or "").lower()
    return request.url.scheme == "https" or host in {"localhost", "127.0.0.1", "::1"}


def signed_in(request: Request) -> Session:
    secret = request.cookies.get(sessions.COOKIE)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not secret:
        raise SignInNeeded(target)
    try:
        session = sessions.find(request.app.state.engine, secret, request.app.state.clock())
    except Unauthorized:
        raise SignInNeeded(target) from None
    if session is None:
        raise SignInNeeded(target)
    if request.method not in ("GET", "HEAD"):
        _same_origin(request)
    request.state.person = session.person
    return session


Person = Annotated[Session, Depends(signed_in)]


# ---------------------------------------------------------------------- filters
def _zone(request: Request, store: str | None) -> tzinfo:
    if not store:
        return ZoneInfo("UTC")
    cache: dict[str, tzinfo] = request.state.__dict__.setdefault("zones", {})
    if store not in cache:
        name = register_health.zone(request.app.state.engine, store) or "UTC"
        try:
            cache[store] = ZoneInfo(name)
        except ZoneInfoNotFoundError:
            cache[store] = ZoneInfo("UTC")
    return cache[store]


def _helpers(request: Request) -> dict[str, Callable[..., str] | str]:
    locale = reader_locale(request)
    reader = Renderer(locale)

    def money(minor: int | None, currency: str) -> str:
        return "—" if minor is None else format_money(int(minor), currency, locale)

    def local(moment: datetime | str | None, store: str | None = None) -> str:
        if moment is None or moment == "":
            return "—"
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        zone = _zone(request, store)
        return Renderer(locale, zone).value("at", moment) + f" ({getattr(zone, 'key', zone)})"

    def pct(value: Any) -> str:
        return "—" if value is None else f"{value} %"

    def seconds(value: int | None) -> str:
        if value is None:
            return "—"
        minutes, secs = divmod(int(value), 60)
        return f"{minutes} min {secs:02d} s"

    def word(name: str, value: str) -> str:
        return reader.value(name, value)

    return {"money": money, "local": local, "pct": pct, "seconds": seconds, "word": word,
            "lang": reader.language, "gettext": reader.gettext, "_": reader.gettext,
            "ngettext": lambda s, p, n: reader.gettext(s if n == 1 else p)}


def page(request: Request, name: str, session: Session | None, status: int = 200,
         **context: Any) -> HTMLResponse:
    person = session.person if session else None
    return templates.TemplateResponse(request, name, {
        "person": person, "head_office": person is not None and person.role == HEAD_OFFICE,
        **_helpers(request), **context}, status_code=status)


def refused(request: Request, session: Session, exc: PosError) -> HTMLResponse:
    status = 403 if isinstance(exc, Forbidden) else 404 if exc.code.startswith(
        ("UNKNOWN", "NOTHING")) else 422
    return page(request, "refused.html", session, status=status,
                sentence=render(exc, locale=reader_locale(request)))


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput("INVALID_PERIOD", text=text[:20]) from None


def _store(text: str | None) -> str | None:
    return text.strip().upper() or None if text else None


# ---------------------------------------------------------------------- sign in / out
def _next(target: str | None) -> str:
    """Only a path of this console (never another site's address)."""
    if not target:
        return "/console/queue"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console"):
        return "/console/queue"
    return target


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return RedirectResponse("/console/queue", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
    return page(request, "sign_in.html", None, next=_next(next), error=None)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, user_id: Annotated[str, Form()] = "",
            password: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/console/queue") -> Response:
    _same_origin(request)
    state = request.app.state
    try:
        secret, _session = sessions.sign_in(state.engine, user_id.strip()[:64],
                                            password[:1024], state.clock())
    except PosError as exc:
        return page(request, "sign_in.html", None, status=401, next=_next(next),
                    error=render(exc, locale=reader_locale(request)), user_id=user_id[:64])
    response = RedirectResponse(_next(next), status_code=303)
    sessions.set_cookie(response, secret, secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/sign-out")
def sign_out(request: Request, session: Person) -> Response:
    sessions.sign_out(request.app.state.engine, session, request.app.state.clock())
    response = RedirectResponse("/console/sign-in", status_code=303)
    sessions.clear_cookie(response, secure=_secure(request))
    return response


# ---------------------------------------------------------------------- the queue
@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, session: Person, store: str | None = None,
          done: str | None = None, resolved: bool = False) -> HTMLResponse:
    try:
        items = reports.queue(request.app.state.engine, session.person, store=_store(store),
                              include_resolved=resolved)
    except PosError as exc:
        return refused(request, session, exc)
    return page(request, "queue.html", session, items=items, done=done, error=None,
                store=_store(store) or "", resolved=resolved)


@router.post("/queue/{uuid}/resolve", response_class=HTMLResponse)
def resolve(uuid: str, request: Request, session: Person,
            note: Annotated[str, Form()] = "") -> Response:
    engine = request.app.state.engine
    try:
        done = reconciliation.resolve(engine, session.person, uuid, note,
                                      request.app.state.clock())
    except BadInput as exc:
        items = reports.queue(engine, session.person)
        return page(request, "queue.html", session, status=422, items=items, done=None,
                    error=render(exc, locale=reader_locale(request)), failed=uuid, store="",
                    resolved=False)
    except PosError as exc:
        return refused(request, session, exc)
    number = next((i["number"] for i in reports.queue(engine, session.person,
                                                      include_resolved=True)
                   if i["uuid"] == done["uuid"]), uuid)
    return RedirectResponse(f"/console/queue?done={quote(number)}", status_code=303)


# ---------------------------------------------------------------------- the search
@router.get("/exchanges", response_class=HTMLResponse)
def exchanges(request: Request, session: Person, number: str = "", customer: str = "",
              brand: str = "", last4: str = "", start: str = "", end: str = "",
              store: str = "") -> HTMLResponse:
    asked = any((number, customer, brand, last4, start, end))
    try:
        rows = reports.search(request.app.state.engine, session.person,
                              number=number or None, customer=customer or None,
                              brand=brand or None, last4=last4 or None, first=_day(start),
                              last=_day(end), store=_store(store)) if asked else []
    except PosError as exc:
        return refused(request, session, exc)
    return page(request, "exchanges.html", session, rows=rows, asked=asked,
                form={"number": number, "customer": customer, "brand": brand,
                      "last4": last4, "start": start, "end": end, "store": store})


@router.get("/exchanges/{uuid}", response_class=HTMLResponse)
def exchange(uuid: str, request: Request, session: Person) -> HTMLResponse:
    try:
        found = reports.exchange(request.app.state.engine, session.person, uuid)
    except PosError as exc:
        return refused(request, session, exc)
    return page(request, "exchange.html", session, x=found, record=found["record"])


# ---------------------------------------------------------------------- the figures
def _metrics_or_refusal(call: Callable[[], Metrics],
                        locale: str) -> tuple[Metrics | None, str | None]:
    try:
        return call(), None
    except PosError as exc:
        if isinstance(exc, Forbidden):
            raise
        return None, render(exc, locale=locale)


@router.get("/metrics", response_class=HTMLResponse)
def metrics(request: Request, session: Person, start: str = "", end: str = "",
            store: str = "", csr: str = "", by: str = "store") -> HTMLResponse:
    engine, person = request.app.state.engine, session.person
    by = by if by in reports.GROUPS else "store"
    try:
        period = period_of(_day(start), _day(end), request.app.state.clock().date())
        chosen = _store(store)
        reconciliation.scope_of(person, chosen)        # 403 before any figure
        total, sentence = _metrics_or_refusal(lambda: reports.metrics(
            engine, person, period, store=chosen, csr=csr or None), reader_locale(request))
        groups = reports.grouped(engine, person, period, by, store=chosen, csr=csr or None)
    except PosError as exc:
        return refused(request, session, exc)
    locale = reader_locale(request)
    rows = [(key if isinstance(key, tuple) else (key,), value, render(value, locale=locale)
             if isinstance(value, PosError) else None) for key, value in groups.items()]
    return page(request, "metrics.html", session, total=total, sentence=sentence,
                rows=rows, by=by, period=period,
                form={"start": period.start.isoformat(), "end": period.end.isoformat(),
                      "store": store, "csr": csr})


@router.get("/registers", response_class=HTMLResponse)
def registers(request: Request, session: Person, store: str = "") -> HTMLResponse:
    try:
        scope = reports.scoped_store(session.person, _store(store))
    except PosError as exc:
        return refused(request, session, exc)
    rows = register_health.registers(request.app.state.engine, scope)
    return page(request, "registers.html", session, rows=rows)
