"""The real hub app under uvicorn on 127.0.0.1, in a thread: started, stopped, restarted."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from sqlalchemy import Engine

from pos_exchange.hub.api import create_app


class HubServer:
    """stop() and start() again keep the same port, like a hub that was down a while."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> HubServer:
        config = uvicorn.Config(create_app(self.engine), host="127.0.0.1", port=self.port,
                                log_config=None, access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "uvicorn did not stop"
