"""A real reference MES on a free port (tmp database, demo sites seeded), a webhook receiver
that records what the MES sends, the adapter and the shop-floor client pointed at it."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from adapters.mes_reference import ReferenceMesAdapter
from canonical.commands import DispatchJob, JobOperation
from canonical.plant_config import Settings
from refsystems.common.admin import admin_auth
from refsystems.mes.app import create_app
from refsystems.mes.shopfloor import ShopFloor
from tests.conftest import ServeFn
from tests.helpers import settings_for

NOWHERE = "http://127.0.0.1:9"  # ERP and QMS are not needed here
SITE = "SPRINGFIELD"
ORDER = "1000001"


@dataclass
class Received:
    """Webhooks the MES delivered: (headers, JSON body), in arrival order."""

    events: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)

    async def all(self) -> list[tuple[dict[str, str], dict[str, Any]]]:
        return list(self.events)

    def types(self) -> list[str]:
        return [headers["x-event-type"] for headers, _ in self.events]


@dataclass
class Mes:
    url: str
    http: httpx.AsyncClient
    settings: Settings
    adapter: ReferenceMesAdapter
    floor: ShopFloor
    webhooks: Received

    def job_url(self, order_id: str = ORDER, action: str = "") -> str:
        url = f"{self.url}/api/v1/sites/{SITE}/job-orders/{order_id}"
        return f"{url}/{action}" if action else url

    async def ledger(self, **params: str) -> list[dict[str, Any]]:
        return (await self.http.get(f"{self.url}/admin/ledger", params=params)).json()

    async def outbox(self) -> list[dict[str, Any]]:
        return (await self.http.get(f"{self.url}/admin/outbox")).json()


def receiver_app(received: Received) -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/mes", status_code=202)
    async def webhook(request: Request) -> dict[str, str]:
        received.events.append((dict(request.headers), await request.json()))
        return {"status": "accepted"}

    return app


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10, auth=admin_auth()) as client:
        yield client


async def start_mes(
    serve: ServeFn, tmp_path: Path, http: httpx.AsyncClient, webhooks: Received | None
) -> Mes:
    webhook_url = None
    if webhooks is not None:
        hooks = await serve("webhooks", receiver_app(webhooks))
        webhook_url = f"{hooks.url}/webhooks/mes"
    app = create_app(str(tmp_path / "mes.db"), webhook_url=webhook_url)
    service = await serve("mes", app)
    (await http.post(f"{service.url}/admin/seed-demo")).raise_for_status()
    settings = settings_for(NOWHERE, service.url, NOWHERE)
    return Mes(
        url=service.url,
        http=http,
        settings=settings,
        adapter=ReferenceMesAdapter(settings, http),
        floor=ShopFloor(service.url, http),
        webhooks=webhooks or Received(),
    )


@pytest.fixture
async def mes(serve: ServeFn, tmp_path: Path, http: httpx.AsyncClient) -> Mes:
    """The MES without a webhook receiver: events stay in its outbox (GET /admin/outbox)."""
    return await start_mes(serve, tmp_path, http, webhooks=None)


@pytest.fixture
async def mes_hooked(serve: ServeFn, tmp_path: Path, http: httpx.AsyncClient) -> Mes:
    """The MES delivering its events to a receiver that records them (``mes.webhooks``)."""
    return await start_mes(serve, tmp_path, http, webhooks=Received())


def dispatch_command(key: str = "dispatch-1", **changes: Any) -> DispatchJob:
    """The demo order 1000001 as the saga dispatches it (canonical units)."""
    data: dict[str, Any] = {
        "idempotency_key": key,
        "correlation_id": "corr-1000001",
        "plant": "P100",
        "order_id": ORDER,
        "item_id": "FG-1000",
        "revision": "B",
        "quantity": Decimal(1000),
        "unit": "EA",
        "lot_id": "B1000001",
        "operations": [
            JobOperation(operation_id="0010", segment_id="SEG-MIX", description="Mix"),
            JobOperation(operation_id="0020", segment_id="SEG-FILL", description="Fill"),
            JobOperation(operation_id="0030", segment_id="SEG-PACK", description="Pack"),
        ],
    }
    return DispatchJob(**{**data, **changes})
