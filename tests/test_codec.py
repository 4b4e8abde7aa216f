"""Payload encryption: the codec, its settings, a workflow's stored history, the codec server."""

import base64
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from pydantic import BaseModel
from temporalio import workflow
from temporalio.api.common.v1 import Payload
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    import httpx
    import pytest
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from google.protobuf import json_format
    from pydantic import ValidationError
    from temporalio.contrib.pydantic import pydantic_data_converter

    from gateway.identity_settings import IdentitySettings
    from runtime.codec import (
        ENCRYPTED,
        KEY_ID_METADATA,
        EncryptionCodec,
        PayloadDecryptionError,
        PayloadKeySettings,
        data_converter,
    )
    from runtime.codec_server import create_app
    from stack.identity_provider import IdentityProvider, identity_provider
    from stack.temporal import start_time_skipping

SECRET = "crack at weld seam, lot L-4711"
OLD_KEY, NEW_KEY = AESGCM.generate_key(bit_length=256), AESGCM.generate_key(bit_length=256)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def plain(text: str = SECRET) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(text).encode())


class Finding(BaseModel):
    lot: str
    text: str


@workflow.defn
class EchoFinding:
    @workflow.run
    async def run(self, finding: Finding) -> Finding:
        return Finding(lot=finding.lot, text=f"seen: {finding.text}")


async def test_round_trip_stamps_key_id_and_hides_plaintext() -> None:
    codec = EncryptionCodec({"k1": OLD_KEY}, "k1")
    [encrypted] = await codec.encode([plain()])
    assert encrypted.metadata["encoding"] == ENCRYPTED
    assert encrypted.metadata[KEY_ID_METADATA] == b"k1"
    assert SECRET.encode() not in encrypted.data
    assert await codec.decode([encrypted]) == [plain()]


async def test_payload_of_an_older_key_decrypts_after_rotation() -> None:
    [before] = await EncryptionCodec({"k1": OLD_KEY}, "k1").encode([plain()])
    rotated = EncryptionCodec({"k1": OLD_KEY, "k2": NEW_KEY}, "k2")
    [after] = await rotated.encode([plain()])
    assert after.metadata[KEY_ID_METADATA] == b"k2"
    assert await rotated.decode([before, after]) == [plain(), plain()]


async def test_unencrypted_payloads_pass_through() -> None:
    assert await EncryptionCodec({"k1": OLD_KEY}, "k1").decode([plain()]) == [plain()]


async def test_tampered_or_unknown_key_refused() -> None:
    codec = EncryptionCodec({"k1": OLD_KEY}, "k1")
    [encrypted] = await codec.encode([plain()])
    tampered = Payload()
    tampered.CopyFrom(encrypted)
    tampered.data = encrypted.data[:-1] + bytes([encrypted.data[-1] ^ 1])
    with pytest.raises(PayloadDecryptionError, match="failed authentication"):
        await codec.decode([tampered])
    with pytest.raises(PayloadDecryptionError, match="'k1'.*not in PLANTFLOW_PAYLOAD_KEYS"):
        await EncryptionCodec({"k2": NEW_KEY}, "k2").decode([encrypted])


@pytest.mark.parametrize(
    ("keys", "key_id", "message"),
    [
        ("k1:not base64!", "k1", "PLANTFLOW_PAYLOAD_KEYS: the key of 'k1' is not valid base64"),
        (f"k1:{b64(OLD_KEY[:16])}", "k1", "PLANTFLOW_PAYLOAD_KEYS: the key of 'k1' is 16 bytes"),
        (b64(OLD_KEY), "k1", "PLANTFLOW_PAYLOAD_KEYS: entry 1 is not 'keyid:base64key'"),
        (f"k1:{b64(OLD_KEY)},k1:{b64(NEW_KEY)}", "k1", "key id 'k1' appears twice"),
        (f"k1:{b64(OLD_KEY)}", None, "PLANTFLOW_PAYLOAD_KEY_ID must name the current key"),
        (f"k1:{b64(OLD_KEY)}", "k9", "PLANTFLOW_PAYLOAD_KEY_ID: 'k9' is not a key id"),
        (None, "k1", "PLANTFLOW_PAYLOAD_KEY_ID: 'k1' is not a key id"),
    ],
)
def test_malformed_environment_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, keys: str | None, key_id: str | None, message: str
) -> None:
    for name, value in [("PLANTFLOW_PAYLOAD_KEYS", keys), ("PLANTFLOW_PAYLOAD_KEY_ID", key_id)]:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message) as refused:
        PayloadKeySettings()
    assert b64(OLD_KEY) not in str(refused.value)


def test_no_keys_means_no_encryption(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANTFLOW_PAYLOAD_KEYS", raising=False)
    monkeypatch.delenv("PLANTFLOW_PAYLOAD_KEY_ID", raising=False)
    assert data_converter() is pydantic_data_converter


async def test_workflow_history_is_encrypted_at_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTFLOW_PAYLOAD_KEYS", f"k1:{b64(OLD_KEY)},k2:{b64(NEW_KEY)}")
    monkeypatch.setenv("PLANTFLOW_PAYLOAD_KEY_ID", "k2")
    async with await start_time_skipping() as env:
        task_queue = f"codec-{uuid.uuid4()}"
        async with Worker(env.client, task_queue=task_queue, workflows=[EchoFinding]):
            handle = await env.client.start_workflow(
                EchoFinding.run,
                Finding(lot="L-4711", text=SECRET),
                id=f"codec-{uuid.uuid4()}",
                task_queue=task_queue,
            )
            assert await handle.result() == Finding(lot="L-4711", text=f"seen: {SECRET}")
        history = await handle.fetch_history()

    started = history.events[0].workflow_execution_started_event_attributes
    completed = history.events[-1].workflow_execution_completed_event_attributes
    for stored in [*started.input.payloads, *completed.result.payloads]:
        assert stored.metadata["encoding"] == ENCRYPTED
        assert stored.metadata[KEY_ID_METADATA] == b"k2"
        assert SECRET.encode() not in stored.data


@pytest.fixture
async def idp(tmp_path: Path) -> AsyncIterator[IdentityProvider]:
    async with identity_provider(tmp_path) as running:
        yield running


async def test_codec_server_decodes_for_the_web_ui_for_readers_only(idp: IdentityProvider) -> None:
    codec = EncryptionCodec({"k1": OLD_KEY}, "k1")
    [encrypted] = await codec.encode([plain()])
    body = {"payloads": [json_format.MessageToDict(encrypted)]}
    ui = "http://localhost:8233"
    identity = IdentitySettings(issuer=idp.issuer, audience=idp.audience)
    app = create_app(codec, [ui], identity, ["quality_manager", "supervisor"])
    reader = {"Origin": ui, **(await idp.headers("qa.lee"))}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://codec") as http:
        response = await http.post("/decode", json=body, headers=reader)
        preflight = await http.options(
            "/decode",
            headers={"Origin": ui, "Access-Control-Request-Method": "POST"},
        )
        tampered = await http.post(
            "/decode",
            json={"payloads": [{**body["payloads"][0], "data": b64(b"x" * 40)}]},
            headers=reader,
        )
        unknown_key = EncryptionCodec({"k9": NEW_KEY}, "k9")
        [foreign] = await unknown_key.encode([plain()])
        unknown = await http.post(
            "/decode",
            json={"payloads": [json_format.MessageToDict(foreign)]},
            headers=reader,
        )
        anonymous = await http.post("/decode", json=body, headers={"Origin": ui})
        engineer = await http.post(
            "/decode", json=body, headers={"Origin": ui, **(await idp.headers("qa.ortiz"))}
        )
        elsewhere = {"Origin": "http://evil.example"}
        other_origin = await http.post("/decode", json=body, headers={**reader, **elsewhere})
        other_preflight = await http.options(
            "/decode", headers={**elsewhere, "Access-Control-Request-Method": "POST"}
        )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ui
    [decoded] = response.json()["payloads"]
    assert json.loads(base64.b64decode(decoded["data"])) == SECRET
    assert base64.b64decode(decoded["metadata"]["encoding"]) == b"json/plain"
    assert preflight.headers["access-control-allow-origin"] == ui
    for refused in (tampered, unknown):
        assert refused.status_code == 400
        assert refused.json()["detail"]["error"] == "undecodable_payload"
        assert "k1" not in refused.text and "k9" not in refused.text  # no key ids
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"]["error"] == "missing_token"
    assert engineer.status_code == 403
    assert "quality_manager, supervisor" in engineer.json()["detail"]["message"]
    assert "access-control-allow-origin" not in other_origin.headers
    assert "access-control-allow-origin" not in other_preflight.headers
