"""A real reference QMS on a free port (tmp database, demo plans seeded), a webhook receiver
that records what the QMS's outbox delivers, and the adapter and inspector pointing at it."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from adapters.qms_reference import ReferenceQmsAdapter
from canonical.plant_config import Settings
from refsystems.qms.app import create_app
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.helpers import settings_for

NOWHERE = "http://127.0.0.1:9"


@dataclass
class Received:
    event_type: str
    headers: dict[str, str]
    payload: dict[str, Any]


@dataclass
class Hooks:
    url: str
    received: list[Received] = field(default_factory=list)

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.event_type == event_type]


@pytest.fixture
async def hooks(serve: ServeFn) -> Hooks:
    app = FastAPI()
    hooks = Hooks(url="")

    @app.post("/webhooks/qms")
    async def receive(request: Request) -> dict[str, bool]:
        hooks.received.append(
            Received(
                event_type=request.headers["x-event-type"],
                headers=dict(request.headers),
                payload=await request.json(),
            )
        )
        return {"ok": True}

    service = await serve("webhooks", app)
    hooks.url = f"{service.url}/webhooks/qms"
    return hooks


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def start_qms(
    serve: ServeFn, db_path: str, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    service = await serve("qms", create_app(db_path, webhook_url))
    (await client.post(f"{service.url}/admin/seed-demo")).raise_for_status()
    return service


@pytest.fixture
async def qms(serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient) -> RunningService:
    """The QMS, seeded, with no webhook receiver (its outbox just keeps the events)."""
    return await start_qms(serve, str(tmp_path / "qms.db"), client)


@pytest.fixture
async def qms_hooked(
    serve: ServeFn, tmp_path: Path, hooks: Hooks, client: httpx.AsyncClient
) -> RunningService:
    """The QMS delivering its events to ``hooks``."""
    return await start_qms(serve, str(tmp_path / "qms.db"), client, hooks.url)


@pytest.fixture
def settings(qms: RunningService) -> Settings:
    return settings_for(NOWHERE, NOWHERE, qms.url)


@pytest.fixture
def adapter(settings: Settings, client: httpx.AsyncClient) -> ReferenceQmsAdapter:
    return ReferenceQmsAdapter(settings, client)


@pytest.fixture
def inspector(qms: RunningService, client: httpx.AsyncClient) -> Inspector:
    return Inspector(qms.url, client, user="op.nguyen")
