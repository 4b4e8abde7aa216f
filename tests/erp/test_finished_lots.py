"""Finished lots: a production goods receipt into quality-inspection stock, the
MaterialDocument.Created event it emits for the finished goods release saga, and the
warehouse's receipt of a lot "produced elsewhere" (FG-2000) through the planner client."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.events import GOODS_RECEIPT, parse_erp_event
from adapters.erp_sap.odata import ODataSession
from adapters.errors import BusinessRefusal
from canonical.commands import GoodsReceipt, ReverseDocument, SetLotRestriction, StockQuery
from canonical.enums import StockStatus
from canonical.events import FinishedLotReceived
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import UNUSED_URL, Receiver, keys
from tests.erp.support import odata_get, outbox, step_ledger
from tests.helpers import eventually, settings_for

DOCS = "API_MATERIAL_DOCUMENT_SRV"
ORDER, LOT = "1000001", "B1000001"


def receipt(quantity: str = "1000", to_qi: bool = True) -> GoodsReceipt:
    fields = {"order_id": ORDER, "item_id": "FG-1000", "lot_id": LOT, "unit": "EA"}
    return GoodsReceipt(**keys(**fields, quantity=Decimal(quantity), to_quality_inspection=to_qi))


async def stock(adapter: SapErpAdapter, item: str = "FG-1000", lot: str = LOT) -> dict:
    query = StockQuery(plant="P100", item_id=item, lot_id=lot)
    return (await adapter.get_lot_stock(query)).quantities


async def document_item(client: httpx.AsyncClient, erp_url: str, document: str) -> dict[str, Any]:
    number, year = document.split("/")
    doc = await odata_get(
        client,
        erp_url,
        DOCS,
        f"A_MaterialDocumentHeader(MaterialDocumentYear='{year}',MaterialDocument='{number}')",
        **{"$expand": "to_MaterialDocumentItem"},
    )
    item: dict[str, Any] = doc["to_MaterialDocumentItem"]["results"][0]
    return {"GoodsMovementCode": doc["GoodsMovementCode"], **item}


async def test_receipt_into_inspection_lands_there_and_is_announced(
    erp_with_events: RunningService, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    erp = erp_with_events
    settings = settings_for(erp.url, UNUSED_URL, UNUSED_URL)
    adapter = SapErpAdapter(settings, client)
    await release_order(erp.url, ORDER, client)
    posted = await adapter.post_goods_receipt(receipt())

    item = await document_item(client, erp.url, posted.document)
    assert (item["GoodsMovementCode"], item["GoodsMovementType"]) == ("02", "101")
    assert (item["InventoryStockType"], item["ManufacturingOrder"]) == ("02", ORDER)
    lot = await stock(adapter)
    assert (lot[StockStatus.QUALITY_INSPECTION], lot[StockStatus.UNRESTRICTED]) == (1000, 0)

    delivered = await eventually(lambda: _receipts(receiver), lambda got: len(got) == 1, timeout=10)
    headers, payload = delivered[0]["headers"], delivered[0]["payload"]
    assert headers["x-correlation-id"] == payload["id"]
    number, year = posted.document.split("/")
    assert payload["data"] == {
        "MaterialDocument": number,
        "MaterialDocumentYear": year,
        "MaterialDocumentItem": "1",
        "GoodsMovementType": "101",
        "ManufacturingOrder": ORDER,
        "Material": "FG-1000",
        "Plant": "1010",
        "Batch": LOT,
        "QuantityInEntryUnit": "1000.000",
        "EntryUnit": "ST",
        "InventoryStockType": "02",
    }
    event = parse_erp_event(payload, headers["x-event-type"], settings)
    assert isinstance(event, FinishedLotReceived)
    assert (event.material_document, event.order_id, event.plant) == (
        posted.document,
        ORDER,
        "P100",
    )
    assert (event.item_id, event.lot_id, event.quantity, event.unit) == (
        "FG-1000",
        LOT,
        Decimal(1000),
        "EA",
    )


async def _receipts(receiver: Receiver) -> list[dict[str, Any]]:
    return [got for got in receiver.received if got["headers"]["x-event-type"] == GOODS_RECEIPT]


async def test_unrestricted_unless_asked_and_blocked_if_restricted(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, ORDER, client)
    free = await adapter.post_goods_receipt(receipt("300", to_qi=False))
    assert (await document_item(client, erp.url, free.document))["InventoryStockType"] == "01"

    block = SetLotRestriction(**keys(item_id="FG-1000", lot_id=LOT, blocked=True, reason="NC-2"))
    await adapter.set_lot_restriction(block)  # the 300 become restricted-use stock (08)
    held = await adapter.post_goods_receipt(receipt("200", to_qi=False))
    assert (await document_item(client, erp.url, held.document))["InventoryStockType"] == "08"
    inspected = await adapter.post_goods_receipt(receipt("100"))  # QI stays QI
    assert (await document_item(client, erp.url, inspected.document))["InventoryStockType"] == "02"
    lot = await stock(adapter)
    assert (lot[StockStatus.BLOCKED], lot[StockStatus.QUALITY_INSPECTION]) == (500, 100)
    assert len(await outbox(client, erp.url, GOODS_RECEIPT)) == 3  # every 101 is announced


async def test_reversal_takes_inspection_stock_back_once_and_is_not_announced(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, ORDER, client)
    command = receipt("400")
    posted, replayed = (
        await adapter.post_goods_receipt(command),
        await adapter.post_goods_receipt(command),
    )
    assert (replayed.document, replayed.replayed) == (posted.document, True)
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1
    assert (await stock(adapter))[StockStatus.QUALITY_INSPECTION] == 400

    reversal = await adapter.reverse_material_document(
        ReverseDocument(**keys(document=posted.document))
    )
    item = await document_item(client, erp.url, reversal.document)
    assert (item["GoodsMovementType"], item["InventoryStockType"]) == ("102", "02")
    assert (await stock(adapter))[StockStatus.QUALITY_INSPECTION] == 0
    assert len(await outbox(client, erp.url, GOODS_RECEIPT)) == 1  # the 101 only


async def test_a_receipt_choosing_its_stock_by_inventory_stock_type_is_refused(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, ORDER, client)
    item = {
        "Material": "FG-1000",
        "Plant": "1010",
        "Batch": LOT,
        "GoodsMovementType": "101",
        "ManufacturingOrder": ORDER,
        "QuantityInEntryUnit": "1.000",
        "EntryUnit": "ST",
        "InventoryStockType": "02",  # S/4HANA takes InventoryUsabilityCode X
    }
    session = ODataSession(client, erp.url, refusal_code)
    body = {"GoodsMovementCode": "02", "to_MaterialDocumentItem": [item]}
    with pytest.raises(BusinessRefusal) as refused:
        await session.write("POST", DOCS, "A_MaterialDocumentHeader", {}, json=body)
    assert refused.value.code == "InvalidRequest"
    assert "InventoryStockType" in refused.value.reason
    assert sum((await stock(adapter)).values()) == 0
    assert await outbox(client, erp.url, GOODS_RECEIPT) == []
