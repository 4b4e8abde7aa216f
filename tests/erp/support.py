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


async def odata_post(
    client: httpx.AsyncClient, erp_url: str, service: str, path: str, body: dict[str, Any]
) -> httpx.Response:
    """A write the way an SAP client sends it: CSRF token first, in the same session."""
    root = f"{erp_url}{SERVICE_ROOT}/{service}/"
    fetched = await client.head(root, headers={"x-csrf-token": "Fetch"})
    headers = {"x-csrf-token": fetched.headers["x-csrf-token"]}
    return await client.post(f"{root}{path}", json=body, headers=headers)


async def inspected_lot(client: httpx.AsyncClient, erp_url: str) -> str:
    """An S/4 QM inspection lot of the demo order with a result and a usage decision."""
    srv = "API_INSPECTIONLOT_SRV"
    lot = {
        "Material": "FG-1000",
        "Batch": "B1000001",
        "Plant": "1010",
        "InspectionLotOrigin": "03",
        "InspectionLotQuantity": "1000",
        "InspectionLotQuantityUnit": "ST",
        "ManufacturingOrder": "1000001",
    }
    created = await odata_post(client, erp_url, srv, "A_InspectionLot", lot)
    created.raise_for_status()
    number: str = created.json()["d"]["InspectionLot"]
    result = {
        "InspectionLot": number,
        "InspPlanOperationInternalID": "00000001",
        "InspectionCharacteristic": "0010",
        "InspectionResultMeanValue": "1.2E+04",
    }
    (await odata_post(client, erp_url, srv, "A_InspectionResult", result)).raise_for_status()
    decision = {"InspectionLot": number, "InspectionLotUsageDecisionCode": "A"}
    (await odata_post(client, erp_url, srv, "A_InspLotUsageDecision", decision)).raise_for_status()
    return number
