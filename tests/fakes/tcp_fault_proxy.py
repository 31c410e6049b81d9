"""A small threaded HTTP/1.1 proxy on 127.0.0.1 that injects network faults in front of a
server (the hub), for reliability tests.

One request per connection: the proxy reads one request (headers + ``Content-Length`` body;
chunked request bodies are not supported), forwards it upstream with ``Connection: close``,
reads the whole response, and sends it back with ``Connection: close`` (requests' Session
simply reconnects for the next call). Faults, switchable at any time (thread-safe):

* ``down``: accepted connections are closed at once, nothing is read or forwarded;
* ``error_rate``: that fraction of requests is answered ``500`` by the proxy itself, never
  forwarded;
* ``delay_s`` / ``delay_rate``: that fraction of requests waits ``delay_s`` before it is
  forwarded (slow network);
* ``drop_after_commit_rate``: that fraction is forwarded, the full response read, and the
  client connection then closed WITHOUT the response: the server did the work, the client
  never hears.

Fault decisions come from one seeded ``random.Random`` (under a lock). ``counters`` counts
each kind of fault injected plus ``forwarded`` (responses delivered) and ``connections``.
Every socket has a timeout and every loop a bound; ``stop()`` closes the listener and joins
the threads.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from types import TracebackType

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
SOCKET_TIMEOUT_S = 20.0
ERROR_BODY = b'{"detail": "injected fault: the proxy answered 500"}'


class ProxyError(Exception):
    """The request or response could not be parsed or read within the bounds."""


class TcpFaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, seed: int = 0,
                 host: str = "127.0.0.1") -> None:
        if host != "127.0.0.1":
            raise ValueError("the fault proxy listens on 127.0.0.1 only")
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._down = False
        self._error_rate = 0.0
        self._delay_s = 0.0
        self._delay_rate = 1.0
        self._drop_rate = 0.0
        self._counters: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._handlers: set[threading.Thread] = set()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy",
                                          daemon=True)
        self._acceptor.start()

    # -- switches (thread-safe) --------------------------------------------------------

    def set_down(self, down: bool) -> None:
        with self._lock:
            self._down = bool(down)

    def set_error_rate(self, rate: float) -> None:
        with self._lock:
            self._error_rate = _rate(rate)

    def set_delay(self, seconds: float, rate: float = 1.0) -> None:
        if seconds < 0:
            raise ValueError("delay must be >= 0")
        with self._lock:
            self._delay_s, self._delay_rate = float(seconds), _rate(rate)

    def set_drop_after_commit_rate(self, rate: float) -> None:
        with self._lock:
            self._drop_rate = _rate(rate)

    def clear_faults(self) -> None:
        with self._lock:
            self._down, self._error_rate, self._delay_s, self._drop_rate = False, 0.0, 0.0, 0.0

    @property
    def counters(self) -> dict[str, int]:
        """A copy: down, error_500, delayed, dropped_after_commit, forwarded, connections,
        proxy_errors."""
        with self._lock:
            return dict(self._counters)

    # -- lifecycle -----------------------------------------------------------------------

    def stop(self) -> None:
        """Stop listening and wait (bounded) for the connection handlers. Idempotent."""
        self._stopping.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            handlers = list(self._handlers)
        for thread in handlers:
            thread.join(timeout=SOCKET_TIMEOUT_S)

    def __enter__(self) -> TcpFaultProxy:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------

    def _count(self, key: str) -> None:
        with self._lock:
            self._counters[key] += 1

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._handle, args=(client,), daemon=True)
            with self._lock:
                self._counters["connections"] += 1
                self._handlers = {t for t in self._handlers if t.is_alive()}
                self._handlers.add(thread)
            thread.start()

    def _decide(self) -> tuple[bool, bool, float, bool]:
        """(down, answer 500, delay seconds, drop after commit) for one connection."""
        with self._lock:
            if self._down:
                self._counters["down"] += 1
                return True, False, 0.0, False
            if self._rng.random() < self._error_rate:
                self._counters["error_500"] += 1
                return False, True, 0.0, False
            delay = 0.0
            if self._delay_s and self._rng.random() < self._delay_rate:
                delay = self._delay_s
                self._counters["delayed"] += 1
            drop = self._rng.random() < self._drop_rate
            return False, False, delay, drop

    def _handle(self, client: socket.socket) -> None:
        with client:
            client.settimeout(SOCKET_TIMEOUT_S)
            down, error, delay, drop = self._decide()
            if down:
                return  # closed at once: the client sees a reset / disconnect
            try:
                request = _read_request(client)
                if error:
                    client.sendall(b"HTTP/1.1 500 Internal Server Error\r\n"
                                   b"Content-Type: application/json\r\n"
                                   b"Content-Length: " + str(len(ERROR_BODY)).encode() +
                                   b"\r\nConnection: close\r\n\r\n" + ERROR_BODY)
                    return
                if delay:
                    time.sleep(delay)
                response = self._forward(request)
                if drop:
                    self._count("dropped_after_commit")
                    return  # the server committed; the client never hears
                client.sendall(response)
                self._count("forwarded")
            except (OSError, ProxyError):
                self._count("proxy_errors")

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=SOCKET_TIMEOUT_S) as up:
            up.sendall(request)
            chunks, size = [], 0
            while True:  # the upstream closes after one response (Connection: close)
                chunk = up.recv(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise ProxyError("response too large")
                chunks.append(chunk)
        raw = b"".join(chunks)
        head, sep, body = raw.partition(b"\r\n\r\n")
        if not sep:
            raise ProxyError("no complete response from upstream")
        return _with_connection_close(head) + b"\r\n\r\n" + body


def _rate(rate: float) -> float:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("a rate is between 0 and 1")
    return float(rate)


def _read_request(sock: socket.socket) -> bytes:
    """One request, rewritten to ``Connection: close``."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEADER_BYTES:
            raise ProxyError("request headers too large")
        chunk = sock.recv(65536)
        if not chunk:
            raise ProxyError("client closed before a full request")
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        elif name.strip().lower() == b"transfer-encoding":
            raise ProxyError("chunked request bodies are not supported")
    if length > MAX_BODY_BYTES:
        raise ProxyError("request body too large")
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        if not chunk:
            raise ProxyError("client closed mid-body")
        body += chunk
    return _with_connection_close(head) + b"\r\n\r\n" + body[:length]


def _with_connection_close(head: bytes) -> bytes:
    lines = [line for line in head.split(b"\r\n")
             if line.partition(b":")[0].strip().lower() not in (b"connection", b"keep-alive")]
    return b"\r\n".join([*lines, b"Connection: close"])
