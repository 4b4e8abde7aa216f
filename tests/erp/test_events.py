"""The gateway's parser for ERP webhooks (order release, PO goods receipt, PO cancellation):
canonical events, and refusals naming the field."""

from decimal import Decimal
from typing import Any

import pytest

from adapters.erp_sap.events import GOODS_RECEIPT, PO_CANCELLED, RELEASED, parse_erp_event
from adapters.errors import EventRejected
from canonical.enums import SourceSystem
from canonical.events import GoodsReceiptPosted, ProductionOrderReleased, PurchaseOrderCancelled
from canonical.plant_config import load_settings

SETTINGS = load_settings()


def event(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "specversion": "1.0",
        "type": RELEASED,
        "source": "/default/sap.s4/REFERP",
        "id": "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10",
        "time": "2026-03-01T08:00:00+00:00",
        "datacontenttype": "application/json",
        "data": {"ManufacturingOrder": "1000001", "ProductionPlant": "1010", "Material": "FG-1000"},
    }
    for path, value in changes.items():
        target = payload
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(leaf)
        else:
            target[leaf] = value
    return payload


def test_release_event_becomes_canonical() -> None:
    parsed = parse_erp_event(event(), RELEASED, SETTINGS)
    assert isinstance(parsed, ProductionOrderReleased)
    assert parsed.order_id == "1000001"
    assert parsed.plant == "P100"
    assert parsed.correlation_id == "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10"
    assert parsed.source_system is SourceSystem.ERP
    assert parsed.occurred_at.year == 2026


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"data__ManufacturingOrder": None}, "data.ManufacturingOrder"),
        ({"data__ManufacturingOrder": ""}, "data.ManufacturingOrder"),
        ({"data__ProductionPlant": "9999"}, "data.ProductionPlant"),
        ({"data": None}, "data"),
        ({"id": None}, "id"),
        ({"time": "yesterday"}, "time"),
        ({"time": "2026-03-01T08:00:00"}, "time"),
        ({"specversion": "0.3"}, "specversion"),
        ({"type": "sap.s4.beh.productionorder.v1.ProductionOrder.Created.v1"}, "type"),
    ],
)
def test_bad_events_are_rejected_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(event(**changes), "", SETTINGS)
    assert rejected.value.field == field


def test_unsupported_event_type_header_is_rejected() -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(event(), "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1", SETTINGS)
    assert rejected.value.field == "type"
    with pytest.raises(EventRejected) as not_an_object:
        parse_erp_event([], RELEASED, SETTINGS)  # type: ignore[arg-type]
    assert not_an_object.value.field == "payload"


def receipt_event(**data: Any) -> dict[str, Any]:
    payload = event(type=GOODS_RECEIPT)
    payload["data"] = {
        "MaterialDocument": "4900000007",
        "MaterialDocumentYear": "2026",
        "MaterialDocumentItem": "1",
        "GoodsMovementType": "101",
        "PurchaseOrder": "4500000002",
        "PurchaseOrderItem": "00010",
        "Supplier": "17300002",
        "Material": "PK-300",
        "Plant": "1010",
        "Batch": "B3000009",
        "QuantityInEntryUnit": "20000.000",
        "EntryUnit": "ST",
        "InventoryStockType": "02",
    }
    for name, value in data.items():
        if value is None:
            payload["data"].pop(name)
        else:
            payload["data"][name] = value
    return payload


def test_po_goods_receipt_becomes_canonical_in_canonical_units() -> None:
    parsed = parse_erp_event(receipt_event(), GOODS_RECEIPT, SETTINGS)
    assert isinstance(parsed, GoodsReceiptPosted)
    assert (parsed.material_document, parsed.purchase_order, parsed.purchase_order_item) == (
        "4900000007/2026",
        "4500000002",
        "00010",
    )
    assert (parsed.supplier, parsed.item_id, parsed.lot_id) == ("17300002", "PK-300", "B3000009")
    assert (parsed.quantity, parsed.unit, parsed.plant) == (Decimal(20000), "EA", "P100")
    assert parsed.correlation_id == "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10"
    grams = parse_erp_event(receipt_event(QuantityInEntryUnit="2500", EntryUnit="G"), "", SETTINGS)
    assert isinstance(grams, GoodsReceiptPosted)
    assert (grams.quantity, grams.unit) == (Decimal("2.5"), "KG")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"GoodsMovementType": "102"}, "data.GoodsMovementType"),
        ({"GoodsMovementType": "261"}, "data.GoodsMovementType"),
        ({"PurchaseOrder": None}, "data.PurchaseOrder"),
        ({"PurchaseOrder": ""}, "data.PurchaseOrder"),
        ({"Supplier": None}, "data.Supplier"),
        ({"InventoryStockType": "01"}, "data.InventoryStockType"),
        ({"Plant": "9999"}, "data.Plant"),
        ({"EntryUnit": "LB"}, "data.EntryUnit"),
        ({"QuantityInEntryUnit": "0.000"}, "data.QuantityInEntryUnit"),
        ({"QuantityInEntryUnit": "lots"}, "data.QuantityInEntryUnit"),
        ({"MaterialDocumentYear": "26"}, "data.MaterialDocumentYear"),
        ({"Batch": None}, "data.Batch"),
    ],
)
def test_material_documents_other_than_po_receipts_are_rejected(
    data: dict[str, Any], field: str
) -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(receipt_event(**data), GOODS_RECEIPT, SETTINGS)
    assert rejected.value.field == field


def test_purchase_order_cancellation_becomes_canonical() -> None:
    payload = event(type=PO_CANCELLED)
    payload["data"] = {"PurchaseOrder": "4500000001", "Supplier": "17300001", "Plant": "1010"}
    parsed = parse_erp_event(payload, PO_CANCELLED, SETTINGS)
    assert isinstance(parsed, PurchaseOrderCancelled)
    assert (parsed.purchase_order, parsed.plant) == ("4500000001", "P100")

    payload["data"]["Plant"] = "9999"
    with pytest.raises(EventRejected) as unknown_plant:
        parse_erp_event(payload, PO_CANCELLED, SETTINGS)
    assert unknown_plant.value.field == "data.Plant"
    payload["data"] = {"Plant": "1010"}
    with pytest.raises(EventRejected) as no_order:
        parse_erp_event(payload, "", SETTINGS)
    assert no_order.value.field == "data.PurchaseOrder"
    with pytest.raises(EventRejected) as mismatch:  # header and payload disagree
        parse_erp_event(receipt_event(), PO_CANCELLED, SETTINGS)
    assert mismatch.value.field == "type"
