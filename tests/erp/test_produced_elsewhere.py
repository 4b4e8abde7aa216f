"""FG-2000, a finished item whose lots are "produced elsewhere": seeded master data, an
order created with the admin factory (with the outbound delivery of its batch), and the
warehouse's goods receipt against it through the planner client."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.events import GOODS_RECEIPT
from adapters.erp_sap.repeatability import request_id
from adapters.errors import BusinessRefusal
from canonical.commands import StockQuery
from canonical.enums import StockStatus
from refsystems.erp.planner import create_order, post_production_goods_receipt, release_order
from stack.services import RunningService
from tests.erp.support import ledger, outbox

LOT = "B4000001"


async def lip_balm_order(client: httpx.AsyncClient, erp_url: str, release: bool = True) -> str:
    order = {
        "Material": "FG-2000",
        "ProductionPlant": "1010",
        "TotalQuantity": "5000",
        "Batch": LOT,
        "to_ProductionOrderOperation": [
            {"ManufacturingOrderOperation": "0010", "WorkCenter": "PACK01"}
        ],
        "WithOutboundDelivery": True,
    }
    order_id: str = (await create_order(erp_url, order, client))["ManufacturingOrder"]
    if release:
        await release_order(erp_url, order_id, client)
    return order_id


async def test_fg_2000_is_seeded_and_an_order_for_it_has_its_delivery(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    order_id = await lip_balm_order(client, erp.url, release=False)
    order = await adapter.get_production_order("P100", order_id)
    # S/4HANA's order has no material text or revision level: the adapter reads none.
    assert (order.item.item_id, order.item.description, order.item.revision) == (
        "FG-2000",
        "",
        "",
    )
    assert (order.quantity, order.unit, order.output_lot) == (Decimal(5000), "EA", LOT)
    assert len(order.delivery_ids) == 1


async def test_warehouse_receives_the_lot_into_inspection_once(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    order_id = await lip_balm_order(client, erp.url)
    post = post_production_goods_receipt
    document = await post(erp.url, order_id, LOT, "5000", "ST", client, idempotency_key="gr-fg2")
    again = await post(erp.url, order_id, LOT, "5000", "ST", client, idempotency_key="gr-fg2")
    assert again["MaterialDocument"] == document["MaterialDocument"]
    assert document["GoodsMovementCode"] == "02"
    item = document["to_MaterialDocumentItem"]["results"][0]
    assert (item["GoodsMovementType"], item["ManufacturingOrder"], item["Material"]) == (
        "101",
        order_id,
        "FG-2000",
    )
    assert (item["InventoryStockType"], item["QuantityInEntryUnit"]) == ("02", "5000.000")
    assert len(await ledger(client, erp.url, idempotency_key=request_id("gr-fg2"))) == 1
    events = await outbox(client, erp.url, GOODS_RECEIPT)
    assert [e["data"]["ManufacturingOrder"] for e in events] == [order_id]
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="FG-2000", lot_id=LOT))
    assert (lot.quantities[StockStatus.QUALITY_INSPECTION], lot.unit) == (Decimal(5000), "EA")


async def test_unrestricted_receipt_and_the_refusals(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    order_id = await lip_balm_order(client, erp.url, release=False)
    with pytest.raises(BusinessRefusal) as not_released:
        await post_production_goods_receipt(erp.url, order_id, LOT, "10", "ST", client)
    assert not_released.value.code == "OrderNotReleased"
    await release_order(erp.url, order_id, client)
    with pytest.raises(BusinessRefusal) as wrong_lot:
        await post_production_goods_receipt(erp.url, order_id, "B4000009", "10", "ST", client)
    assert wrong_lot.value.code == "UnknownLot"  # not the order's (nor any) batch

    document = await post_production_goods_receipt(
        erp.url, order_id, LOT, "10", "ST", client, to_quality_inspection=False
    )
    assert document["to_MaterialDocumentItem"]["results"][0]["InventoryStockType"] == "01"
