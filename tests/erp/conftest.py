"""Fixtures: the reference ERP on a free port with the demo data, a webhook receiver it
delivers its events to, and the SAP adapter pointed at it."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.plant_config import Settings
from refsystems.common.admin import admin_auth
from refsystems.erp.app import create_app
from refsystems.erp.planner import seed_demo
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.helpers import settings_for

UNUSED_URL = "http://127.0.0.1:9"


@dataclass
class Receiver:
    """A tiny webhook endpoint that remembers what it was sent."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
async def receiver(serve: ServeFn) -> Receiver:
    app = FastAPI()
    hook = Receiver(url="")

    @app.post("/webhooks/erp")
    async def webhook(request: Request) -> dict[str, bool]:
        hook.received.append({"headers": dict(request.headers), "payload": await request.json()})
        return {"ok": True}

    service = await serve("receiver", app)
    hook.url = f"{service.url}/webhooks/erp"
    return hook


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, auth=admin_auth()) as http:
        yield http


async def start_erp(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    service = await serve("erp", create_app(str(tmp_path / "erp.db"), webhook_url))
    await seed_demo(service.url, client)
    return service


@pytest.fixture
async def erp(serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient) -> RunningService:
    """The seeded ERP, without an event receiver (most tests don't need one)."""
    return await start_erp(serve, tmp_path, client)


@pytest.fixture
async def erp_with_events(
    serve: ServeFn, tmp_path: Any, client: httpx.AsyncClient, receiver: Receiver
) -> RunningService:
    return await start_erp(serve, tmp_path, client, receiver.url)


@pytest.fixture
def settings(erp: RunningService) -> Settings:
    return settings_for(erp.url, UNUSED_URL, UNUSED_URL)


@pytest.fixture
def adapter(settings: Settings, client: httpx.AsyncClient) -> SapErpAdapter:
    return SapErpAdapter(settings, client)


def keys(**extra: Any) -> dict[str, Any]:
    """The envelope every command carries, with a fresh idempotency key."""
    return {
        "idempotency_key": f"test-{uuid.uuid4()}",
        "correlation_id": f"corr-{uuid.uuid4()}",
        "plant": "P100",
        **extra,
    }
