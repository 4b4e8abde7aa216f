"""TLS, mTLS and API-key settings for the Temporal connection: refused at start when unusable,
and on the wire when usable. A small TLS + HTTP/2 listener (certificates from trustme) stands
in for the frontend: it records the server name the client asked for, the client certificate
it presented and the headers of its first gRPC call (a dev server with TLS is not needed)."""

import asyncio
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.events
import pytest
import trustme

from runtime.settings import SettingsError, connection_options
from runtime.temporal_client import connect

SERVER_NAME = "temporal.plant.example"
VARIABLES = ["TLS", "TLS_CA", "TLS_CERT", "TLS_KEY", "TLS_SERVER_NAME", "API_KEY"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(f"TEMPORAL_{name}", raising=False)


@dataclass
class Pki:
    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    ca = trustme.CA()
    client = ca.issue_cert("plantflow-worker.plant.example")
    files = Pki(ca, tmp_path / "ca.pem", tmp_path / "client.pem", tmp_path / "client.key")
    ca.cert_pem.write_to_path(str(files.ca_file))
    client.cert_chain_pems[0].write_to_path(str(files.cert_file))
    client.private_key_pem.write_to_path(str(files.key_file))
    return files


@dataclass
class Seen:
    server_name: str | None = None
    client_cert: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    called: asyncio.Event = field(default_factory=asyncio.Event)


async def frontend(pki: Pki, seen: Seen) -> asyncio.Server:
    """A TLS listener that demands a client certificate signed by the CA and speaks HTTP/2
    long enough to read the first request's headers."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    pki.ca.issue_cert(SERVER_NAME).configure_cert(context)
    pki.ca.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["h2"])

    def remember_name(_sock: Any, name: str | None, _ctx: Any) -> None:
        seen.server_name = name

    context.sni_callback = remember_name

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.client_cert = writer.get_extra_info("peercert") or {}
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        writer.write(conn.data_to_send())
        while not seen.called.is_set() and (data := await reader.read(65536)):
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    seen.headers = {
                        (k.decode() if isinstance(k, bytes) else k): (
                            v.decode() if isinstance(v, bytes) else v
                        )
                        for k, v in event.headers or []
                    }
                    seen.called.set()
            writer.write(conn.data_to_send())
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)


async def test_mtls_server_name_and_api_key_reach_the_wire(
    pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEMPORAL_TLS_CA", str(pki.ca_file))
    monkeypatch.setenv("TEMPORAL_TLS_CERT", str(pki.cert_file))
    monkeypatch.setenv("TEMPORAL_TLS_KEY", str(pki.key_file))
    monkeypatch.setenv("TEMPORAL_TLS_SERVER_NAME", SERVER_NAME)
    monkeypatch.setenv("TEMPORAL_API_KEY", "plant-key-123")
    seen = Seen()
    server = await frontend(pki, seen)
    port = server.sockets[0].getsockname()[1]
    attempt = asyncio.create_task(connect(f"127.0.0.1:{port}", "plant-ns"))
    try:
        await asyncio.wait_for(seen.called.wait(), timeout=30)
    finally:
        attempt.cancel()
        server.close()
    assert seen.server_name == SERVER_NAME
    names = [value for kind, value in seen.client_cert.get("subjectAltName", ()) if kind == "DNS"]
    assert names == ["plantflow-worker.plant.example"]
    assert seen.headers["authorization"] == "Bearer plant-key-123"
    assert seen.headers[":path"].startswith("/temporal.api.workflowservice.v1.WorkflowService/")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"TLS_CERT": "{cert}"}, "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together"),
        ({"TLS_KEY": "{key}"}, "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together"),
        ({"TLS": "false", "TLS_CA": "{ca}"}, "TEMPORAL_TLS=false contradicts"),
        ({"TLS": "false", "API_KEY": "k-1"}, "sent only over TLS"),
        ({"API_KEY": "two words"}, "TEMPORAL_API_KEY is empty or contains whitespace"),
        ({"TLS_CA": "{missing}"}, "TEMPORAL_TLS_CA="),
        ({"TLS_CA": "{key}"}, "not a PEM file with a CERTIFICATE block"),
        ({"TLS_CERT": "{cert}", "TLS_KEY": "{cert}"}, "TEMPORAL_TLS_KEY="),
        ({"TLS": "maybe"}, "TEMPORAL_TLS: Input should be a valid boolean"),
    ],
    ids=[
        "cert-alone",
        "key-alone",
        "tls-off-with-ca",
        "api-key-in-clear",
        "blank-api-key",
        "missing-ca-file",
        "key-as-ca",
        "cert-as-key",
        "not-a-boolean",
    ],
)
def test_unusable_settings_are_refused_at_start(
    pki: Pki, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], message: str
) -> None:
    paths = {
        "cert": pki.cert_file,
        "key": pki.key_file,
        "ca": pki.ca_file,
        "missing": pki.ca_file.with_name("nowhere.pem"),
    }
    for name, value in settings.items():
        monkeypatch.setenv(f"TEMPORAL_{name}", value.format(**paths))
    with pytest.raises(SettingsError, match=message):
        connection_options()


def test_no_settings_is_a_plain_connection() -> None:
    options = connection_options()
    assert (options.tls, options.api_key) == (None, None)


def test_the_api_key_alone_leaves_tls_to_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tls=None`` with an API key: the SDK turns TLS on with the system's CAs."""
    monkeypatch.setenv("TEMPORAL_API_KEY", "cloud-key")
    options = connection_options()
    assert (options.tls, options.api_key) == (None, "cloud-key")
