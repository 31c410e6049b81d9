"""Test-only fake of the Stripe API: localstripe behind a small stateful front server.

The app under test talks to ``StripeEmulator.url`` with the real stripe-python HTTP stack::

    client = stripe.StripeClient(TEST_API_KEY, base_addresses={"api": emulator.url})

Two aiohttp servers run in one background thread (its own asyncio loop), both bound to
127.0.0.1 on free ports:

* localstripe's routes (PyPI ``localstripe``), in a fresh ``web.Application`` without its
  save-to-disk middleware, and with its pickle dump switched off;
* the front server, which checks the API key, implements Stripe's idempotency layer,
  emulates the Terminal reader endpoints and ``test_helpers`` ``present_payment_method``,
  caps refunds, reshapes a few response fields, forwards the rest to localstripe, and
  injects faults on request (lost responses, delays, a reader that is never tapped).

README.md beside this file lists exactly what is emulated, forwarded and different from
Stripe. Full card numbers live only in localstripe's memory: the front keeps brand and
last four digits, fingerprints idempotent bodies with a per-run HMAC key, and logs
method, path, idempotency key and status only.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import copy
import dataclasses
import datetime
import hashlib
import hmac
import json
import re
import secrets
import socket
import string
import threading
import time
import uuid
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

import aiohttp
import localstripe.resources as ls_resources
from aiohttp import web
from multidict import MultiDict

with warnings.catch_warnings():  # its module-level app registers plain-function handlers
    warnings.simplefilter("ignore", DeprecationWarning)
    import localstripe.server as ls_server

if TYPE_CHECKING:
    import stripe

__all__ = [
    "DECLINES",
    "DEFAULT_CARD",
    "TEST_API_KEY",
    "Decline",
    "LoggedRequest",
    "StripeEmulator",
]

TEST_API_KEY = "sk_test_pos_exchange_emulator"
DEFAULT_CARD = "4242424242424242"
_LOCALSTRIPE_KEY = "sk_test_localstripe_internal"
_HOST = "127.0.0.1"


@dataclasses.dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str
    message: str


# Stripe's documented test cards (docs.stripe.com/testing#declined-payments and the
# Terminal simulated test cards). localstripe only declines these when *attaching* a card
# to a customer, so the emulator teaches its charge path about them (see _patch_localstripe).
DECLINES: dict[str, Decline] = {
    "4000000000000002": Decline("card_declined", "generic_decline", "Your card was declined."),
    "4000000000009995": Decline("card_declined", "insufficient_funds",
                                "Your card has insufficient funds."),
    "4000000000009987": Decline("card_declined", "lost_card", "Your card was declined."),
    "4000000000009979": Decline("card_declined", "stolen_card", "Your card was declined."),
    "4100000000000019": Decline("card_declined", "fraudulent", "Your card was declined."),
    "4000000000006975": Decline("card_declined", "card_velocity_exceeded",
                                "Your card was declined for making repeated attempts too "
                                "frequently or exceeding its amount limit."),
    "4000000000000069": Decline("expired_card", "expired_card", "Your card has expired."),
    "4000000000000119": Decline("processing_error", "processing_error",
                                "An error occurred while processing your card. "
                                "Try again in a little bit."),
    # localstripe's own "charge fails" card.
    "4000000000000341": Decline("card_declined", "generic_decline", "Your card was declined."),
}

_PI_OVERLAY_KEYS = frozenset({
    "payment_method_types", "description", "receipt_email", "statement_descriptor",
    "statement_descriptor_suffix", "automatic_payment_methods", "payment_method_options",
    "transfer_group",
})
_READER_RE = re.compile(r"^/v1/terminal/readers/(?P<id>[^/]+)(?:/(?P<action>[a-z_]+))?$")
_HELPER_RE = re.compile(r"^/v1/test_helpers/terminal/readers/(?P<id>[^/]+)/(?P<action>[a-z_]+)$")
_PI_RE = re.compile(r"^/v1/payment_intents/(?P<id>[^/]+)(?:/(?P<action>[a-z_]+))?$")
_KEY_RE = re.compile(r"^(sk|rk)_test_[A-Za-z0-9_]+$")
_NUMBER_RE = re.compile(r"^[0-9]{16}$")
_SIMULATED_CODES = {"simulated-wpe": "simulated_wisepos_e",
                    "simulated-s700": "simulated_stripe_s700"}

# localstripe keeps one global store per process: one emulator at a time.
_ACTIVE = threading.Lock()


class LoggedRequest(NamedTuple):
    """One request the front server received; ``status`` is None when the response was
    dropped on purpose (``drop_response_once``). Bodies are never logged."""

    method: str
    path: str
    idempotency_key: str | None
    status: int | None


@dataclasses.dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    replayed: bool = False


@dataclasses.dataclass(frozen=True)
class _Stored:
    method: str
    path: str
    fingerprint: str
    status: int
    body: bytes


@dataclasses.dataclass
class _DelayRule:
    seconds: float
    remaining: int
    method: str | None
    path: re.Pattern[str] | None
    after_processing: bool


def _json_reply(status: int, payload: Any) -> _Reply:
    return _Reply(status, json.dumps(payload, indent=2, sort_keys=True).encode() + b"\n")


def _error(status: int, message: str, *, type_: str = "invalid_request_error",
           code: str | None = None, param: str | None = None, **extra: Any) -> _Reply:
    err: dict[str, Any] = {"type": type_, "message": message}
    if code is not None:
        err["code"] = code
    if param is not None:
        err["param"] = param
    err.update(extra)
    return _json_reply(status, {"error": err})


def _tree(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe form encoding (``a[b][0]=c``) to nested dicts and lists, as localstripe does."""
    return ls_server.unflatten_data(MultiDict(pairs)) if pairs else {}


def _top(key: str) -> str:
    return key.split("[", 1)[0]


def _expand(tree: dict[str, Any]) -> set[str]:
    value = tree.get("expand")
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {str(v) for v in value.values()}
    if isinstance(value, list):
        return {str(v) for v in value}
    return set()


def _unknown(tree: dict[str, Any], allowed: Iterable[str]) -> _Reply | None:
    extra = sorted(set(tree) - set(allowed) - {"expand"})
    if extra:
        return _error(400, f"Received unknown parameter: {extra[0]}", param=extra[0])
    return None


INTERAC_CARD = "4506445006931933"  # Stripe's Interac test card (card_present here)


def _brand(number: str) -> str:
    if number == INTERAC_CARD:
        return "interac"
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    if number.startswith(("34", "37")):
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    if number.startswith("35"):
        return "jcb"
    return "unknown"


def _action_intent(action: dict[str, Any]) -> str | None:
    """The PaymentIntent a reader action is about, whatever its type."""
    details = action.get(action.get("type") or "") or {}
    return details.get("payment_intent")


def _mask(key: str) -> str:
    head = key[: key.find("_", 3) + 1] if key.count("_") >= 2 else key[:3]
    tail = key[-4:] if len(key) > len(head) + 4 else ""
    return head + "*" * max(len(key) - len(head) - len(tail), 4) + tail


def _random_id(prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(14))


def _bind_loopback() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((_HOST, 0))
    return sock


def _build_localstripe_app() -> web.Application:
    """localstripe's API routes in a fresh app: without its save-to-disk middleware,
    its js.stripe.com mock and its /_config endpoints."""
    app = web.Application(middlewares=[ls_server.error_middleware, ls_server.auth_middleware])
    for route in ls_server.app.router.routes():
        canonical = route.resource.canonical if route.resource is not None else ""
        if route.method == "HEAD" or not canonical.startswith("/v1/"):
            continue
        app.router.add_route(route.method, canonical, _as_coroutine(route.handler))
    return app


def _as_coroutine(handler: Any) -> Any:
    """aiohttp deprecates the plain functions localstripe uses for some routes."""
    if asyncio.iscoroutinefunction(handler):
        return handler

    async def wrapper(request: web.Request) -> web.StreamResponse:
        return handler(request)

    return wrapper


_original_charging_is_declined = ls_resources.PaymentMethod._charging_is_declined


def _charging_is_declined(self: Any) -> bool:
    if getattr(self, "type", None) == "card" and getattr(self, "_card_number", None) in DECLINES:
        return True
    return _original_charging_is_declined(self)


def _no_dump() -> None:
    """localstripe pickles its store (card numbers included) to /tmp on every write."""


def _patch_localstripe() -> None:
    ls_resources.store.clear()
    ls_resources.store.dump_to_disk = _no_dump
    ls_resources.PaymentMethod._charging_is_declined = _charging_is_declined


def _unpatch_localstripe() -> None:
    ls_resources.store.clear()
    ls_resources.store.__dict__.pop("dump_to_disk", None)
    ls_resources.PaymentMethod._charging_is_declined = _original_charging_is_declined


class StripeEmulator:
    """A started emulator serves ``url`` (front) and ``localstripe_url`` (back, for debugging).

    ``api_keys``: keys the front accepts; None accepts any ``sk_test_``/``rk_test_`` key.
    ``auto_present_delay``: seconds between ``process_payment_intent`` and the simulated
    tap when ``auto_present`` is on.
    All public methods are thread-safe and may be called while requests are in flight.
    """

    def __init__(self, *, api_keys: Iterable[str] | None = None,
                 auto_present_delay: float = 0.2) -> None:
        self._api_keys = frozenset(api_keys) if api_keys is not None else None
        self._auto_present_delay = auto_present_delay
        self._lock = threading.RLock()
        self._fp_secret = secrets.token_bytes(32)
        # Shared with the caller's thread: only touched under self._lock.
        self._readers: dict[str, dict[str, Any]] = {}
        self._pi_overlay: dict[str, dict[str, Any]] = {}
        self._charge_info: dict[str, dict[str, Any]] = {}
        self._pm_card: dict[str, dict[str, Any]] = {}
        self._refund_reason: dict[str, str] = {}
        self._idem: dict[tuple[str, str], _Stored] = {}
        self._drops: list[tuple[str, re.Pattern[str]]] = []
        self._delays: list[_DelayRule] = []
        self._auto_card: str | None = None
        self._log: list[LoggedRequest] = []
        # Event-loop-only state.
        self._idem_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._reader_locks: dict[str, asyncio.Lock] = {}
        self._refund_lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._runners: list[web.AppRunner] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._owns_active = False
        self._started = False
        self.url = ""
        self.localstripe_url = ""
        self.reader_id = ""  # the first registered reader

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> StripeEmulator:
        if self._started:
            raise RuntimeError("a StripeEmulator starts once: make a new one")
        self._started = True
        if not _ACTIVE.acquire(blocking=False):
            raise RuntimeError("another StripeEmulator is running in this process "
                               "(localstripe keeps a single global store)")
        self._owns_active = True
        front_sock = ls_sock = None
        try:
            _patch_localstripe()
            front_sock, ls_sock = _bind_loopback(), _bind_loopback()
            self.url = "http://{}:{}".format(*front_sock.getsockname()[:2])
            self.localstripe_url = "http://{}:{}".format(*ls_sock.getsockname()[:2])
            ready: concurrent.futures.Future[None] = concurrent.futures.Future()
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._run, args=(front_sock, ls_sock, ready),
                                            name="stripe-emulator", daemon=True)
            self._thread.start()
            ready.result(timeout=15)
        except BaseException:
            self._teardown()
            for sock in (front_sock, ls_sock):
                if sock is not None:
                    sock.close()
            raise
        return self

    def stop(self) -> None:
        """Stop both servers, join the thread, forget localstripe's data. Idempotent."""
        self._teardown()

    def __enter__(self) -> StripeEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _teardown(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=15)
        self._loop = self._thread = None
        if self._owns_active:
            _unpatch_localstripe()
            self._owns_active = False
            _ACTIVE.release()

    def _run(self, front_sock: socket.socket, ls_sock: socket.socket,
             ready: concurrent.futures.Future[None]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup(front_sock, ls_sock))
        except BaseException as exc:
            with contextlib.suppress(BaseException):
                loop.run_until_complete(self._shutdown())
            loop.close()
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    async def _startup(self, front_sock: socket.socket, ls_sock: socket.socket) -> None:
        self._refund_lock = asyncio.Lock()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        ls_runner = web.AppRunner(_build_localstripe_app(), access_log=None, shutdown_timeout=1)
        self._runners.append(ls_runner)
        await ls_runner.setup()
        await web.SockSite(ls_runner, ls_sock).start()
        front = web.Application()
        front.router.add_route("*", "/{tail:.*}", self._handle)
        front_runner = web.AppRunner(front, access_log=None, shutdown_timeout=1)
        self._runners.append(front_runner)
        await front_runner.setup()
        await web.SockSite(front_runner, front_sock).start()

    async def _shutdown(self) -> None:
        for runner in reversed(self._runners):
            with contextlib.suppress(Exception):
                await runner.cleanup()
        self._runners.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # ------------------------------------------------------------------ public API

    def client(self, api_key: str = TEST_API_KEY, **kwargs: Any) -> stripe.StripeClient:
        """A stripe-python ``StripeClient`` aimed at this emulator (kwargs pass through)."""
        import stripe

        return stripe.StripeClient(api_key, base_addresses={"api": self.url}, **kwargs)

    def register_reader(self, location: str = "tml_test", label: str | None = None,
                        device_type: str = "simulated_wisepos_e",
                        status: str = "online") -> dict[str, Any]:
        reader_id = _random_id("tmr_")
        reader = {
            "id": reader_id, "object": "terminal.reader", "action": None,
            "device_sw_version": "2.37.2.0", "device_type": device_type,
            "ip_address": "0.0.0.0", "label": label or f"Emulated reader {reader_id[-4:]}",
            "last_seen_at": int(time.time() * 1000), "livemode": False, "location": location,
            "metadata": {}, "serial_number": str(uuid.uuid4()), "status": status,
        }
        with self._lock:
            self._readers[reader_id] = reader
            self.reader_id = self.reader_id or reader_id
            return copy.deepcopy(reader)

    def reader(self, reader_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._readers[reader_id])

    @property
    def readers(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(r) for r in self._readers.values()]

    def set_reader_status(self, reader_id: str, status: str) -> None:
        """``"offline"`` makes process_payment_intent fail with terminal_reader_offline."""
        if status not in ("online", "offline"):
            raise ValueError("status must be 'online' or 'offline'")
        with self._lock:
            self._readers[reader_id]["status"] = status

    def auto_present(self, card_number: str | None, delay: float | None = None) -> None:
        """With a card number, every later process_payment_intent completes by itself after
        ``delay`` seconds (a customer tapping). With None, actions stay in_progress until
        present_payment_method or cancel_action: a stuck reader."""
        if card_number is not None and not _NUMBER_RE.match(card_number):
            raise ValueError("auto_present needs a 16-digit test card number or None")
        with self._lock:
            self._auto_card = card_number
            if delay is not None:
                self._auto_present_delay = delay

    def drop_response_once(self, method: str, path_regex: str) -> None:
        """The next matching request is processed in full (and stored for idempotency), then
        its connection is closed without a response: the client sees a connection error."""
        with self._lock:
            self._drops.append((method.upper(), re.compile(path_regex)))

    def delay(self, seconds: float, count: int = 1, *, method: str | None = None,
              path_regex: str | None = None, after_processing: bool = False) -> None:
        """Delay the next ``count`` matching requests by ``seconds``: before they are handled
        (a slow network) or, with ``after_processing``, after they took effect (a client
        timeout then loses a response Stripe accepted)."""
        with self._lock:
            self._delays.append(_DelayRule(seconds, count, method.upper() if method else None,
                                           re.compile(path_regex) if path_regex else None,
                                           after_processing))

    @property
    def requests_log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_requests_log(self) -> None:
        with self._lock:
            self._log.clear()

    # ------------------------------------------------------------------ front server

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method, path = request.method.upper(), request.path
        body = await request.read()
        idem_key = request.headers.get("Idempotency-Key") if method == "POST" else None
        before, after = self._take_delays(method, path)
        if before:
            await asyncio.sleep(before)
        api_key, reply = self._authenticate(request)
        if reply is None:
            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                pairs = []
                reply = _error(400, "The request body is not valid form-encoded UTF-8.")
            if reply is None and idem_key:
                reply = await self._idempotent(api_key, idem_key, method, path,
                                               request.query_string, pairs)
            elif reply is None:
                reply = await self._dispatch(method, path, request.query_string, pairs)
        if after:
            await asyncio.sleep(after)
        drop = self._take_drop(method, path)
        with self._lock:
            self._log.append(LoggedRequest(method, path, idem_key, None if drop else reply.status))
        if drop and request.transport is not None:
            request.transport.close()
            return web.Response(status=reply.status)  # never reaches the client
        headers = {"Request-Id": "req_" + secrets.token_hex(7),
                   "Stripe-Version": request.headers.get("Stripe-Version", "")}
        if idem_key:
            headers["Idempotency-Key"] = idem_key
        if reply.replayed:
            headers["Idempotent-Replayed"] = "true"
        return web.Response(status=reply.status, body=reply.body, headers=headers,
                            content_type="application/json")

    def _take_delays(self, method: str, path: str) -> tuple[float, float]:
        before = after = 0.0
        with self._lock:
            for rule in list(self._delays):
                if (rule.method and rule.method != method) or \
                        (rule.path and not rule.path.search(path)):
                    continue
                if rule.after_processing:
                    after += rule.seconds
                else:
                    before += rule.seconds
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._delays.remove(rule)
        return before, after

    def _take_drop(self, method: str, path: str) -> bool:
        with self._lock:
            for i, (m, pattern) in enumerate(self._drops):
                if m == method and pattern.search(path):
                    del self._drops[i]
                    return True
        return False

    def _authenticate(self, request: web.Request) -> tuple[str, _Reply | None]:
        header = request.headers.get("Authorization", "")
        key = ""
        if header.startswith("Bearer "):
            key = header[len("Bearer "):].strip()
        elif header.startswith("Basic "):
            with contextlib.suppress(ValueError):
                key = base64.b64decode(header[len("Basic "):]).decode().split(":", 1)[0]
        if not key:
            return "", _error(401, "You did not provide an API key. You need to provide your API "
                                   "key in the Authorization header, using Bearer auth (e.g. "
                                   "'Authorization: Bearer YOUR_SECRET_KEY').")
        if not _KEY_RE.match(key) or (self._api_keys is not None and key not in self._api_keys):
            return "", _error(401, f"Invalid API Key provided: {_mask(key)}")
        return key, None

    async def _idempotent(self, api_key: str, idem_key: str, method: str, path: str,
                          query: str, pairs: list[tuple[str, str]]) -> _Reply:
        slot = (api_key, idem_key)
        lock = self._idem_locks.setdefault(slot, asyncio.Lock())
        digest = hmac.new(self._fp_secret, repr(sorted(pairs)).encode(), hashlib.sha256)
        fingerprint = digest.hexdigest()
        async with lock:  # concurrent duplicates wait for the first one
            with self._lock:
                stored = self._idem.get(slot)
            if stored is not None:
                if (stored.method, stored.path) != (method, path):
                    return _error(400, "Keys for idempotent requests can only be used for the "
                                       "same endpoint they were first used for "
                                       f"('{stored.method} {stored.path}' vs '{method} {path}'). "
                                       f"Try using a key other than '{idem_key}' if you meant "
                                       "to execute a different request.",
                                  type_="idempotency_error")
                if not hmac.compare_digest(stored.fingerprint, fingerprint):
                    return _error(400, "Keys for idempotent requests can only be used with the "
                                       "same parameters they were first used with. Try using a "
                                       f"key other than '{idem_key}' if you meant to execute a "
                                       "different request.", type_="idempotency_error")
                return _Reply(stored.status, stored.body, replayed=True)
            reply = await self._dispatch(method, path, query, pairs)
            if reply.status not in (401, 409, 429):
                with self._lock:
                    self._idem[slot] = _Stored(method, path, fingerprint, reply.status, reply.body)
            return reply

    async def _dispatch(self, method: str, path: str, query: str,
                        pairs: list[tuple[str, str]]) -> _Reply:
        try:
            if path.startswith(("/v1/terminal/", "/v1/test_helpers/")) or \
                    path == "/v1/terminal/readers":
                return await self._terminal(method, path, query, pairs)
            if method == "POST" and path == "/v1/refunds":
                return await self._create_refund(pairs)
            if path == "/v1/payment_intents" or path.startswith("/v1/payment_intents/"):
                return await self._payment_intents(method, path, query, pairs)
            return await self._forward(method, path, query, pairs)
        except Exception as exc:  # a bug here must reach the test as an API error, not a hang
            return _error(500, f"Stripe emulator error: {type(exc).__name__}", type_="api_error")

    # ------------------------------------------------------------------ localstripe

    async def _ls(self, method: str, path: str, query: str = "",
                  pairs: list[tuple[str, str]] | None = None) -> tuple[int, Any]:
        assert self._session is not None
        url = self.localstripe_url + path + (f"?{query}" if query else "")
        headers = {"Authorization": f"Bearer {_LOCALSTRIPE_KEY}"}
        data = None
        if method in ("POST", "DELETE") and pairs is not None:
            data = urlencode(pairs)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        async with self._session.request(method, url, data=data, headers=headers) as resp:
            raw = await resp.read()
            status = resp.status
        try:
            payload = json.loads(raw)
        except ValueError:
            return 500, {"error": {"type": "api_error",
                                   "message": f"localstripe answered HTTP {status} without JSON"}}
        return status, payload

    async def _forward(self, method: str, path: str, query: str,
                       pairs: list[tuple[str, str]], *, expand: set[str] | None = None) -> _Reply:
        status, payload = await self._ls(method, path, query, pairs)
        if expand is None:
            expand = _expand(_tree(pairs)) | _expand(_tree(parse_qsl(query)))
        return _json_reply(status, self._reshape_response(status, payload, path, expand))

    def _reshape_response(self, status: int, payload: Any, path: str, expand: set[str]) -> Any:
        if status < 400:
            return self._reshape(payload, expand)
        err = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(err, dict):
            return {"error": {"type": "api_error", "message": "Unexpected error"}}
        if status == 402:
            err["type"] = "card_error"
        elif status == 404 and err.get("message") == "Not Found":
            parts = path.strip("/").split("/")
            if len(parts) >= 3:
                err["message"] = f"No such {parts[1].rstrip('s')}: '{parts[2]}'"
            err["code"] = "resource_missing"
        elif status >= 500:
            err["type"] = "api_error"
        return payload

    def _reshape(self, obj: Any, expand: set[str]) -> Any:
        if isinstance(obj, list):
            return [self._reshape(item, expand) for item in obj]
        if not isinstance(obj, dict):
            return obj
        kind = obj.get("object")
        if kind == "list" and isinstance(obj.get("data"), list):
            inner = {e[len("data."):] for e in expand if e.startswith("data.")}
            obj["data"] = [self._reshape(item, inner) for item in obj["data"]]
        elif kind == "payment_intent":
            self._reshape_pi(obj, expand)
        elif kind == "charge":
            self._reshape_charge(obj)
        elif kind == "payment_method":
            self._reshape_pm(obj)
        elif kind == "refund":
            with self._lock:
                obj["reason"] = self._refund_reason.get(obj.get("id", ""))
        return obj

    def _reshape_pi(self, pi: dict[str, Any], expand: set[str]) -> None:
        with self._lock:
            overlay = copy.deepcopy(self._pi_overlay.get(pi.get("id", ""), {}))
        pi.pop("charges", None)  # removed from the API in 2022-11-15
        pi["payment_method_types"] = overlay.get("payment_method_types") or ["card"]
        for key in ("description", "receipt_email", "statement_descriptor",
                    "statement_descriptor_suffix", "transfer_group", "automatic_payment_methods"):
            pi[key] = overlay.get(key)
        pi["payment_method_options"] = overlay.get("payment_method_options") or {}
        status = pi.get("status")
        amount = pi.get("amount") or 0
        pi["amount_received"] = amount if status == "succeeded" else 0
        pi["amount_capturable"] = amount if status == "requires_capture" else 0
        pi["canceled_at"] = overlay.get("canceled_at") if status == "canceled" else None
        pi["cancellation_reason"] = overlay.get("cancellation_reason") \
            if status == "canceled" else None
        charge = pi.get("latest_charge")
        if isinstance(charge, dict):
            pi["latest_charge"] = self._reshape_charge(charge) if "latest_charge" in expand \
                else charge.get("id")
        decline = overlay.get("last_decline")
        if status in ("requires_payment_method", "canceled") and \
                (decline or pi.get("last_payment_error")):
            pi["payment_method"] = None
            error = dict(pi.get("last_payment_error") or {})
            error["type"] = "card_error"
            error.update(decline or {})
            pi["last_payment_error"] = error

    def _reshape_charge(self, charge: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            info = copy.deepcopy(self._charge_info.get(charge.get("id", ""), {}))
        card = info.get("card")
        if card:
            charge["payment_method_details"] = {"type": "card_present", "card_present": card}
        captured = charge.get("captured") and charge.get("status") == "succeeded"
        charge["amount_captured"] = charge.get("amount", 0) if captured else 0
        decline = info.get("decline")
        if decline and charge.get("status") == "failed":
            charge["failure_code"] = decline["code"]
            charge["failure_message"] = decline["message"]
            charge["outcome"] = {"type": "issuer_declined", "reason": decline["decline_code"]}
        return charge

    def _reshape_pm(self, pm: dict[str, Any]) -> None:
        with self._lock:
            card = copy.deepcopy(self._pm_card.get(pm.get("id", "")))
        if card:
            pm["type"] = "card_present"
            pm.pop("card", None)
            pm["card_present"] = card

    # ------------------------------------------------------------------ payment intents

    async def _payment_intents(self, method: str, path: str, query: str,
                               pairs: list[tuple[str, str]]) -> _Reply:
        tree = _tree(pairs)
        expand = _expand(tree) | _expand(_tree(parse_qsl(query)))
        m = _PI_RE.match(path)
        pi_id, action = (m.group("id"), m.group("action")) if m else (None, None)
        if method != "POST" or action not in (None, "cancel"):
            return await self._forward(method, path, query, pairs, expand=expand)
        if action == "cancel":
            reason = tree.get("cancellation_reason")
            rest = [p for p in pairs if _top(p[0]) != "cancellation_reason"]
            reply = await self._forward(method, path, query, rest, expand=expand)
            if reply.status == 200 and pi_id:
                with self._lock:
                    overlay = self._pi_overlay.setdefault(pi_id, {})
                    overlay["cancellation_reason"] = reason
                    overlay["canceled_at"] = int(time.time())
                reply = await self._forward("GET", f"/v1/payment_intents/{pi_id}", "", [],
                                            expand=expand)
            return reply
        overlay = {k: v for k, v in tree.items() if k in _PI_OVERLAY_KEYS}
        rest = [p for p in pairs if _top(p[0]) not in _PI_OVERLAY_KEYS]
        if pi_id is not None and not [p for p in rest if _top(p[0]) != "expand"]:
            status, payload = await self._ls("GET", f"/v1/payment_intents/{pi_id}", urlencode(rest))
        else:
            status, payload = await self._ls(method, path, query, rest)
        if status == 200 and isinstance(payload, dict) and payload.get("id"):
            with self._lock:
                self._pi_overlay.setdefault(payload["id"], {}).update(overlay)
        return _json_reply(status, self._reshape_response(status, payload, path, expand))

    # ------------------------------------------------------------------ refunds

    async def _create_refund(self, pairs: list[tuple[str, str]]) -> _Reply:
        tree = _tree(pairs)
        rest = [p for p in pairs if _top(p[0]) not in ("reason", "instructions_email")]
        assert self._refund_lock is not None
        async with self._refund_lock:  # cap check and refund are one step
            charge: Any = None
            if isinstance(tree.get("payment_intent"), str):
                pi_id = tree["payment_intent"]
                status, pi = await self._ls("GET", f"/v1/payment_intents/{pi_id}")
                if status != 200:
                    return _json_reply(status, self._reshape_response(
                        status, pi, f"/v1/payment_intents/{pi_id}", set()))
                charge = pi.get("latest_charge")
                if not isinstance(charge, dict) or pi.get("status") != "succeeded":
                    return _error(400, f"This PaymentIntent ({pi_id}) does not have a successful "
                                       "charge to refund.", code="charge_not_refundable",
                                  param="payment_intent")
            elif isinstance(tree.get("charge"), str):
                status, charge = await self._ls("GET", f"/v1/charges/{tree['charge']}")
                if status != 200:
                    return _json_reply(status, self._reshape_response(
                        status, charge, f"/v1/charges/{tree['charge']}", set()))
            if isinstance(charge, dict):
                remaining = int(charge.get("amount", 0)) - int(charge.get("amount_refunded", 0))
                currency = charge.get("currency", "")
                if remaining <= 0:
                    return _error(400, f"Charge {charge.get('id')} has already been refunded.",
                                  code="charge_already_refunded")
                amount = tree.get("amount")
                if amount is not None and str(amount).isdigit() and int(amount) > remaining:
                    return _error(400, f"Refund amount ({int(amount)} {currency}, minor units) is "
                                       "greater than unrefunded amount on charge "
                                       f"({remaining} {currency}, minor units)",
                                  code="amount_too_large", param="amount")
            status, refund = await self._ls("POST", "/v1/refunds", "", rest)
            if status == 200 and isinstance(tree.get("reason"), str):
                with self._lock:
                    self._refund_reason[refund["id"]] = tree["reason"]
        return _json_reply(status, self._reshape_response(status, refund, "/v1/refunds",
                                                          _expand(tree)))

    # ------------------------------------------------------------------ terminal

    def _reader_lock(self, reader_id: str) -> asyncio.Lock:
        return self._reader_locks.setdefault(reader_id, asyncio.Lock())

    def _reader_snapshot(self, reader_id: str) -> dict[str, Any] | None:
        with self._lock:
            reader = self._readers.get(reader_id)
            return copy.deepcopy(reader) if reader is not None else None

    @staticmethod
    def _no_reader(reader_id: str) -> _Reply:
        return _error(404, f"No such terminal.reader: '{reader_id}'", code="resource_missing",
                      param="reader")

    async def _terminal(self, method: str, path: str, query: str,
                        pairs: list[tuple[str, str]]) -> _Reply:
        tree = _tree(pairs)
        if path == "/v1/terminal/readers":
            if method == "GET":
                return self._list_readers(_tree(parse_qsl(query)))
            if method == "POST":
                return self._create_reader(tree)
        elif m := _READER_RE.match(path):
            reader_id, action = m.group("id"), m.group("action")
            if action is None and method == "GET":
                reader = self._reader_snapshot(reader_id)
                return _json_reply(200, reader) if reader else self._no_reader(reader_id)
            if action is None and method == "POST":
                return self._update_reader(reader_id, tree)
            if action is None and method == "DELETE":
                with self._lock:
                    if self._readers.pop(reader_id, None) is None:
                        return self._no_reader(reader_id)
                return _json_reply(200, {"id": reader_id, "object": "terminal.reader",
                                         "deleted": True})
            if action == "process_payment_intent" and method == "POST":
                return await self._process_payment_intent(reader_id, tree)
            if action == "cancel_action" and method == "POST":
                return await self._cancel_action(reader_id, tree)
            if action == "refund_payment" and method == "POST":
                return await self._refund_payment(reader_id, tree)
        elif (m := _HELPER_RE.match(path)) and m.group("action") == "present_payment_method" \
                and method == "POST":
            return await self._present_payment_method(m.group("id"), tree)
        return _error(404, f"Unrecognized request URL ({method}: {path}). The Stripe emulator "
                           "implements only the Terminal reader endpoints listed in "
                           "tests/fakes/README.md.")

    def _list_readers(self, query: dict[str, Any]) -> _Reply:
        if bad := _unknown(query, ("location", "status", "device_type", "limit",
                                   "starting_after", "ending_before", "serial_number")):
            return bad
        limit = int(query.get("limit", 10)) if str(query.get("limit", 10)).isdigit() else 10
        with self._lock:
            found = [copy.deepcopy(r) for r in self._readers.values()
                     if all(query.get(k) in (None, r.get(k))
                            for k in ("location", "status", "device_type", "serial_number"))]
        return _json_reply(200, {"object": "list", "url": "/v1/terminal/readers",
                                 "has_more": len(found) > limit, "data": found[:limit]})

    def _create_reader(self, tree: dict[str, Any]) -> _Reply:
        if bad := _unknown(tree, ("registration_code", "label", "location", "metadata")):
            return bad
        code = tree.get("registration_code")
        if code not in _SIMULATED_CODES:
            return _error(400, "The Stripe emulator can only register simulated readers "
                               f"(registration_code in {sorted(_SIMULATED_CODES)}).",
                          param="registration_code")
        reader = self.register_reader(str(tree.get("location") or "tml_test"),
                                      tree.get("label"), _SIMULATED_CODES[code])
        if isinstance(tree.get("metadata"), dict):
            with self._lock:
                self._readers[reader["id"]]["metadata"].update(tree["metadata"])
                reader = copy.deepcopy(self._readers[reader["id"]])
        return _json_reply(200, reader)

    def _update_reader(self, reader_id: str, tree: dict[str, Any]) -> _Reply:
        if bad := _unknown(tree, ("label", "metadata")):
            return bad
        with self._lock:
            reader = self._readers.get(reader_id)
            if reader is None:
                return self._no_reader(reader_id)
            if "label" in tree:
                reader["label"] = tree["label"]
            if isinstance(tree.get("metadata"), dict):
                reader["metadata"].update(tree["metadata"])
            return _json_reply(200, copy.deepcopy(reader))

    async def _process_payment_intent(self, reader_id: str, tree: dict[str, Any]) -> _Reply:
        if bad := _unknown(tree, ("payment_intent", "process_config")):
            return bad
        pi_id = tree.get("payment_intent")
        if not isinstance(pi_id, str) or not pi_id:
            return _error(400, "Missing required param: payment_intent.",
                          code="parameter_missing", param="payment_intent")
        async with self._reader_lock(reader_id):
            reader = self._reader_snapshot(reader_id)
            if reader is None:
                return self._no_reader(reader_id)
            if reader["status"] != "online":
                return _error(400, "Reader is currently offline, please ensure the reader is "
                                   "powered on and connected to the internet before retrying "
                                   "your request.", code="terminal_reader_offline")
            action = reader["action"]
            if action and action["status"] == "in_progress":
                return _error(400, "Reader is currently busy processing another request, please "
                                   "retry after the current action completes or cancel it.",
                              code="terminal_reader_busy")
            status, pi = await self._ls("GET", f"/v1/payment_intents/{pi_id}")
            if status != 200:
                return _json_reply(status, self._reshape_response(
                    status, pi, f"/v1/payment_intents/{pi_id}", set()))
            pi = self._reshape(pi, set())
            if not {"card_present", "interac_present"} & set(pi["payment_method_types"]):
                return _error(400, "This PaymentIntent's payment_method_types must include "
                                   "card_present to be processed on a Terminal reader.",
                              param="payment_intent")
            if pi["status"] != "requires_payment_method":
                return _error(400, f"This PaymentIntent's status is {pi['status']}, but it must "
                                   "be requires_payment_method to be processed by a reader.",
                              code="payment_intent_unexpected_state", param="payment_intent")
            new_action: dict[str, Any] = {
                "type": "process_payment_intent", "status": "in_progress",
                "failure_code": None, "failure_message": None,
                "process_payment_intent": {"payment_intent": pi_id},
            }
            if isinstance(tree.get("process_config"), dict):
                new_action["process_payment_intent"]["process_config"] = tree["process_config"]
            with self._lock:
                self._readers[reader_id]["action"] = new_action
                self._readers[reader_id]["last_seen_at"] = int(time.time() * 1000)
                card, delay = self._auto_card, self._auto_present_delay
            if card is not None:
                task = asyncio.ensure_future(self._auto_complete(reader_id, pi_id, card, delay))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return _json_reply(200, self._reader_snapshot(reader_id))

    async def _auto_complete(self, reader_id: str, pi_id: str, number: str,
                             delay: float) -> None:
        await asyncio.sleep(delay)
        async with self._reader_lock(reader_id):
            reader = self._reader_snapshot(reader_id)
            action = reader and reader["action"]
            if action and action["status"] == "in_progress" and \
                    _action_intent(action) == pi_id:
                if action["type"] == "refund_payment":
                    await self._complete_refund(reader_id)
                else:
                    await self._complete_action(reader_id, pi_id, number)

    async def _refund_payment(self, reader_id: str, tree: dict[str, Any]) -> _Reply:
        """An in-person refund (Interac): the customer taps the card to receive it."""
        if bad := _unknown(tree, ("payment_intent", "amount", "metadata", "reason")):
            return bad
        pi_id, amount = tree.get("payment_intent"), tree.get("amount")
        if not isinstance(pi_id, str) or not pi_id:
            return _error(400, "Missing required param: payment_intent.",
                          code="parameter_missing", param="payment_intent")
        async with self._reader_lock(reader_id):
            reader = self._reader_snapshot(reader_id)
            if reader is None:
                return self._no_reader(reader_id)
            action = reader["action"]
            if action and action["status"] == "in_progress":
                return _error(400, "Reader is currently busy processing another request, please "
                                   "retry after the current action completes or cancel it.",
                              code="terminal_reader_busy")
            new_action = {"type": "refund_payment", "status": "in_progress",
                          "failure_code": None, "failure_message": None,
                          "refund_payment": {"payment_intent": pi_id,
                                             "amount": int(amount) if amount else None,
                                             "metadata": tree.get("metadata") or {}}}
            with self._lock:
                self._readers[reader_id]["action"] = new_action
                card, delay = self._auto_card, self._auto_present_delay
            if card is not None:
                task = asyncio.ensure_future(self._auto_complete(reader_id, pi_id, card, delay))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return _json_reply(200, self._reader_snapshot(reader_id))

    async def _complete_refund(self, reader_id: str) -> None:
        """The customer tapped for the refund: refund through the capped refund path."""
        with self._lock:
            action = self._readers[reader_id]["action"]
            details = dict(action["refund_payment"])
        pairs = [("payment_intent", details["payment_intent"])]
        if details.get("amount"):
            pairs.append(("amount", str(details["amount"])))
        pairs += [(f"metadata[{k}]", str(v)) for k, v in details["metadata"].items()]
        reply = await self._create_refund(pairs)
        body = json.loads(reply.body) if reply.body else {}
        with self._lock:
            action = self._readers[reader_id]["action"]
            if not action or action["type"] != "refund_payment":
                return  # cancelled meanwhile
            if reply.status == 200:
                action["refund_payment"]["refund"] = body.get("id")
                action.update(status="succeeded")
            else:
                error = body.get("error", {})
                action.update(status="failed", failure_code=error.get("code"),
                              failure_message=error.get("message"))

    async def _cancel_action(self, reader_id: str, tree: dict[str, Any]) -> _Reply:
        if bad := _unknown(tree, ()):
            return bad
        async with self._reader_lock(reader_id):
            with self._lock:
                reader = self._readers.get(reader_id)
                if reader is None:
                    return self._no_reader(reader_id)
                action = reader["action"]
                if not action or action["status"] != "in_progress":
                    return _error(400, "This reader has no action in progress to cancel.",
                                  param="reader")
                reader["action"] = None
                return _json_reply(200, copy.deepcopy(reader))

    async def _present_payment_method(self, reader_id: str, tree: dict[str, Any]) -> _Reply:
        if bad := _unknown(tree, ("type", "card_present", "amount_tip", "card",
                                  "interac_present")):
            return bad
        if tree.get("type", "card_present") != "card_present" or "card" in tree or \
                "interac_present" in tree:
            return _error(400, "The Stripe emulator simulates only type=card_present.",
                          param="type")
        if "amount_tip" in tree:
            return _error(400, "The Stripe emulator does not simulate on-reader tips.",
                          param="amount_tip")
        card_params = tree.get("card_present") or {}
        number = card_params.get("number", DEFAULT_CARD) if isinstance(card_params, dict) \
            else None
        if not isinstance(number, str) or not _NUMBER_RE.match(number):
            return _error(400, "The Stripe emulator accepts 16-digit test card numbers only.",
                          param="card_present[number]")
        async with self._reader_lock(reader_id):
            reader = self._reader_snapshot(reader_id)
            if reader is None:
                return self._no_reader(reader_id)
            if not reader["device_type"].startswith("simulated_"):
                return _error(400, "present_payment_method works only on simulated readers.")
            action = reader["action"]
            if action and action["status"] == "in_progress" and \
                    action["type"] == "refund_payment":
                await self._complete_refund(reader_id)
                return _json_reply(200, self._reader_snapshot(reader_id))
            if not action or action["status"] != "in_progress" or \
                    action["type"] != "process_payment_intent":
                return _error(400, "This reader has no process_payment_intent action in progress "
                                   "to present a payment method to.", param="reader")
            await self._complete_action(reader_id,
                                        action["process_payment_intent"]["payment_intent"],
                                        number)
            return _json_reply(200, self._reader_snapshot(reader_id))

    def _finish_action(self, reader_id: str, pi_id: str, decline: Decline | None) -> None:
        with self._lock:
            reader = self._readers.get(reader_id)
            action = reader and reader["action"]
            if not action or _action_intent(action) != pi_id:
                return  # cancelled meanwhile
            if decline is None:
                action.update(status="succeeded", failure_code=None, failure_message=None)
            else:
                action.update(status="failed", failure_code=decline.code,
                              failure_message=decline.message)

    async def _complete_action(self, reader_id: str, pi_id: str, number: str) -> None:
        """The customer presented ``number``: pay the intent in localstripe. Caller holds the
        reader lock."""
        with self._lock:
            self._pi_overlay.setdefault(pi_id, {}).pop("last_decline", None)
        status, pi = await self._ls("GET", f"/v1/payment_intents/{pi_id}")
        if status != 200 or pi.get("status") != "requires_payment_method":
            state = pi.get("status") if status == 200 else "missing"
            self._finish_action(reader_id, pi_id, Decline(
                "payment_intent_unexpected_state", "payment_intent_unexpected_state",
                f"The PaymentIntent is {state}: it cannot be paid."))
            return
        year = datetime.date.today().year + 3
        card = {"brand": _brand(number), "last4": number[-4:], "exp_month": 12,
                "exp_year": year, "funding": "credit", "country": "US",
                "network": _brand(number), "read_method": "contactless_emv"}
        status, pm = await self._ls("POST", "/v1/payment_methods", pairs=[
            ("type", "card"), ("card[number]", number), ("card[exp_month]", "12"),
            ("card[exp_year]", str(year)), ("card[cvc]", "123")])
        if status != 200:
            self._finish_action(reader_id, pi_id, DECLINES["4000000000000119"])
            return
        with self._lock:
            self._pm_card[pm["id"]] = card
        self._reset_failed_attempt(pi_id)
        await self._ls("POST", f"/v1/payment_intents/{pi_id}",
                       pairs=[("payment_method", pm["id"])])
        await self._ls("POST", f"/v1/payment_intents/{pi_id}/confirm", pairs=[])
        status, pi = await self._ls("GET", f"/v1/payment_intents/{pi_id}")
        state = pi.get("status") if status == 200 else None
        charge = pi.get("latest_charge") if status == 200 else None
        charge_id = charge.get("id") if isinstance(charge, dict) else None
        if state in ("succeeded", "requires_capture", "processing"):
            decline = None
        elif state == "requires_action":
            # localstripe's 3-D Secure test cards: a reader cannot authenticate them.
            self._reset_failed_attempt(pi_id, requires_action=True)
            decline = Decline("card_declined", "authentication_required",
                              "Your card was declined. This transaction requires authentication.")
        else:
            decline = DECLINES.get(number) or \
                Decline("card_declined", "generic_decline", "Your card was declined.")
        with self._lock:
            if charge_id:
                self._charge_info[charge_id] = {
                    "card": card,
                    "decline": None if decline is None else dataclasses.asdict(decline)}
            if decline is not None:
                self._pi_overlay.setdefault(pi_id, {})["last_decline"] = {
                    "code": decline.code, "decline_code": decline.decline_code,
                    "message": decline.message, "charge": charge_id,
                    "payment_method": {"id": pm["id"], "object": "payment_method",
                                       "type": "card_present", "card_present": card}}
        self._finish_action(reader_id, pi_id, decline)

    @staticmethod
    def _reset_failed_attempt(pi_id: str, requires_action: bool = False) -> None:
        """localstripe cannot confirm an intent whose last charge failed; Stripe can. Drop the
        failed charge link in localstripe's memory (the charge object itself stays), or, with
        ``requires_action``, the 3-D Secure step localstripe asked for."""
        obj = ls_resources.store.get("payment_intent:" + pi_id)
        if obj is None:
            return
        if requires_action and obj.next_action is not None:
            obj.next_action = None
            obj.payment_method = None
        elif obj.latest_charge is not None and obj.latest_charge.status == "failed":
            obj.latest_charge = None
            obj.payment_method = None
