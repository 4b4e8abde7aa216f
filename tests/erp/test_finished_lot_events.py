"""MaterialDocument.Created both ways: a production receipt (ManufacturingOrder) becomes
FinishedLotReceived, a PO receipt (PurchaseOrder) stays GoodsReceiptPosted, and a receipt
naming both or neither is refused on the field."""

from decimal import Decimal
from typing import Any

import pytest

from adapters.erp_sap.events import GOODS_RECEIPT, parse_erp_event
from adapters.errors import EventRejected
from canonical.enums import SourceSystem
from canonical.events import FinishedLotReceived, GoodsReceiptPosted
from tests.erp.test_events import SETTINGS, event, receipt_event


def production_event(**data: Any) -> dict[str, Any]:
    payload = event(type=GOODS_RECEIPT)
    payload["data"] = {
        "MaterialDocument": "4900000012",
        "MaterialDocumentYear": "2026",
        "MaterialDocumentItem": "1",
        "GoodsMovementType": "101",
        "ManufacturingOrder": "1000002",
        "Material": "FG-2000",
        "Plant": "1010",
        "Batch": "B4000001",
        "QuantityInEntryUnit": "5000.000",
        "EntryUnit": "ST",
        "InventoryStockType": "02",
    }
    for name, value in data.items():
        if value is None:
            payload["data"].pop(name)
        else:
            payload["data"][name] = value
    return payload


def test_production_receipt_becomes_a_finished_lot_in_canonical_units() -> None:
    parsed = parse_erp_event(production_event(), GOODS_RECEIPT, SETTINGS)
    assert isinstance(parsed, FinishedLotReceived)
    assert (parsed.material_document, parsed.order_id, parsed.plant) == (
        "4900000012/2026",
        "1000002",
        "P100",
    )
    assert (parsed.item_id, parsed.lot_id, parsed.quantity, parsed.unit) == (
        "FG-2000",
        "B4000001",
        Decimal(5000),
        "EA",
    )
    assert parsed.correlation_id == "7c1f0a4e-0f6e-4a7b-9a51-2f3c1d9e8b10"
    assert parsed.source_system is SourceSystem.ERP
    grams = parse_erp_event(
        production_event(QuantityInEntryUnit="250", EntryUnit="G"), "", SETTINGS
    )
    assert isinstance(grams, FinishedLotReceived)
    assert (grams.quantity, grams.unit) == (Decimal("0.25"), "KG")


@pytest.mark.parametrize("stock_type", ["01", "02", "07", "", None])
def test_a_finished_lot_is_received_in_any_stock_type(stock_type: str | None) -> None:
    payload = production_event(InventoryStockType=stock_type)
    assert isinstance(parse_erp_event(payload, GOODS_RECEIPT, SETTINGS), FinishedLotReceived)


def test_the_reference_decides_which_receipt_it_is() -> None:
    po = parse_erp_event(receipt_event(ManufacturingOrder=""), GOODS_RECEIPT, SETTINGS)
    assert isinstance(po, GoodsReceiptPosted)
    finished = parse_erp_event(production_event(PurchaseOrder=""), GOODS_RECEIPT, SETTINGS)
    assert isinstance(finished, FinishedLotReceived)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"PurchaseOrder": "4500000001"}, "data.ManufacturingOrder"),
        ({"ManufacturingOrder": None}, "data.PurchaseOrder"),
        ({"ManufacturingOrder": ""}, "data.PurchaseOrder"),
        ({"ManufacturingOrder": "1000000000002"}, "data.ManufacturingOrder"),
        ({"ManufacturingOrder": 1000002}, "data.ManufacturingOrder"),
        ({"GoodsMovementType": "102"}, "data.GoodsMovementType"),
        ({"InventoryStockType": "0X2"}, "data.InventoryStockType"),
        ({"Plant": "9999"}, "data.Plant"),
        ({"EntryUnit": "LB"}, "data.EntryUnit"),
        ({"QuantityInEntryUnit": "0"}, "data.QuantityInEntryUnit"),
        ({"Batch": None}, "data.Batch"),
        ({"Material": " "}, "data.Material"),
        ({"MaterialDocument": None}, "data.MaterialDocument"),
    ],
)
def test_production_receipts_that_are_not_are_rejected(data: dict[str, Any], field: str) -> None:
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(production_event(**data), GOODS_RECEIPT, SETTINGS)
    assert rejected.value.field == field


def test_a_receipt_without_data_is_rejected_on_data() -> None:
    payload = production_event()
    payload.pop("data")
    with pytest.raises(EventRejected) as rejected:
        parse_erp_event(payload, GOODS_RECEIPT, SETTINGS)
    assert rejected.value.field == "data"
