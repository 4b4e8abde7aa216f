"""Supplier receipts: a PO goods receipt into quality inspection and its event, the moves
out of inspection (321/350), the return to the supplier (122), reversals (102/123), the
ERP's refusals, and idempotent replay."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.events import GOODS_RECEIPT, parse_erp_event
from adapters.erp_sap.odata import ODataSession
from adapters.erp_sap.repeatability import request_id
from adapters.errors import BusinessRefusal, SystemUnavailable
from canonical.commands import ReturnToVendor, ReverseDocument, StockQuery, TransferFromInspection
from canonical.enums import StockStatus
from canonical.events import GoodsReceiptPosted
from refsystems.erp.planner import (
    cancel_purchase_order,
    post_po_goods_receipt,
)
from stack.services import RunningService
from tests.erp.conftest import UNUSED_URL, Receiver, keys
from tests.erp.support import ledger, odata_get, outbox
from tests.helpers import eventually, settings_for

PO_SRV = "API_PURCHASEORDER_PROCESS_SRV"
PO1 = "4500000001"  # Acme Chemicals, RM-200, 1000 KG into QI
LOT = "B2000009"


async def receive(
    client: httpx.AsyncClient, erp_url: str, quantity: str, lot: str = LOT, **kw: Any
) -> str:
    """Goods receipt against PO 4500000001 item 00010; returns 'number/year'."""
    doc = await post_po_goods_receipt(erp_url, PO1, "00010", lot, quantity, "KG", client, **kw)
    return f"{doc['MaterialDocument']}/{doc['MaterialDocumentYear']}"


async def stock(adapter: SapErpAdapter, lot: str = LOT) -> dict[StockStatus, Decimal]:
    query = StockQuery(plant="P100", item_id="RM-200", lot_id=lot)
    return (await adapter.get_lot_stock(query)).quantities


def transfer(quantity: str, to: StockStatus) -> TransferFromInspection:
    fields = {"item_id": "RM-200", "lot_id": LOT, "unit": "KG", "to_status": to}
    return TransferFromInspection(**keys(**fields, quantity=Decimal(quantity)))


def give_back(quantity: str) -> ReturnToVendor:
    fields = {"purchase_order": PO1, "item_id": "RM-200", "lot_id": LOT, "unit": "KG"}
    return ReturnToVendor(**keys(**fields, quantity=Decimal(quantity), reason="NC-7 pH"))


async def test_receipt_lands_in_inspection_stock_and_emits_the_event(
    erp_with_events: RunningService, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    erp = erp_with_events
    settings = settings_for(erp.url, UNUSED_URL, UNUSED_URL)
    document = await receive(client, erp.url, "400", correlation_id="dock-7")

    number, year = document.split("/")
    doc = await odata_get(
        client,
        erp.url,
        "API_MATERIAL_DOCUMENT_SRV",
        f"A_MaterialDocumentHeader(MaterialDocumentYear='{year}',MaterialDocument='{number}')",
        **{"$expand": "to_MaterialDocumentItem"},
    )
    item = doc["to_MaterialDocumentItem"]["results"][0]
    assert doc["GoodsMovementCode"] == "01"
    assert (item["GoodsMovementType"], item["InventoryStockType"], item["Supplier"]) == (
        "101",
        "02",
        "17300001",
    )
    assert (item["PurchaseOrder"], item["PurchaseOrderItem"]) == (PO1, "00010")
    batch = await odata_get(
        client,
        erp.url,
        "API_BATCH_SRV",
        f"Batch(Material='RM-200',BatchIdentifyingPlant='1010',Batch='{LOT}')",
    )
    assert batch["Supplier"] == "17300001"
    lot = await stock(SapErpAdapter(settings, client))
    assert (lot[StockStatus.QUALITY_INSPECTION], lot[StockStatus.UNRESTRICTED]) == (400, 0)

    delivered = await eventually(lambda: _received(receiver), lambda got: len(got) == 1)
    headers, payload = delivered[0]["headers"], delivered[0]["payload"]
    assert headers["x-event-type"] == payload["type"] == GOODS_RECEIPT
    assert headers["x-correlation-id"] == payload["id"]
    assert payload["data"] == {
        "MaterialDocument": number,
        "MaterialDocumentYear": year,
        "MaterialDocumentItem": "1",
        "GoodsMovementType": "101",
        "PurchaseOrder": PO1,
        "PurchaseOrderItem": "00010",
        "Supplier": "17300001",
        "Material": "RM-200",
        "Plant": "1010",
        "Batch": LOT,
        "QuantityInEntryUnit": "400.000",
        "EntryUnit": "KG",
        "InventoryStockType": "02",
    }
    event = parse_erp_event(payload, headers["x-event-type"], settings)
    assert isinstance(event, GoodsReceiptPosted)
    assert (event.material_document, event.supplier, event.plant) == (document, "17300001", "P100")
    assert (event.item_id, event.lot_id, event.quantity, event.unit) == (
        "RM-200",
        LOT,
        Decimal(400),
        "KG",
    )
    entries = await ledger(client, erp.url, correlation_id="dock-7")
    assert [(e["action"], e["entity_key"]) for e in entries] == [("goods_movement 101", document)]


async def _received(receiver: Receiver) -> list[dict[str, Any]]:
    return receiver.received


async def test_moves_out_of_inspection_and_back_to_the_supplier(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await receive(client, erp.url, "1000")
    freed = await adapter.transfer_from_inspection(transfer("600", StockStatus.UNRESTRICTED))
    await adapter.transfer_from_inspection(transfer("400", StockStatus.BLOCKED))
    assert await stock(adapter) == {
        StockStatus.UNRESTRICTED: Decimal(600),
        StockStatus.QUALITY_INSPECTION: Decimal(0),
        StockStatus.BLOCKED: Decimal(400),
        StockStatus.RETURNED: Decimal(0),
    }
    with pytest.raises(BusinessRefusal) as short:
        await adapter.transfer_from_inspection(transfer("1", StockStatus.UNRESTRICTED))
    assert (short.value.code, short.value.reason[:6]) == ("InsufficientStock", "M7/023")
    with pytest.raises(BusinessRefusal) as nowhere:
        await adapter.transfer_from_inspection(transfer("1", StockStatus.QUALITY_INSPECTION))
    assert nowhere.value.code == "InvalidRequest"

    returned = await adapter.return_to_vendor(give_back("400"))
    lot = await stock(adapter)
    assert (lot[StockStatus.BLOCKED], lot[StockStatus.RETURNED]) == (Decimal(0), Decimal(400))
    with pytest.raises(BusinessRefusal) as more:
        await adapter.return_to_vendor(give_back("1"))
    assert more.value.code == "InsufficientStock"

    # Reversals: the return (123) brings the stock back to blocked; the 321 goes back (322).
    await adapter.reverse_material_document(ReverseDocument(**keys(document=returned.document)))
    await adapter.reverse_material_document(ReverseDocument(**keys(document=freed.document)))
    lot = await stock(adapter)
    assert (lot[StockStatus.BLOCKED], lot[StockStatus.RETURNED]) == (Decimal(400), Decimal(0))
    assert lot[StockStatus.QUALITY_INSPECTION] == Decimal(600)
    actions = [
        e["action"] for e in await ledger(client, erp.url) if "goods_movement" in e["action"]
    ]
    assert actions == [f"goods_movement {t}" for t in ("101", "321", "350", "122", "123", "322")]


async def test_reversing_a_receipt_is_refused_once_its_stock_has_moved(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    first = await receive(client, erp.url, "500")
    await adapter.reverse_material_document(ReverseDocument(**keys(document=first)))
    assert (await stock(adapter))[StockStatus.QUALITY_INSPECTION] == Decimal(0)

    second = await receive(client, erp.url, "1000")  # the reversed 500 is open again
    item = await odata_get(
        client,
        erp.url,
        PO_SRV,
        f"A_PurchaseOrderItem(PurchaseOrder='{PO1}',PurchaseOrderItem='10')",
    )
    assert item["IsCompletelyDelivered"] is True
    await adapter.transfer_from_inspection(transfer("1", StockStatus.UNRESTRICTED))
    with pytest.raises(BusinessRefusal) as moved:
        await adapter.reverse_material_document(ReverseDocument(**keys(document=second)))
    assert moved.value.code == "AlreadyMoved"
    assert (await stock(adapter))[StockStatus.QUALITY_INSPECTION] == Decimal(999)
    assert len(await ledger(client, erp.url, action="goods_movement 102")) == 1


async def test_receipts_the_po_does_not_allow_are_refused_and_nothing_moves(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BusinessRefusal) as over:
        await receive(client, erp.url, "1000.001")
    assert over.value.code == "OverDelivery"
    with pytest.raises(BusinessRefusal) as wrong:
        await _post_receipt(client, erp.url, Material="PK-300", EntryUnit="ST")
    assert wrong.value.code == "PurchaseOrderMismatch"
    with pytest.raises(BusinessRefusal) as unknown:
        await _post_receipt(client, erp.url, PurchaseOrder="4500009999")
    assert unknown.value.code == "UnknownPurchaseOrder"
    with pytest.raises(BusinessRefusal) as no_po:
        await _post_receipt(client, erp.url, PurchaseOrder="")
    assert no_po.value.code == "MovementNotAllowed"

    assert await cancel_purchase_order(erp.url, PO1, client) == ["00010"]
    with pytest.raises(BusinessRefusal) as cancelled:
        await receive(client, erp.url, "10")
    assert cancelled.value.code == "PurchaseOrderCancelled"
    with pytest.raises(BusinessRefusal) as never_received:
        await adapter.return_to_vendor(give_back("1").model_copy(update={"lot_id": "B2000002"}))
    assert never_received.value.code == "ReturnExceedsReceipt"
    assert await ledger(client, erp.url, action="goods_movement 101") == []
    assert await outbox(client, erp.url, GOODS_RECEIPT) == []
    with pytest.raises(BusinessRefusal) as no_batch:  # the refused receipts created none
        await stock(adapter)
    assert no_batch.value.code == "UnknownLot"


async def _post_receipt(client: httpx.AsyncClient, erp_url: str, **changes: str) -> Any:
    item = {
        "Material": "RM-200",
        "Plant": "1010",
        "Batch": LOT,
        "GoodsMovementType": "101",
        "PurchaseOrder": PO1,
        "PurchaseOrderItem": "00010",
        "QuantityInEntryUnit": "1.000",
        "EntryUnit": "KG",
        **changes,
    }
    body = {"GoodsMovementCode": "01", "to_MaterialDocumentItem": [item]}
    session = ODataSession(client, erp_url, refusal_code)
    path = "A_MaterialDocumentHeader"
    return await session.write("POST", "API_MATERIAL_DOCUMENT_SRV", path, {}, json=body)


async def test_same_key_receipt_and_transfer_post_once(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    first = await receive(client, erp.url, "250", idempotency_key="gr-dock-7")
    second = await receive(client, erp.url, "250", idempotency_key="gr-dock-7")
    assert first == second
    assert len(await ledger(client, erp.url, idempotency_key=request_id("gr-dock-7"))) == 1
    assert len(await outbox(client, erp.url, GOODS_RECEIPT)) == 1

    move = transfer("250", StockStatus.UNRESTRICTED)
    moved, replayed = (
        await adapter.transfer_from_inspection(move),
        await adapter.transfer_from_inspection(move),
    )
    assert (moved.document, moved.replayed) == (replayed.document, False) and replayed.replayed
    lot = await stock(adapter)
    assert (lot[StockStatus.UNRESTRICTED], lot[StockStatus.QUALITY_INSPECTION]) == (250, 0)

    await client.post(f"{erp.url}/admin/faults", json={"kind": "unavailable", "seconds": 30})
    with pytest.raises(SystemUnavailable):
        await adapter.return_to_vendor(give_back("1"))
