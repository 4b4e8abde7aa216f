"""A real supplier portal on a free port (tmp database, demo suppliers seeded), a webhook
receiver that records what the portal's outbox delivers, and the adapter pointing at it."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.plant_config import Settings, SupplierPortal
from refsystems.supplier_portal.app import create_app
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

    @app.post("/webhooks/supplier-portal")
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
    hooks.url = f"{service.url}/webhooks/supplier-portal"
    return hooks


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def start_portal(
    serve: ServeFn, db_path: str, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    service = await serve("supplier-portal", create_app(db_path, webhook_url))
    (await client.post(f"{service.url}/admin/seed-demo")).raise_for_status()
    return service


@pytest.fixture
async def portal(serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient) -> RunningService:
    """The portal, seeded, with no webhook receiver (its outbox just keeps the events)."""
    return await start_portal(serve, str(tmp_path / "portal.db"), client)


@pytest.fixture
async def portal_hooked(
    serve: ServeFn, tmp_path: Path, hooks: Hooks, client: httpx.AsyncClient
) -> RunningService:
    """The portal delivering its events to ``hooks``."""
    return await start_portal(serve, str(tmp_path / "portal.db"), client, hooks.url)


def portal_settings(url: str | None) -> Settings:
    """The bundled configuration with the supplier portal at ``url`` (None: no portal)."""
    settings = settings_for(NOWHERE, NOWHERE, NOWHERE)
    portal = None if url is None else SupplierPortal(base_url=url)  # type: ignore[arg-type]
    return settings.model_copy(update={"supplier_portal": portal})


@pytest.fixture
def settings(portal: RunningService) -> Settings:
    return portal_settings(portal.url)


@pytest.fixture
def adapter(settings: Settings, client: httpx.AsyncClient) -> ReferenceSupplierPortalAdapter:
    return ReferenceSupplierPortalAdapter(settings, client)


class Portal:
    """Plain HTTP against the portal: what a supplier's browser or a test reads and does."""

    def __init__(self, client: httpx.AsyncClient, service: RunningService):
        self.client = client
        self.url = service.url

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(f"{self.url}{path}", params=params)
        response.raise_for_status()
        return response.json()

    async def post(self, path: str, body: dict[str, Any], key: str = "") -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return await self.client.post(f"{self.url}{path}", json=body, headers=headers)

    async def ledger(self, **params: str) -> list[dict[str, Any]]:
        return list(await self.get("/admin/ledger", **params))

    async def outbox_types(self) -> list[str]:
        return [e["event_type"] for e in await self.get("/admin/outbox")]


@pytest.fixture
def web(client: httpx.AsyncClient, portal: RunningService) -> Portal:
    return Portal(client, portal)
