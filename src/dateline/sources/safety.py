"""Which URLs the fetcher may touch.

The fetcher can be pointed at arbitrary URLs by users (CLI, web API, feed
entries, redirects), so before every connection - the first request and each
redirect hop - the host is resolved and *every* address it resolves to is
checked. One private address among public ones is enough to refuse, since the
connection could land on any of them.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from dateline.errors import FetchError, Forbidden

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
_HINT = "(use --allow-private to allow)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A checked URL: where it points and the addresses that were accepted."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to. Tests replace this to fake DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    seen: list[str] = []
    for info in infos:
        addr = info[4][0].split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in seen:
            seen.append(addr)
    return seen


def classify_address(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address, or None when it is."""
    # An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 host.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return classify_address(ip.ipv4_mapped)
    # Order matters: 127.0.0.1 is also "private" to the ipaddress module,
    # and the most specific word makes the clearest message.
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        # e.g. 100.64.0.0/10 (carrier-grade NAT) is neither private nor global.
        return "not a public address"
    return None


def address_refusal(address: str) -> str | None:
    """Why connecting to ``address`` is refused, or None when it is public."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    return classify_address(ip)


def check_address(address: str, *, allow_private: bool = False) -> None:
    """Raise Forbidden unless ``address`` is public (or private ones are allowed)."""
    if allow_private:
        return
    reason = address_refusal(address)
    if reason:
        raise Forbidden(f"refused: {address} is {reason} {_HINT}")


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, *, allow_private: bool = False) -> Target:
    """Validate scheme and host of ``url`` before any connection is made.

    Raises Forbidden for a refused scheme or address, FetchError when the
    host cannot be resolved.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Forbidden(f"refused: malformed URL {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}://" if scheme else "a URL without a scheme"
        raise Forbidden(f"refused: {shown} is not allowed ({url!r}); only http and https are fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Forbidden(f"refused: no host in URL {url!r}")
    if parts.username or parts.password:
        raise Forbidden(f"refused: credentials in URL {url!r}")
    port = port or (443 if scheme == "https" else 80)

    literal = _literal_ip(host)
    if literal is not None:
        addresses = [host]  # as written, so the message shows what the user typed
    elif allow_private:
        # Nothing to check, and resolving here would only add a DNS round trip.
        return Target(url, scheme, host, port, ())
    else:
        addresses = resolve_host(host, port)
        if not addresses:
            raise FetchError(f"cannot resolve host {host!r}: no addresses")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason is None:
                continue
            if literal is not None:
                raise Forbidden(f"refused: {address} is {reason} {_HINT}")
            # Name the host too, so the user sees where the address came from.
            raise Forbidden(f"refused: {host} resolves to {address}, which is {reason} {_HINT}")
    return Target(url, scheme, host, port, tuple(addresses))


class GuardedBackend(httpcore.SyncBackend):
    """Checks the address at connect time and connects to exactly that address.

    ``check_url`` runs before each request, but the HTTP client resolves the
    name again when it connects; a hostile DNS server can answer "public"
    the first time and "127.0.0.1" the second (DNS rebinding). Resolving
    here and connecting to the checked IP closes that gap. TLS still uses
    the hostname (SNI and certificate checks happen on the stream later).
    """

    def __init__(self, *, allow_private: bool = False):
        super().__init__()
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        if self.allow_private:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = [host] if _literal_ip(host) is not None else resolve_host(host, port)
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise Forbidden(f"refused: {host} resolves to {address}, which is {reason} {_HINT}")
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        if last_error is None:
            raise httpcore.ConnectError(f"no addresses for {host}")
        raise last_error


def guarded_transport(*, allow_private: bool = False, **kwargs) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through GuardedBackend."""
    transport = httpx.HTTPTransport(**kwargs)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = GuardedBackend(allow_private=allow_private)
    else:  # a future httpx/httpcore moved things; the pre-request check still applies
        log.warning("cannot install the connect-time address guard on this httpx version")
    return transport
