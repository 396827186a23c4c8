"""Where a webhook may be sent: receiver URLs checked against SSRF, and a pinned POST.

A tenant chooses the URL, and the worker that sends it sits inside the operator's network, so
a URL is an attempt to make Adloom talk to something on the tenant's behalf. The rules:

- only ``http``/``https``, no ``user:pass@`` (credentials in URLs end up in logs), no
  ``localhost`` names;
- the host is normalised the way the C resolver reads it (``2130706433``, ``0x7f000001``,
  ``017700000001``, ``127.1``, ``[::ffff:127.0.0.1]`` are all 127.0.0.1) and every address it
  names or resolves to must be public: no loopback, private, link-local, unique-local, shared,
  multicast, unspecified, reserved or cloud-metadata address — unless the operator allows
  private receivers (``webhook_allow_private``, on-premises installs), which still never
  allows the metadata, multicast, unspecified and reserved ones;
- at connect time the host is resolved *once*, every address is checked, and the request goes
  to the checked address (Host header and TLS SNI/certificate check use the original name),
  so a DNS answer that changes between check and connect (rebinding) cannot redirect it;
- redirects are not followed and the receiver's body is never read: only its status code.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from adloom.errors import WebhookURLRefused

log = logging.getLogger("adloom.webhooks")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

UNREACHABLE = "The receiver could not be reached."  # the one message for every network failure
TIMEOUT_SECONDS = 10.0

CLOUD_METADATA = frozenset({
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack…
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
})
# Refused even when private receivers are allowed: nothing legitimate listens there.
NEVER_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32", "::/128", "ff00::/8",
))
SHARED_NETWORK = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")
# The forms inet_aton(3) accepts: one to four parts, each decimal, octal (0…) or hex (0x…).
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$")


@dataclass(frozen=True)
class Receiver:
    """A checked receiver URL split into what the connection needs."""

    url: str
    scheme: str
    host: str  # lower-case, no brackets, no trailing dot
    port: int
    literal: IPAddress | None  # the address when the host is written as one

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def refuse(url: str, why: str) -> WebhookURLRefused:
    return WebhookURLRefused(
        f"The webhook URL '{url[:200]}' is not allowed: {why}.",
        hint="Use a public http(s) URL such as https://hooks.example.com/adloom; receivers on "
             "private networks need the operator setting ADLOOM_WEBHOOK_ALLOW_PRIVATE=true.",
    )


def parse_receiver(url: str) -> Receiver:
    """The receiver a URL names, or WebhookURLRefused; does not touch the network."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        httpx.URL(url)
        host, port = parts.hostname, parts.port
    except (ValueError, httpx.InvalidURL):
        raise refuse(url, "it is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host or not url.isprintable() or " " in url:
        raise refuse(url, "only http and https URLs with a host name can receive webhooks")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse(url, "it carries a user name or password; put credentials in the path or a header instead")
    host = host.rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or not host:
        raise refuse(url, "it names this machine")
    try:
        literal = literal_address(host)
    except ValueError:
        raise refuse(url, "its host is written as a number that is not an address") from None
    port = port or (443 if parts.scheme == "https" else 80)
    return Receiver(url=url, scheme=parts.scheme, host=host, port=port, literal=literal)


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, in any form the resolver accepts;
    None for a name, ValueError for a number that is no address (``1.2.3.999``)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if not _LEGACY_IPV4.match(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise ValueError(f"{host} is not an IPv4 address") from None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64_NETWORK:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return address.teredo[1] if address.teredo is not None else None


def address_problem(address: IPAddress, *, allow_private: bool) -> str | None:
    """What kind of address a receiver may not be at, or None when ``address`` is allowed."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return address_problem(inner, allow_private=allow_private)
    if address in CLOUD_METADATA:
        return "a cloud metadata address"
    if address.is_loopback or address.is_link_local:  # before "reserved": ::1 lies in ::/8
        return None if allow_private else "a loopback, private, link-local or otherwise non-public address"
    never = any(address in network for network in NEVER_NETWORKS)
    if never or address.is_multicast or address.is_reserved or address.is_unspecified:
        return "a multicast, unspecified or reserved address"
    public = address.is_global and address not in SHARED_NETWORK
    if not public and not allow_private:
        return "a loopback, private, link-local or otherwise non-public address"
    return None


def check_receiver_url(url: str, *, allow_private: bool) -> str:
    """The URL, stripped, if a webhook may be subscribed to it; WebhookURLRefused otherwise.

    A name that does not resolve yet is accepted (the receiver may not be deployed yet): the
    check that counts is the one at connect time, which every delivery makes."""
    receiver = parse_receiver(url)
    try:
        resolve(receiver, allow_private=allow_private)
    except socket.gaierror:
        pass
    return receiver.url


def resolve(receiver: Receiver, *, allow_private: bool) -> IPAddress:
    """The one address to connect to: every address the host resolves to must be allowed."""
    if receiver.literal is not None:
        addresses = [receiver.literal]
    else:
        infos = socket.getaddrinfo(receiver.host, receiver.port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    for address in addresses:
        problem = address_problem(address, allow_private=allow_private)
        if problem and receiver.literal is not None:
            raise refuse(receiver.url, f"{address} is {problem}")
        if problem:  # the resolved address is not shown: it would map the operator's DNS
            raise refuse(receiver.url, f"{receiver.host} resolves to {problem}")
    if not addresses:
        raise socket.gaierror(f"{receiver.host} has no address")
    return addresses[0]


def pinned_url(receiver: Receiver, address: IPAddress) -> httpx.URL:
    """The receiver's URL with its host replaced by the checked address."""
    return httpx.URL(receiver.url).copy_with(host=str(address))


def post(url: str, body: bytes, hdrs: dict[str, str], *, allow_private: bool) -> tuple[int | None, str | None]:
    """(status code, error) of one POST to a checked, pinned address; never raises.

    Every failure — refused address, DNS, refused connection, timeout, TLS — gives the same
    error text, so the delivery log cannot be used to map the network; the log has the detail."""
    try:
        receiver = parse_receiver(url)
        return _send(receiver, resolve(receiver, allow_private=allow_private), body, hdrs), None
    except (WebhookURLRefused, OSError, httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        log.info("webhook to %s failed: %s: %s", url[:200], type(exc).__name__, exc)
        return None, UNREACHABLE


def _send(receiver: Receiver, address: IPAddress, body: bytes, hdrs: dict[str, str]) -> int:
    """POST to ``address`` as if to the receiver's host name; the status code, body unread."""
    request_headers = {**hdrs, "host": receiver.host_header}
    # The TLS handshake names (SNI) and verifies the certificate against the original host.
    extensions = {"sni_hostname": receiver.host} if receiver.scheme == "https" else {}
    # Proxies from the environment would connect elsewhere than the checked address, so the
    # environment is not trusted for them; it still is for CA files (SSL_CERT_FILE/DIR), which
    # on-premises installs use for their private CA.
    verify = httpx.create_ssl_context(trust_env=True)
    client = httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False, verify=verify)
    with client, client.stream("POST", pinned_url(receiver, address), content=body, headers=request_headers,
                               extensions=extensions) as response:
        return response.status_code
