"""Item 1 (webhook SSRF) and item 9 (signing secrets) of the hardening issue.

A hostile tenant points a webhook at the operator's own network — loopback written in every
form the resolver accepts, a name whose DNS answer changes after the check, a closed port —
and reads what came back in the delivery log. Deliveries go to real HTTP receivers on
127.0.0.1; the OS resolver (``socket.getaddrinfo``, not Adloom's code) is replaced for names
under ``.adloom.test`` so that DNS answers can be chosen, the way an attacker's DNS server would.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from factories import make_settings, make_workspace
from fastapi.testclient import TestClient
from sqlalchemy import select

from adloom.accounts import apikeys
from adloom.accounts import service as accounts
from adloom.app import create_app
from adloom.db import Database
from adloom.migrate import upgrade
from adloom.pipeline.runtime import Runtime
from adloom.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

SECRET_REPLY = b"root:x:0:0:internal-service-secret"
GENERIC_ERROR = "The receiver could not be reached."


class Receiver:
    """A real HTTP server on loopback that answers every POST with ``status`` and a secret body."""

    def __init__(self, status: int = 200, location: str = "", tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[dict[str, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.requests.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(SECRET_REPLY)))
                self.end_headers()
                self.wfile.write(SECRET_REPLY)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@dataclass
class Tenant:
    client: TestClient
    rt: Runtime
    write: dict[str, str]
    read: dict[str, str]


MakeTenant = Callable[..., Tenant]


@pytest.fixture()
def tenant(database_url: str, tmp_path: Path) -> Iterator[MakeTenant]:
    """Builds an app (private receivers refused unless asked) and a workspace with two keys."""
    runtimes: list[Runtime] = []

    def make(*, allow_private: bool = False) -> Tenant:
        settings = make_settings(tmp_path / str(len(runtimes)), database_url=database_url,
                                 webhook_allow_private=allow_private)
        rt = Runtime(settings, migrate=True)
        runtimes.append(rt)
        workspace_id = make_workspace(rt)
        with rt.db.session() as session:
            _, write = apikeys.create_api_key(session, workspace_id=workspace_id, name="w", scopes="write")
            _, read = apikeys.create_api_key(session, workspace_id=workspace_id, name="r", scopes="read")
        client = TestClient(create_app(settings, runtime=rt, workers=False))
        return Tenant(client, rt, {"Authorization": f"Bearer {write}"}, {"Authorization": f"Bearer {read}"})

    yield make
    for rt in runtimes:
        rt.close()


class FakeDNS:
    """Answers for ``*.adloom.test`` chosen by the test; every other name goes to the real resolver."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: dict[str, list[str]] = {}
        self.queries: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if not name.endswith(".adloom.test"):
                return real(host, port, *args, **kwargs)
            self.queries.append(name)
            answer = self.answers[name]
            address = answer.pop(0) if len(answer) > 1 else answer[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, int(port or 0), 0, 0) if family == socket.AF_INET6 else (address, int(port or 0))
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture()
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    return FakeDNS(monkeypatch)


def subscribe(t: Tenant, url: str) -> str:
    created = t.client.post("/api/v1/webhooks", json={"url": url}, headers=t.write)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def ping(t: Tenant, sub_id: str) -> dict[str, Any]:
    """Send a test event (delivered at once: the queue is immediate) and read its log entry."""
    delivery_id = t.client.post(f"/api/v1/webhooks/{sub_id}/test", headers=t.write).json()["delivery_id"]
    one = t.client.get(f"/api/v1/webhooks/{sub_id}/deliveries/{delivery_id}", headers=t.read)
    assert one.status_code == 200
    return dict(one.json())


INTERNAL_FORMS = [
    "http://127.0.0.1:{port}/x", "http://localhost:{port}/x", "http://LOCALHOST.:{port}/x",
    "http://sub.localhost:{port}/x", "http://[::1]:{port}/x", "http://2130706433:{port}/x",
    "http://0x7f000001:{port}/x", "http://017700000001:{port}/x", "http://127.1:{port}/x",
    "http://0x7f.1:{port}/x", "http://127.0.0.1.:{port}/x", "http://0.0.0.0:{port}/x", "http://[::]:{port}/x",
    "http://[::ffff:127.0.0.1]:{port}/x", "http://[::ffff:7f00:1]:{port}/x", "http://[64:ff9b::7f00:1]:{port}/x",
    "http://[2002:7f00:1::]:{port}/x", "http://user:pass@example.com:{port}/x",
    "http://example.com@127.0.0.1:{port}/x", "http://10.0.0.5:{port}/x", "http://172.16.3.4:{port}/x",
    "http://192.168.1.1:{port}/x", "http://100.64.0.1:{port}/x", "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/", "http://[fe80::1]:{port}/x", "http://[fc00::1]:{port}/x",
    "http://224.0.0.1:{port}/x", "http://240.0.0.1:{port}/x", "http://255.255.255.255:{port}/x",
    "gopher://example.com:{port}/x", "file:///etc/passwd",
]


def test_internal_receivers_are_refused_at_subscription(tenant: MakeTenant, receiver: Receiver) -> None:
    t = tenant()
    sub_id = subscribe(t, "https://8.8.8.8/hooks")
    accepted = []
    for form in INTERNAL_FORMS:
        url = form.format(port=receiver.port)
        created = t.client.post("/api/v1/webhooks", json={"url": url}, headers=t.write)
        moved = t.client.patch(f"/api/v1/webhooks/{sub_id}", json={"url": url}, headers=t.write)
        for answer in (created, moved):
            if answer.status_code != 422 or answer.json()["error"]["code"] != "webhook_url_refused":
                accepted.append(url)
    assert accepted == []
    assert [w["url"] for w in t.client.get("/api/v1/webhooks", headers=t.read).json()] == ["https://8.8.8.8/hooks"]
    assert receiver.requests == []


def test_a_name_resolving_inside_is_refused_at_subscription(tenant: MakeTenant, dns: FakeDNS) -> None:
    t = tenant()
    dns.answers["mixed.adloom.test"] = ["8.8.8.8"]
    subscribe(t, "http://mixed.adloom.test/x")  # a public answer is fine
    dns.answers["inside.adloom.test"] = ["10.1.2.3"]
    refused = t.client.post("/api/v1/webhooks", json={"url": "http://inside.adloom.test/x"}, headers=t.write)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "webhook_url_refused"
    assert "10.1.2.3" not in refused.text  # the operator's DNS answers are not shown


def test_dns_rebinding_to_loopback_is_refused_at_connect_time(
    tenant: MakeTenant, dns: FakeDNS, receiver: Receiver
) -> None:
    t = tenant()
    dns.answers["rebind.adloom.test"] = ["8.8.8.8"]  # public while the subscription is checked…
    sub_id = subscribe(t, f"http://rebind.adloom.test:{receiver.port}/hooks")
    dns.answers["rebind.adloom.test"] = ["127.0.0.1"]  # …loopback when the worker connects
    delivery = ping(t, sub_id)
    assert receiver.requests == []
    assert delivery["attempt_log"][0]["status_code"] is None
    assert delivery["attempt_log"][0]["error"] == GENERIC_ERROR


def test_closed_port_and_refused_address_look_the_same(tenant: MakeTenant, dns: FakeDNS) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dns.answers["closed.adloom.test"] = ["127.0.0.1"]
    on_prem = tenant(allow_private=True)
    closed = ping(on_prem, subscribe(on_prem, f"http://closed.adloom.test:{closed_port}/x"))
    hostile = tenant()
    dns.answers["refused.adloom.test"] = ["8.8.8.8", "127.0.0.1"]  # checked public, then loopback
    refused = ping(hostile, subscribe(hostile, f"http://refused.adloom.test:{closed_port}/x"))
    assert closed["state"] == refused["state"] == "pending"  # both will be retried
    for delivery in (closed, refused):
        assert delivery["last_error"] == delivery["attempt_log"][0]["error"] == GENERIC_ERROR


def test_receivers_reply_is_never_stored_or_shown_and_redirects_are_not_followed(tenant: MakeTenant) -> None:
    target = Receiver()
    redirecting = Receiver(status=302, location=target.url)
    answering = Receiver(status=200)
    try:
        t = tenant(allow_private=True)
        moved = ping(t, subscribe(t, redirecting.url))
        answered = ping(t, subscribe(t, answering.url))
        assert target.requests == [] and len(redirecting.requests) == 1
        assert moved["attempt_log"][0]["status_code"] == 302 and moved["state"] == "pending"
        assert answered["attempt_log"][0]["status_code"] == 200 and answered["state"] == "succeeded"
        for delivery in (moved, answered):
            assert delivery["attempt_log"][0]["response_excerpt"] == ""
            sub_id = delivery["subscription_id"]
            listing = t.client.get(f"/api/v1/webhooks/{sub_id}/deliveries", headers=t.read).text
            assert "internal-service-secret" not in listing
        with t.rt.db.session() as session:
            assert session.scalars(select(WebhookAttempt.response_excerpt)).all() == ["", ""]
    finally:
        for r in (target, redirecting, answering):
            r.close()


def test_delivery_connects_to_the_checked_address_with_the_original_host(
    tenant: MakeTenant, dns: FakeDNS, receiver: Receiver
) -> None:
    """Resolved once per attempt: a second answer (metadata) is never asked for nor used."""
    t = tenant(allow_private=True)
    dns.answers["pin.adloom.test"] = ["127.0.0.1"]
    sub_id = subscribe(t, f"http://pin.adloom.test:{receiver.port}/hooks")
    assert dns.queries == ["pin.adloom.test"]  # checked when subscribed…
    dns.queries.clear()
    dns.answers["pin.adloom.test"] = ["127.0.0.1", "169.254.169.254"]
    delivery = ping(t, sub_id)
    assert delivery["state"] == "succeeded"
    assert dns.queries == ["pin.adloom.test"]  # …and once more, only once, when delivered
    assert [r["host"] for r in receiver.requests] == [f"pin.adloom.test:{receiver.port}"]


def self_signed(tmp_path: Path, name: str) -> tuple[Path, ssl.SSLContext]:
    """A certificate for ``name`` (its own CA) and a server context that presents it."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    return cert_file, server


def test_https_to_the_pinned_address_still_verifies_the_certificate_against_the_name(
    tenant: MakeTenant, dns: FakeDNS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca_file, server_tls = self_signed(tmp_path, "tls.adloom.test")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # the on-premises CA
    secure = Receiver(tls=server_tls)
    try:
        t = tenant(allow_private=True)
        dns.answers["tls.adloom.test"] = ["127.0.0.1"]
        dns.answers["other.adloom.test"] = ["127.0.0.1"]  # same server, a name its certificate lacks
        good = ping(t, subscribe(t, f"https://tls.adloom.test:{secure.port}/hooks"))
        bad = ping(t, subscribe(t, f"https://other.adloom.test:{secure.port}/hooks"))
        assert good["state"] == "succeeded" and good["attempt_log"][0]["status_code"] == 200
        assert bad["attempt_log"][0]["error"] == GENERIC_ERROR
        assert [r["host"] for r in secure.requests] == [f"tls.adloom.test:{secure.port}"]
    finally:
        secure.close()


def test_signing_secret_is_shown_once_then_masked(tenant: MakeTenant) -> None:
    t = tenant()
    created = t.client.post("/api/v1/webhooks", json={"url": "https://8.8.8.8/hooks"}, headers=t.write).json()
    secret, sub_id = created["secret"], created["id"]
    assert secret.startswith("whsec_") and len(secret) > 30 and created["secret_masked"] is False
    reads = [
        t.client.get("/api/v1/webhooks", headers=t.read).json()[0],
        t.client.get(f"/api/v1/webhooks/{sub_id}", headers=t.read).json(),
        t.client.get(f"/api/v1/webhooks/{sub_id}", headers=t.write).json(),
        t.client.patch(f"/api/v1/webhooks/{sub_id}", json={"description": "x"}, headers=t.write).json(),
    ]
    for shown in reads:
        assert shown["secret"] == "whsec_…" + secret[-4:]
        assert shown["secret_masked"] is True
    rotated = t.client.patch(f"/api/v1/webhooks/{sub_id}", json={"rotate_secret": True}, headers=t.write).json()
    assert rotated["secret_masked"] is False and rotated["secret"] not in (secret, reads[0]["secret"])
    listing = t.client.get("/api/v1/webhooks", headers=t.read).text
    assert secret not in listing and rotated["secret"] not in listing


def test_replies_and_error_details_logged_before_the_upgrade_are_scrubbed(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db, "0003_merge")
        with db.session() as session:
            workspace_id = accounts.create_workspace(session, name="Old", welcome_credits=0).id
            sub = WebhookSubscription(workspace_id=workspace_id, url="http://127.0.0.1:6379/", secret="whsec_x")
            session.add(sub)
            session.flush()
            for n, (error, excerpt, code) in enumerate([("ConnectError: [Errno 111] Connection refused", "", None),
                                                        (None, "-ERR unknown command 'POST'", 500)]):
                delivery = WebhookDelivery(workspace_id=workspace_id, subscription_id=sub.id, msg_id=f"msg_{n}",
                                           event="webhook.test", last_status_code=code,
                                           last_error=error or f"HTTP {code}")
                session.add(delivery)
                session.flush()
                session.add(WebhookAttempt(delivery_id=delivery.id, attempt=1, status_code=code, error=error,
                                           response_excerpt=excerpt))
        upgrade(db)
        with db.session() as session:
            attempts = session.execute(select(WebhookAttempt.error, WebhookAttempt.response_excerpt)
                                       .order_by(WebhookAttempt.status_code.nulls_first())).all()
            errors = sorted(session.scalars(select(WebhookDelivery.last_error)).all())
        assert [tuple(a) for a in attempts] == [(GENERIC_ERROR, ""), (None, "")]
        assert errors == ["HTTP 500", GENERIC_ERROR]
    finally:
        db.dispose()
