"""Reading the reference ERP directly in tests: its ledger and its OData entities."""

from typing import Any

import httpx

from adapters.erp_sap.repeatability import request_id
from refsystems.erp import SERVICE_ROOT


async def ledger(client: httpx.AsyncClient, erp_url: str, **params: str) -> list[dict[str, Any]]:
    response = await client.get(f"{erp_url}/admin/ledger", params=params)
    response.raise_for_status()
    entries: list[dict[str, Any]] = response.json()
    return entries


async def step_ledger(
    client: httpx.AsyncClient, erp_url: str, idempotency_key: str
) -> list[dict[str, Any]]:
    """The ledger entries of one step: the ERP files them under the step's RequestID."""
    return await ledger(client, erp_url, idempotency_key=request_id(idempotency_key))


async def odata_get(
    client: httpx.AsyncClient, erp_url: str, service: str, path: str, **params: str
) -> Any:
    response = await client.get(f"{erp_url}{SERVICE_ROOT}/{service}/{path}", params=params)
    response.raise_for_status()
    return response.json()["d"]


async def outbox(client: httpx.AsyncClient, erp_url: str, event_type: str) -> list[Any]:
    """The payloads of the outbound events of one type, oldest first."""
    events = (await client.get(f"{erp_url}/admin/outbox")).json()
    return [e["payload"] for e in events if e["event_type"] == event_type]
