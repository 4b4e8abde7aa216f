"""S/4HANA business events (CloudEvents, as SAP Event Mesh delivers them) -> canonical.

| event type (sap.s4.beh. ...) | data names | canonical event |
|---|---|---|
| productionorder.v1.ProductionOrder.Released.v1 | | ProductionOrderReleased |
| materialdocument.v1.MaterialDocument.Created.v1 | PurchaseOrder | GoodsReceiptPosted |
| materialdocument.v1.MaterialDocument.Created.v1 | ManufacturingOrder | FinishedLotReceived |
| purchaseorder.v1.PurchaseOrder.Cancelled.v1 | | PurchaseOrderCancelled |

Released is thin: the saga reads the order from ERP. MaterialDocument.Created is accepted
only for a goods receipt (101), and which one it is follows from the reference it names:
a PurchaseOrder (a supplier receipt, which must land in quality-inspection stock 02) or a
ManufacturingOrder (a finished lot, in any stock type). Naming both, or neither, is
refused on the field (``data.ManufacturingOrder`` / ``data.PurchaseOrder``), as is anything
else that makes it another document (e.g. ``data.GoodsMovementType``).
PurchaseOrder.Cancelled is the reference ERP's own event.
The event id becomes the correlation id. Anything missing, malformed or unmapped (plant,
unit) is refused with the dotted path of the culprit in the payload.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from adapters.errors import EventRejected
from canonical.enums import SourceSystem
from canonical.events import (
    FinishedLotReceived,
    GoodsReceiptPosted,
    ProductionOrderReleased,
    PurchaseOrderCancelled,
)
from canonical.identifiers import (
    ErpPlantCode,
    EventId,
    Identifier,
    ItemId,
    LotId,
    OrderId,
    PositiveQuantity,
)
from canonical.plant_config import ConfigError, Settings, to_canonical

RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"
GOODS_RECEIPT = "sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"
PO_CANCELLED = "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Cancelled.v1"

ErpEvent = (
    ProductionOrderReleased | GoodsReceiptPosted | FinishedLotReceived | PurchaseOrderCancelled
)


class _Data(BaseModel):
    model_config = ConfigDict(extra="allow")


class _ReleasedData(_Data):
    ManufacturingOrder: OrderId
    ProductionPlant: ErpPlantCode
    Material: ItemId | Literal[""] = ""


class _GoodsReceiptData(_Data):
    MaterialDocument: Annotated[Identifier, Field(max_length=10)]
    MaterialDocumentYear: str = Field(pattern=r"^\d{4}$")
    GoodsMovementType: Literal["101"]
    Material: ItemId
    Plant: ErpPlantCode
    Batch: LotId
    QuantityInEntryUnit: PositiveQuantity
    EntryUnit: str = Field(min_length=1, max_length=3)


class _ReceiptData(_GoodsReceiptData):
    """A supplier receipt: against a purchase order, into quality inspection."""

    PurchaseOrder: Annotated[Identifier, Field(max_length=10)]
    PurchaseOrderItem: Annotated[Identifier, Field(max_length=5)]
    Supplier: Annotated[Identifier, Field(max_length=10)]
    InventoryStockType: Literal["02"]


class _ProductionReceiptData(_GoodsReceiptData):
    """A finished lot: against a production order, in whatever stock type it landed."""

    ManufacturingOrder: OrderId
    InventoryStockType: str = Field(default="", max_length=2)


class _CancelledData(_Data):
    PurchaseOrder: Annotated[Identifier, Field(max_length=10)]
    Supplier: Annotated[Identifier, Field(max_length=10)] | Literal[""] = ""
    Plant: ErpPlantCode


class _CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"]
    source: str = Field(min_length=1)
    id: EventId
    time: AwareDatetime
    datacontenttype: str = "application/json"


class _Released(_CloudEvent):
    type: Literal["sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"]
    data: _ReleasedData


class _Receipt(_CloudEvent):
    type: Literal["sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"]
    data: _ReceiptData


class _ProductionReceipt(_CloudEvent):
    type: Literal["sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"]
    data: _ProductionReceiptData


class _Cancelled(_CloudEvent):
    type: Literal["sap.s4.beh.purchaseorder.v1.PurchaseOrder.Cancelled.v1"]
    data: _CancelledData


MODELS: dict[str, type[_CloudEvent]] = {
    RELEASED: _Released,
    GOODS_RECEIPT: _Receipt,
    PO_CANCELLED: _Cancelled,
}


def parse_erp_event(payload: dict[str, Any], event_type: str, settings: Settings) -> ErpEvent:
    """Validate a webhook from ERP and map it; the event id becomes the correlation id."""
    if not isinstance(payload, dict):
        raise EventRejected("payload", "expected a JSON object (a CloudEvent)")
    kind = event_type or payload.get("type")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise EventRejected("type", f"unsupported ERP event type {kind!r}")
    if model is _Receipt:
        model = _receipt_model(payload.get("data"))
    try:
        event = model.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "payload"
        raise EventRejected(field, error["msg"]) from None
    envelope: dict[str, Any] = {
        "correlation_id": event.id,
        "source_system": SourceSystem.ERP,
        "occurred_at": event.time,
    }
    if isinstance(event, _Released):
        plant = _plant(settings, event.data.ProductionPlant, "data.ProductionPlant")
        return ProductionOrderReleased(
            **envelope, plant=plant, order_id=event.data.ManufacturingOrder
        )
    if isinstance(event, _Receipt):
        return _receipt(event.data, envelope, settings)
    if isinstance(event, _ProductionReceipt):
        return _finished_lot(event.data, envelope, settings)
    assert isinstance(event, _Cancelled)
    plant = _plant(settings, event.data.Plant, "data.Plant")
    return PurchaseOrderCancelled(**envelope, plant=plant, purchase_order=event.data.PurchaseOrder)


def _plant(settings: Settings, erp_plant: str, field: str) -> str:
    try:
        return settings.plant_by_erp_code(erp_plant).plant_id
    except ConfigError as exc:
        raise EventRejected(field, str(exc)) from None


def _receipt_model(data: Any) -> type[_CloudEvent]:
    """A goods receipt is for a purchase order or a production order: exactly one."""
    if not isinstance(data, dict):
        return _Receipt  # validation names ``data``
    for_po = data.get("PurchaseOrder") not in (None, "")
    for_order = data.get("ManufacturingOrder") not in (None, "")
    if for_po and for_order:
        raise EventRejected(
            "data.ManufacturingOrder",
            "a goods receipt is for a purchase order or a production order, not both",
        )
    if not (for_po or for_order):
        raise EventRejected(
            "data.PurchaseOrder", "a goods receipt names a PurchaseOrder or a ManufacturingOrder"
        )
    return _ProductionReceipt if for_order else _Receipt


def _quantity(data: _GoodsReceiptData, settings: Settings) -> tuple[Decimal, str]:
    try:
        quantity, unit = to_canonical(data.QuantityInEntryUnit, data.EntryUnit, settings.erp.units)
    except ConfigError as exc:
        raise EventRejected("data.EntryUnit", str(exc)) from None
    try:
        settings.check_quantity(quantity)
    except ConfigError as exc:
        raise EventRejected("data.QuantityInEntryUnit", str(exc)) from None
    return quantity, unit


def _lot(settings: Settings, plant: str, batch: str) -> str:
    try:
        settings.plant(plant).check_lot(batch)
    except ConfigError as exc:
        raise EventRejected("data.Batch", str(exc)) from None
    return batch


def _receipt(data: _ReceiptData, envelope: dict[str, Any], settings: Settings) -> ErpEvent:
    plant = _plant(settings, data.Plant, "data.Plant")
    quantity, unit = _quantity(data, settings)
    return GoodsReceiptPosted(
        **envelope,
        plant=plant,
        material_document=f"{data.MaterialDocument}/{data.MaterialDocumentYear}",
        purchase_order=data.PurchaseOrder,
        purchase_order_item=data.PurchaseOrderItem,
        supplier=data.Supplier,
        item_id=data.Material,
        lot_id=_lot(settings, plant, data.Batch),
        quantity=quantity,
        unit=unit,
    )


def _finished_lot(
    data: _ProductionReceiptData, envelope: dict[str, Any], settings: Settings
) -> ErpEvent:
    plant = _plant(settings, data.Plant, "data.Plant")
    quantity, unit = _quantity(data, settings)
    return FinishedLotReceived(
        **envelope,
        plant=plant,
        material_document=f"{data.MaterialDocument}/{data.MaterialDocumentYear}",
        item_id=data.Material,
        lot_id=_lot(settings, plant, data.Batch),
        quantity=quantity,
        unit=unit,
        order_id=data.ManufacturingOrder,
    )
