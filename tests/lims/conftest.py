"""A real reference LIMS on a free port (tmp database, demo data seeded), a webhook receiver
that records what the LIMS's outbox delivers, and the adapter and lab client pointing at it."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.lims_reference import ReferenceLimsAdapter
from canonical.plant_config import Settings, load_settings
from refsystems.lims.app import create_app
from refsystems.lims.lab import Lab
from stack.addresses import with_addresses
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.systems import NOWHERE, Hooks, start_seeded, webhook_receiver


@pytest.fixture
async def hooks(serve: ServeFn) -> Hooks:
    return await webhook_receiver(serve, "/webhooks/lims")


async def start_lims(
    serve: ServeFn, db_path: str, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    return await start_seeded(serve, "lims", create_app(db_path, webhook_url), client)


@pytest.fixture
async def lims(serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient) -> RunningService:
    """The LIMS, seeded, with no webhook receiver (its outbox just keeps the events)."""
    return await start_lims(serve, str(tmp_path / "lims.db"), client)


@pytest.fixture
async def lims_hooked(
    serve: ServeFn, tmp_path: Path, hooks: Hooks, client: httpx.AsyncClient
) -> RunningService:
    """The LIMS delivering its events to ``hooks``."""
    return await start_lims(serve, str(tmp_path / "lims.db"), client, hooks.url)


def lims_settings(url: str) -> Settings:
    """The bundled configuration with the LIMS at ``url`` and every other system nowhere."""
    return with_addresses(load_settings(), NOWHERE, NOWHERE, NOWHERE, lims=url)


@pytest.fixture
def settings(lims: RunningService) -> Settings:
    return lims_settings(lims.url)


@pytest.fixture
def adapter(settings: Settings, client: httpx.AsyncClient) -> ReferenceLimsAdapter:
    return ReferenceLimsAdapter(settings, client)


@pytest.fixture
def lab(lims: RunningService, client: httpx.AsyncClient) -> Lab:
    return Lab(lims.url, client)


class Admin:
    """Plain HTTP against the LIMS: its ledger, outbox and faults, and raw requests."""

    def __init__(self, client: httpx.AsyncClient, service: RunningService):
        self.client = client
        self.url = service.url

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(f"{self.url}{path}", params=params)
        response.raise_for_status()
        return response.json()

    async def post(
        self, path: str, body: dict[str, Any], key: str = "", correlation_id: str = ""
    ) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        if correlation_id:
            headers["X-Correlation-ID"] = correlation_id
        return await self.client.post(f"{self.url}{path}", json=body, headers=headers)

    async def ledger(self, **params: str) -> list[dict[str, Any]]:
        return list(await self.get("/admin/ledger", **params))

    async def outbox(self) -> list[dict[str, Any]]:
        return list(await self.get("/admin/outbox"))

    async def fault(self, **spec: object) -> None:
        (await self.client.post(f"{self.url}/admin/faults", json=spec)).raise_for_status()

    async def clear_faults(self) -> None:
        (await self.client.delete(f"{self.url}/admin/faults")).raise_for_status()


@pytest.fixture
def admin(client: httpx.AsyncClient, lims: RunningService) -> Admin:
    return Admin(client, lims)
