"""A real HTTP server on 127.0.0.1 for the source tests.

Each test gets its own server on an ephemeral port. Routes are plain
functions taking the request handler, so a test can serve exactly the
misbehaviour it needs (slow, huge, compressed, failing N times).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from dateline.sources.fetch import Fetcher

Route = Callable[[BaseHTTPRequestHandler], None]

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n"


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    host: str
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def route(self, path: str, fn: Route) -> None:
        self.routes[path] = fn

    def page(self, path: str, body: bytes | str, *, status: int = 200, ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def serve(h: BaseHTTPRequestHandler) -> None:
            send(h, status, data, ctype, headers)

        self.routes[path] = serve


def send(h: BaseHTTPRequestHandler, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def gzip_bomb(expanded: int = 64 * 1024 * 1024) -> bytes:
    """Gzip of ``expanded`` zero bytes: about 1/1000 of the size."""
    return gzip.compress(b"\0" * expanded, compresslevel=9)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits.append(Hit(path, {k.lower(): v for k, v in self.headers.items()}))
                site.active += 1
                site.max_active = max(site.max_active, site.active)
            try:
                route = site.routes.get(path)
                if route is None:
                    send(self, 404, b"not found", "text/plain")
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up on purpose (size cap, timeout)
            finally:
                with site.lock:
                    site.active -= 1

    return Handler


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # handler set below, once Site knows the port
    host, port = server.server_address[:2]
    s = Site(host=host, port=port)
    server.RequestHandlerClass = _handler(s)
    server.daemon_threads = True
    s.page("/robots.txt", DEFAULT_ROBOTS, ctype="text/plain")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetcher():
    """A fetcher for the local server: private addresses allowed, no politeness delay, quick retries."""
    f = Fetcher(allow_private=True, min_delay=0.0, timeout=2.0, backoff=0.01, retries=3)
    yield f
    f.close()


class RewriteTransport(httpx.HTTPTransport):
    """Sends requests for ``fake_host`` to the local server, as DNS would for a real host."""

    def __init__(self, fake_host: str, port: int):
        super().__init__()
        self.fake_host = fake_host
        self.port = port

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == self.fake_host:
            request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return super().handle_request(request)


def slow(seconds: float, body: bytes = b"<html><body>late</body></html>") -> Route:
    def serve(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(h, 200, body)

    return serve


@pytest.fixture
def tools():
    """The helpers above, as a fixture: test modules cannot import conftest under importlib mode."""
    from types import SimpleNamespace

    return SimpleNamespace(send=send, slow=slow, gzip_bomb=gzip_bomb, RewriteTransport=RewriteTransport)
