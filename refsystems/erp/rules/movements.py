"""Material documents: post goods movements against stock (``Cancel`` is reversals.py).

| type | code | what | stock effect |
|---|---|---|---|
| 261 | 03 | goods issue to a production order | - unrestricted; refused if restricted |
| 101 | 02 | goods receipt of the order's output batch | + the InventoryUsabilityCode's stock |
| | | | (blank/F 01, X 02, S 07); 01 is restricted-use (08) if the batch is restricted |
| 101, 122 | 01 | receipt for / return to a purchase order | see po_movements.py |
| 344 / 343 | 04 | transfer unrestricted -> blocked / back | |
| 321 / 350 | 04 | transfer quality inspection -> unrestricted / blocked | |
| 262, 102, 123, 322, 349 | 06 | reversals, made only by ``Cancel`` | the opposite |

Every goods receipt (101) is announced as MaterialDocument.Created (receipt_events.py).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.erp.edm import start_of_day
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.numbering import next_number
from refsystems.erp.rules import po_movements, receipt_events, stock
from refsystems.erp.rules.orders import components, get_order, require_released
from refsystems.erp.schemas.requests import MaterialDocumentIn, MaterialDocumentItemIn
from refsystems.erp.tables import (
    MaterialDocumentItemRow,
    MaterialDocumentRow,
    MaterialRow,
    ProductionOrderRow,
    utcnow,
)

MOVEMENT_CODES = {
    "261": ("03",),
    "101": ("02", "01"),
    "122": ("01",),
    "343": ("04",),
    "344": ("04",),
    "321": ("04",),
    "350": ("04",),
}
# transfer postings: movement type -> (from stock type, to stock type)
TRANSFERS = {
    "343": (stock.BLOCKED, stock.UNRESTRICTED),
    "344": (stock.UNRESTRICTED, stock.BLOCKED),
    "321": (stock.QUALITY_INSPECTION, stock.UNRESTRICTED),
    "350": (stock.QUALITY_INSPECTION, stock.BLOCKED),
}
PURCHASE_ORDER_CODE = "01"


def document_key(doc: MaterialDocumentRow) -> str:
    return f"{doc.MaterialDocument}/{doc.MaterialDocumentYear}"


def get_document(session: Session, year: str, number: str) -> MaterialDocumentRow:
    doc = session.get(MaterialDocumentRow, (year, number))
    if doc is None:
        raise not_found("A_MaterialDocumentHeader", f"({year}, {number})")
    return doc


def items_of(session: Session, doc: MaterialDocumentRow) -> list[MaterialDocumentItemRow]:
    query = select(MaterialDocumentItemRow).where(
        MaterialDocumentItemRow.MaterialDocumentYear == doc.MaterialDocumentYear,
        MaterialDocumentItemRow.MaterialDocument == doc.MaterialDocument,
    )
    return sorted(session.exec(query), key=lambda item: int(item.MaterialDocumentItem))


def new_header(session: Session, code: str, posting: datetime | None, **extra: Any) -> Any:
    posting_date = start_of_day(posting or utcnow())
    doc = MaterialDocumentRow(
        MaterialDocumentYear=str(posting_date.year),
        MaterialDocument=next_number(session, "material_document"),
        GoodsMovementCode=code,
        PostingDate=posting_date,
        DocumentDate=posting_date,
        **extra,
    )
    session.add(doc)
    return doc


def post(session: Session, body: MaterialDocumentIn, ctx: WriteContext) -> MaterialDocumentRow:
    """Post every item or none (the caller commits once)."""
    header = body.model_dump(include={"ReferenceDocument", "MaterialDocumentHeaderText"})
    doc = new_header(session, body.GoodsMovementCode, body.PostingDate, **header)
    if body.DocumentDate:
        doc.DocumentDate = start_of_day(body.DocumentDate)
    rows = []
    for n, item in enumerate(body.to_MaterialDocumentItem, start=1):
        allowed = MOVEMENT_CODES[item.GoodsMovementType]
        if body.GoodsMovementCode not in allowed:
            raise ErpError(
                "M7/010",
                f"Movement type {item.GoodsMovementType} is not allowed with goods movement "
                f"code {body.GoodsMovementCode} (use {' or '.join(allowed)})",
            )
        rows.append(_post_item(session, doc, n, item))
        session.add(rows[-1])
    po_movements.after_posting(session, rows)
    receipt_events.announce(session, doc, rows)
    types = sorted({item.GoodsMovementType for item in body.to_MaterialDocumentItem})
    details = {"items": [item.model_dump(mode="json") for item in body.to_MaterialDocumentItem]}
    ctx.record(
        session,
        f"goods_movement {','.join(types)}",
        "A_MaterialDocumentHeader",
        document_key(doc),
        details,
    )
    return doc


def _post_item(
    session: Session, doc: MaterialDocumentRow, n: int, item: MaterialDocumentItemIn
) -> MaterialDocumentItemRow:
    material = stock.get_material(session, item.Material)
    quantity = stock.to_base_unit(item.QuantityInEntryUnit, item.EntryUnit, material.BaseUnit)
    where = (item.Plant, item.StorageLocation, item.Batch)
    movement = item.GoodsMovementType
    other_type, supplier = "", ""
    if doc.GoodsMovementCode == PURCHASE_ORDER_CODE:
        stock_type, supplier = po_movements.post(session, item, material, quantity)
    elif movement in TRANSFERS:
        batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
        stock_type, other_type = (stock.usable_type(batch, t) for t in TRANSFERS[movement])
        stock.move_stock(session, material, *where, stock_type, other_type, quantity)
    else:
        stock_type = _post_order_item(session, item, material, quantity)
    return MaterialDocumentItemRow(
        MaterialDocumentYear=doc.MaterialDocumentYear,
        MaterialDocument=doc.MaterialDocument,
        MaterialDocumentItem=str(n),
        GoodsMovementType=movement,
        Material=item.Material,
        Plant=item.Plant,
        StorageLocation=item.StorageLocation,
        Batch=item.Batch,
        InventoryStockType=stock_type,
        IssuingOrReceivingStockType=other_type,
        ManufacturingOrder=item.ManufacturingOrder,
        PurchaseOrder=item.PurchaseOrder,
        PurchaseOrderItem=item.PurchaseOrderItem,
        Supplier=supplier,
        EntryUnit=item.EntryUnit,
        MaterialBaseUnit=material.BaseUnit,
        QuantityInEntryUnit=item.QuantityInEntryUnit,
        QuantityInBaseUnit=quantity,
    )


def _post_order_item(
    session: Session, item: MaterialDocumentItemIn, material: MaterialRow, quantity: Decimal
) -> str:
    """261 / 101 against a released production order; returns the stock type posted."""
    batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
    where = (item.Plant, item.StorageLocation, item.Batch)
    order = get_order(session, item.ManufacturingOrder)
    require_released(order)
    if item.Plant != order.ProductionPlant:
        raise ErpError(
            "M7/110", f"Plant {item.Plant} is not order {order.ManufacturingOrder}'s plant"
        )
    if item.GoodsMovementType == "261":
        if batch.MatlBatchIsInRstrcdUseStock:
            raise ErpError(
                "M7/088",
                f"Batch {item.Batch} of material {item.Material} is restricted; "
                "goods issue is not allowed",
            )
        stock.remove_stock(session, material, *where, stock.UNRESTRICTED, quantity)
        withdraw(session, order.ManufacturingOrder, item.Material, item.Batch, quantity)
        return stock.UNRESTRICTED
    if (item.Material, item.Batch) != (order.Material, order.Batch):
        raise ErpError(
            "M7/110",
            f"Order {order.ManufacturingOrder} receives {order.Material} batch "
            f"{order.Batch}, not {item.Material} batch {item.Batch}",
        )
    stock_type = item.requested_stock_type or stock.UNRESTRICTED
    stock_type = stock.usable_type(batch, stock_type)
    stock.add_stock(session, material, *where, stock_type, quantity)
    deliver(order, quantity)
    session.add(order)
    return stock_type


def withdraw(session: Session, order_id: str, material: str, batch: str, quantity: Decimal) -> None:
    """Book the issue on the order's component for that material (its batch first)."""
    matching = [c for c in components(session, order_id) if c.Material == material]
    if not matching:
        return  # an unplanned issue is allowed; it has no reservation to update
    component = next((c for c in matching if c.Batch == batch), matching[0])
    component.WithdrawnQuantity += quantity
    session.add(component)


def deliver(order: ProductionOrderRow, quantity: Decimal) -> None:
    order.ActualDeliveredQuantity += quantity
    delivered = order.ActualDeliveredQuantity
    order.OrderIsPartiallyDelivered = Decimal(0) < delivered < order.TotalQuantity
    order.OrderIsDelivered = delivered >= order.TotalQuantity
