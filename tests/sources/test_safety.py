from __future__ import annotations

import httpx
import pytest

from dateline.errors import Forbidden
from dateline.sources import safety
from dateline.sources.fetch import Fetcher

PUBLIC_IP = "93.184.215.14"  # a routable address; no connection is ever made to it


class RecordingTransport(httpx.BaseTransport):
    """Fails the test if the fetcher tries to connect at all."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        return httpx.Response(200, text="should never be reached")


@pytest.fixture
def fake_dns(monkeypatch):
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise AssertionError(f"unexpected DNS lookup for {host}")
        return table[host]

    monkeypatch.setattr(safety, "resolve_host", resolve)
    return table


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address (use --allow-private to allow)"),
        ("http://127.0.0.1:8080/", "refused: 127.0.0.1 is a loopback address"),
        ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
        ("http://192.168.1.1/", "refused: 192.168.1.1 is a private address"),
        ("http://[::1]/", "refused: ::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a loopback address"),
        ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"),
        ("http://100.64.0.1/", "refused: 100.64.0.1 is not a public address"),
        ("file:///etc/passwd", "refused: file:// is not allowed"),
        ("ftp://example.org/x", "refused: ftp:// is not allowed"),
        ("gopher://example.org/", "refused: gopher:// is not allowed"),
    ],
)
def test_refused_before_any_connection(url, message):
    transport = RecordingTransport()
    with Fetcher(min_delay=0, transport=transport) as f:
        with pytest.raises(Forbidden) as info:
            f.fetch(url)
    assert info.value.message.startswith(message)
    assert transport.requests == []  # neither the page nor robots.txt was requested


def test_every_resolved_address_is_checked(fake_dns):
    fake_dns["internal.test"] = ["10.1.2.3"]
    fake_dns["mixed.test"] = [PUBLIC_IP, "127.0.0.1"]
    fake_dns["public.test"] = [PUBLIC_IP]
    with pytest.raises(Forbidden, match=r"internal.test resolves to 10.1.2.3, which is a private address"):
        safety.check_url("http://internal.test/")
    with pytest.raises(Forbidden, match=r"mixed.test resolves to 127.0.0.1, which is a loopback"):
        safety.check_url("https://mixed.test/a")
    target = safety.check_url("https://public.test/a")
    assert target.addresses == (PUBLIC_IP,) and target.port == 443


def test_numeric_host_spellings_are_resolved_then_refused():
    # 2130706433 is 127.0.0.1 written as one number; getaddrinfo decodes it offline.
    with pytest.raises(Forbidden, match="resolves to 127.0.0.1"):
        safety.check_url("http://2130706433/")


def test_allow_private_lets_local_addresses_through():
    assert safety.check_url("http://127.0.0.1:9/", allow_private=True).host == "127.0.0.1"
    with pytest.raises(Forbidden):
        safety.check_url("file:///etc/passwd", allow_private=True)


def test_credentials_in_url_refused():
    with pytest.raises(Forbidden, match="credentials"):
        safety.check_url("http://user:pw@example.org/")


def test_redirect_from_public_host_to_loopback_is_refused(site, fake_dns, tools):
    """public.test passes the check (fake DNS says public); its redirect to 127.0.0.1 must not be followed."""
    fake_dns["public.test"] = [PUBLIC_IP]
    site.page("/go", "", status=302, headers={"Location": f"http://127.0.0.1:{site.port}/secret"})
    site.page("/secret", "internal data")
    site.page("/ok", "<html><body>fine</body></html>")
    transport = tools.RewriteTransport("public.test", site.port)
    with Fetcher(min_delay=0, retries=0, transport=transport) as f:
        # The first hop really goes through: the public-looking host is served.
        assert f.fetch("http://public.test/ok").content == b"<html><body>fine</body></html>"
        with pytest.raises(Forbidden, match=r"refused: 127.0.0.1 is a loopback address"):
            f.fetch("http://public.test/go")
    assert site.count("/go") == 1
    assert site.count("/secret") == 0


def test_redirect_to_a_host_resolving_privately_is_refused(site, fake_dns, tools):
    fake_dns["public.test"] = [PUBLIC_IP]
    fake_dns["metadata.test"] = ["169.254.169.254"]
    site.page("/go", "", status=301, headers={"Location": "http://metadata.test/latest/"})
    with Fetcher(min_delay=0, retries=0, transport=tools.RewriteTransport("public.test", site.port)) as f:
        with pytest.raises(Forbidden, match="metadata.test resolves to 169.254.169.254, which is a link-local"):
            f.fetch("http://public.test/go")


def test_redirect_to_file_scheme_is_refused(site, fake_dns, tools):
    fake_dns["public.test"] = [PUBLIC_IP]
    site.page("/go", "", status=302, headers={"Location": "file:///etc/passwd"})
    with Fetcher(min_delay=0, retries=0, transport=tools.RewriteTransport("public.test", site.port)) as f:
        with pytest.raises(Forbidden, match="file:// is not allowed"):
            f.fetch("http://public.test/go")


def test_dns_rebinding_is_caught_at_connect_time(site, monkeypatch):
    """The name looks public when checked, then resolves to loopback when the client connects."""
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    monkeypatch.setattr(safety, "resolve_host", lambda host, port: next(answers))
    site.page("/secret", "internal data")
    with Fetcher(min_delay=0, retries=0, respect_robots=False) as f:
        with pytest.raises(Forbidden, match="rebind.test resolves to 127.0.0.1, which is a loopback address"):
            f.fetch(f"http://rebind.test:{site.port}/secret")
    assert site.count("/secret") == 0


def test_guarded_backend_connects_to_the_checked_address(site, monkeypatch):
    """It dials the IP it checked, never re-resolving: "anything.test" has no real DNS entry."""
    monkeypatch.setattr(safety, "resolve_host", lambda host, port: ["127.0.0.1"])
    backend = safety.GuardedBackend(allow_private=False)
    with pytest.raises(Forbidden, match="anything.test resolves to 127.0.0.1"):
        backend.connect_tcp("anything.test", site.port)
    monkeypatch.setattr(safety, "address_refusal", lambda address: None)  # pretend 127.0.0.1 is public
    stream = backend.connect_tcp("anything.test", site.port, timeout=2)
    stream.write(b"GET /robots.txt HTTP/1.0\r\nHost: anything.test\r\n\r\n")
    assert stream.read(100).startswith(b"HTTP/1.0 200")
    stream.close()
