"""Material documents: post goods movements against stock, and cancel them once.

| type | what | stock effect |
|---|---|---|
| 261 | goods issue to a production order | - unrestricted; refused for a restricted batch |
| 101 | goods receipt of the order's output batch | + unrestricted (+ blocked if restricted) |
| 344 | transfer unrestricted -> blocked | |
| 343 | transfer blocked -> unrestricted | |
| 262 / 102 | reversals of 261 / 101, made only by ``Cancel`` | the opposite |
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.erp.edm import start_of_day
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.numbering import next_number
from refsystems.erp.rules import stock
from refsystems.erp.rules.orders import components, get_order, require_released
from refsystems.erp.schemas.requests import MaterialDocumentIn, MaterialDocumentItemIn
from refsystems.erp.tables import (
    MaterialDocumentItemRow,
    MaterialDocumentRow,
    ProductionOrderRow,
    utcnow,
)

MOVEMENT_CODE = {"261": "03", "101": "02", "343": "04", "344": "04"}
REVERSAL_TYPE = {"261": "262", "101": "102", "343": "344", "344": "343"}
REVERSAL_CODE = "06"


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


def _new_header(session: Session, code: str, posting: datetime | None, **extra: Any) -> Any:
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
    doc = _new_header(session, body.GoodsMovementCode, body.PostingDate, **header)
    if body.DocumentDate:
        doc.DocumentDate = start_of_day(body.DocumentDate)
    for n, item in enumerate(body.to_MaterialDocumentItem, start=1):
        if MOVEMENT_CODE[item.GoodsMovementType] != body.GoodsMovementCode:
            raise ErpError(
                "M7/010",
                f"Movement type {item.GoodsMovementType} is not allowed with goods movement "
                f"code {body.GoodsMovementCode} (use {MOVEMENT_CODE[item.GoodsMovementType]})",
            )
        session.add(_post_item(session, doc, n, item))
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
    batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
    quantity = stock.to_base_unit(item.QuantityInEntryUnit, item.EntryUnit, material.BaseUnit)
    where = (item.Plant, item.StorageLocation, item.Batch)
    movement = item.GoodsMovementType
    stock_type, other_type = stock.UNRESTRICTED, ""
    if movement in ("261", "101"):
        order = get_order(session, item.ManufacturingOrder)
        require_released(order)
        if item.Plant != order.ProductionPlant:
            raise ErpError(
                "M7/110", f"Plant {item.Plant} is not order {order.ManufacturingOrder}'s plant"
            )
    if movement == "261":
        if batch.MatlBatchIsInRstrcdUseStock:
            raise ErpError(
                "M7/088",
                f"Batch {item.Batch} of material {item.Material} is restricted; "
                "goods issue is not allowed",
            )
        stock.remove_stock(session, material, *where, stock.UNRESTRICTED, quantity)
        _withdraw(session, order.ManufacturingOrder, item.Material, item.Batch, quantity)
    elif movement == "101":
        if (item.Material, item.Batch) != (order.Material, order.Batch):
            raise ErpError(
                "M7/110",
                f"Order {order.ManufacturingOrder} receives {order.Material} batch "
                f"{order.Batch}, not {item.Material} batch {item.Batch}",
            )
        if batch.MatlBatchIsInRstrcdUseStock:
            stock_type = stock.BLOCKED
        stock.add_stock(session, material, *where, stock_type, quantity)
        _deliver(order, quantity)
        session.add(order)
    else:
        stock_type, other_type = stock.UNRESTRICTED, stock.BLOCKED
        if movement == "343":
            stock_type, other_type = stock.BLOCKED, stock.UNRESTRICTED
        stock.move_stock(session, material, *where, stock_type, other_type, quantity)
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
        EntryUnit=item.EntryUnit,
        MaterialBaseUnit=material.BaseUnit,
        QuantityInEntryUnit=item.QuantityInEntryUnit,
        QuantityInBaseUnit=quantity,
    )


def _withdraw(
    session: Session, order_id: str, material: str, batch: str, quantity: Decimal
) -> None:
    """Book the issue on the order's component for that material (its batch first)."""
    matching = [c for c in components(session, order_id) if c.Material == material]
    if not matching:
        return  # an unplanned issue is allowed; it has no reservation to update
    component = next((c for c in matching if c.Batch == batch), matching[0])
    component.WithdrawnQuantity += quantity
    session.add(component)


def _deliver(order: ProductionOrderRow, quantity: Decimal) -> None:
    order.ActualDeliveredQuantity += quantity
    delivered = order.ActualDeliveredQuantity
    order.OrderIsPartiallyDelivered = Decimal(0) < delivered < order.TotalQuantity
    order.OrderIsDelivered = delivered >= order.TotalQuantity


def cancel(
    session: Session, year: str, number: str, posting: datetime | None, ctx: WriteContext
) -> MaterialDocumentRow:
    """Reverse a document exactly once: 262 for 261, 102 for 101, 343 <-> 344."""
    original = get_document(session, year, number)
    items = items_of(session, original)
    if any(item.ReversedMaterialDocument for item in items):
        raise ErpError("M7/128", f"Document {number}/{year} is a reversal; it cannot be cancelled")
    if original.ReversedByMaterialDocument:
        raise ErpError(
            "M7/362",
            f"Document {number}/{year} was already reversed by "
            f"{original.ReversedByMaterialDocument}",
        )
    reversal = _new_header(session, REVERSAL_CODE, posting, ReferenceDocument=f"{number}/{year}")
    for item in items:
        session.add(_reverse_item(session, reversal, item))
        item.GoodsMovementIsCancelled = True
        session.add(item)
    original.ReversedByMaterialDocument = document_key(reversal)
    session.add(original)
    types = sorted({REVERSAL_TYPE[item.GoodsMovementType] for item in items})
    ctx.record(
        session,
        f"goods_movement {','.join(types)}",
        "A_MaterialDocumentHeader",
        document_key(reversal),
        {"reverses": f"{number}/{year}"},
    )
    return reversal


def _reverse_item(
    session: Session, reversal: MaterialDocumentRow, item: MaterialDocumentItemRow
) -> MaterialDocumentItemRow:
    material = stock.get_material(session, item.Material)
    where = (item.Plant, item.StorageLocation, item.Batch)
    quantity = item.QuantityInBaseUnit
    stock_type, other_type = item.InventoryStockType, item.IssuingOrReceivingStockType
    if item.GoodsMovementType == "261":
        batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
        stock_type = stock.BLOCKED if batch.MatlBatchIsInRstrcdUseStock else stock.UNRESTRICTED
        stock.add_stock(session, material, *where, stock_type, quantity)
        _withdraw(session, item.ManufacturingOrder, item.Material, item.Batch, -quantity)
    elif item.GoodsMovementType == "101":
        stock.remove_stock(session, material, *where, item.InventoryStockType, quantity)
        order = get_order(session, item.ManufacturingOrder)
        _deliver(order, -quantity)
        session.add(order)
    else:
        stock.move_stock(session, material, *where, other_type, stock_type, quantity)
        stock_type, other_type = other_type, stock_type
    return MaterialDocumentItemRow(
        **item.model_dump(
            exclude={
                "MaterialDocumentYear",
                "MaterialDocument",
                "GoodsMovementType",
                "InventoryStockType",
                "IssuingOrReceivingStockType",
                "GoodsMovementIsCancelled",
                "ReversedMaterialDocumentYear",
                "ReversedMaterialDocument",
                "ReversedMaterialDocumentItem",
            }
        ),
        MaterialDocumentYear=reversal.MaterialDocumentYear,
        MaterialDocument=reversal.MaterialDocument,
        GoodsMovementType=REVERSAL_TYPE[item.GoodsMovementType],
        InventoryStockType=stock_type,
        IssuingOrReceivingStockType=other_type,
        ReversedMaterialDocumentYear=item.MaterialDocumentYear,
        ReversedMaterialDocument=item.MaterialDocument,
        ReversedMaterialDocumentItem=item.MaterialDocumentItem,
    )
