"""What webhook trust costs per webhook: ``python -m bench.webhook_ingest [--count N]``.

Three figures, on this machine, in one process and without a network (httpx's ASGI transport):
1. the Standard Webhooks check alone (headers, tolerance, HMAC-SHA256), with one secret and
   with two (during a rotation);
2. one webhook through the gateway's own route (``/webhooks/supplier-portal``, which starts
   nothing in Temporal) with the signature check and the replay guard (a SQLite write per
   accepted id), against the same route without them (the body read as plain JSON).
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import Body, Depends, FastAPI, Request
from standardwebhooks.webhooks import Webhook

from gateway import webhooks
from gateway.webhook_auth import SYSTEMS, WebhookSettings, WebhookTrust, install, new_secret

ROUNDS = 5
EVENT = {
    "eventId": "5f0c1d9e-0000-4000-8000-000000000001",
    "eventType": "ScarCreated",
    "occurredAt": "2026-03-02T10:15:00+00:00",
    "correlationId": "corr-bench",
    "supplierId": "17300001",
    "scar": {"id": "SCAR-1", "reason": "2 drums crusted", "lots": ["B6000001"]},
}


def signature_headers(secret: str, body: bytes) -> dict[str, str]:
    """As a sender signs: a fresh id each time, so the gateway accepts every one."""
    message_id = f"msg_bench_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body.decode()),
    }


def trust(store: Path, secrets: dict[str, list[str]]) -> WebhookTrust:
    return WebhookTrust.from_settings(
        WebhookSettings.model_validate(
            {**{f"secrets_{s}": ",".join(secrets[s]) for s in SYSTEMS}, "id_store": store}
        )
    )


def per_call_us(count: int, call: Any) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1e6


def baseline_app() -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/supplier-portal", status_code=202)
    async def unsigned(payload: dict[str, Any] = Body()) -> dict[str, Any]:
        return {"status": "noted", "kind": payload.get("eventType")}

    return app


def signature_only_app(checks: WebhookTrust) -> FastAPI:
    """The same route with the signature check but no replay guard."""
    app = FastAPI()

    async def signed(request: Request) -> dict[str, Any]:
        body = await request.body()
        checks.verify("supplier_portal", body, request.headers)
        payload: dict[str, Any] = json.loads(body)
        return payload

    @app.post("/webhooks/supplier-portal", status_code=202)
    async def checked(payload: dict[str, Any] = Depends(signed)) -> dict[str, Any]:
        return {"status": "noted", "kind": payload.get("eventType")}

    return app


def gateway_app(checks: WebhookTrust) -> FastAPI:
    app = FastAPI()
    install(app, checks)
    app.include_router(webhooks.router)
    return app


async def per_request_us(app: FastAPI, count: int, signed_with: str | None) -> float:
    body = json.dumps(EVENT).encode()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        started = time.perf_counter()
        for _ in range(count):
            headers = {"content-type": "application/json"}
            if signed_with:
                headers |= signature_headers(signed_with, body)  # a new id each: all accepted
            response = await http.post("/webhooks/supplier-portal", content=body, headers=headers)
            assert response.status_code == 202, response.text
        return (time.perf_counter() - started) / count * 1e6


async def main(count: int) -> None:
    secrets = {system: [new_secret()] for system in SYSTEMS}
    body = json.dumps(EVENT).encode()
    with tempfile.TemporaryDirectory() as tmp:
        one = trust(Path(tmp) / "a.db", secrets)
        two = trust(Path(tmp) / "b.db", {s: [new_secret(), *secrets[s]] for s in SYSTEMS})
        headers = signature_headers(secrets["supplier_portal"][0], body)
        verify_one = per_call_us(count, lambda: one.verify("supplier_portal", body, headers))
        verify_two = per_call_us(count, lambda: two.verify("supplier_portal", body, headers))
        print(f"signature check alone, 1 secret:            {verify_one:8.1f} us per webhook")
        print(f"signature check alone, 2 secrets (rotation): {verify_two:8.1f} us per webhook")

        # The three routes take turns, ROUNDS times; the median of each damps a busy machine.
        secret = secrets["supplier_portal"][0]
        apps = {
            "without": (baseline_app(), None),
            "signature": (signature_only_app(one), secret),
            "everything": (gateway_app(one), secret),
        }
        samples: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(ROUNDS):
            for name, (app, signed_with) in apps.items():
                samples[name].append(await per_request_us(app, count // ROUNDS, signed_with))
        without, signature, everything = (statistics.median(samples[n]) for n in apps)
        print(f"route without checks:                       {without:8.1f} us per webhook")
        print(f"route with the signature check:             {signature:8.1f} us per webhook")
        print(f"route with signature check + replay guard:  {everything:8.1f} us per webhook")
        print(f"cost of the signature check:                {signature - without:8.1f} us")
        print(f"cost of the replay guard (SQLite):          {everything - signature:8.1f} us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="webhooks per measurement")
    asyncio.run(main(parser.parse_args().count))
