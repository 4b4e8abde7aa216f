"""Read each system's own state, the way a user checking the plant would."""

from typing import Any

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import LotStock, StockQuery
from stack.embedded import Stack
from stack.scenario import SITE, PlantScenario

DELIVERIES = "/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV"


async def erp_lot(stack: Stack, item: str, lot: str) -> LotStock:
    erp = SapErpAdapter(stack.settings, stack.http)
    return await erp.get_lot_stock(StockQuery(plant="P100", item_id=item, lot_id=lot))


async def delivery_block(stack: Stack, delivery: str) -> str:
    response = await stack.http.get(
        f"{stack.url('erp')}{DELIVERIES}/A_OutbDeliveryHeader('{delivery}')",
        params={"$format": "json"},
    )
    response.raise_for_status()
    block: str = response.json()["d"]["DeliveryBlockReason"]
    return block


async def mes_state(plant: PlantScenario, order_id: str) -> str:
    job = await plant.line.get_job(SITE, order_id)
    return str(job.DispatchStatus)


async def erp_postings(
    plant: PlantScenario, action: str, correlation_id: str
) -> list[dict[str, Any]]:
    """ERP ledger entries of one kind for one saga (the saga's correlation id)."""
    return await plant.ledger("erp", action=action, correlation_id=correlation_id)


async def signature_log(stack: Stack, item: str, lot: str) -> list[dict[str, Any]]:
    """The lot's signature log, read at the gateway by one of the plant's people."""
    response = await stack.http.get(
        f"{stack.url('gateway')}/signatures",
        params={"plant": "P100", "item": item, "lot": lot},
        headers=await stack.idp.headers("qa.ortiz"),
    )
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows
