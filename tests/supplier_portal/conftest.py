"""A real supplier portal on a free port (tmp database, demo suppliers seeded), a webhook
receiver that records what the portal's outbox delivers, and the adapter pointing at it."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.plant_config import Settings, SupplierPortal
from refsystems.supplier_portal.app import create_app
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.helpers import settings_for
from tests.systems import NOWHERE, Hooks, start_seeded, webhook_receiver


@pytest.fixture
async def hooks(serve: ServeFn) -> Hooks:
    return await webhook_receiver(serve, "/webhooks/supplier-portal")


async def start_portal(
    serve: ServeFn, db_path: str, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    return await start_seeded(serve, "supplier-portal", create_app(db_path, webhook_url), client)


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
