"""Cancel (reverse) a material document, exactly once, with SAP's reversal movements:
262 for 261, 102 for 101, 123 for 122, 344 <-> 343, 322 for 321, 349 for 350.

A receipt for a purchase order whose stock has already moved on (a 321 out of quality
inspection, say) cannot be reversed (po_movements.reverse).
"""

from datetime import datetime

from sqlmodel import Session

from refsystems.common.context import WriteContext
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.rules import po_movements, stock
from refsystems.erp.rules.movements import (
    deliver,
    document_key,
    get_document,
    items_of,
    new_header,
    withdraw,
)
from refsystems.erp.rules.orders import get_order
from refsystems.erp.tables import MaterialDocumentItemRow, MaterialDocumentRow

REVERSAL_TYPE = {
    "261": "262",
    "101": "102",
    "122": "123",
    "343": "344",
    "344": "343",
    "321": "322",
    "350": "349",
}
REVERSAL_CODE = "06"


def cancel(
    session: Session, year: str, number: str, posting: datetime | None, ctx: WriteContext
) -> MaterialDocumentRow:
    """Reverse a document exactly once, with the reversal movement type of each item."""
    original = get_document(session, year, number)
    items = items_of(session, original)
    if any(item.ReversedMaterialDocument for item in items):
        raise ErpError("M7/128", f"Document {number}/{year} is a reversal; it cannot be cancelled")
    # Items already reversed one by one (CancelItem) stay as they are.
    items = [item for item in items if not item.GoodsMovementIsCancelled]
    if original.ReversedByMaterialDocument or not items:
        raise ErpError(
            "M7/362",
            f"Document {number}/{year} was already reversed"
            + (f" by {by}" if (by := original.ReversedByMaterialDocument) else ""),
        )
    return _reverse(session, original, items, posting, ctx)


def cancel_item(
    session: Session,
    year: str,
    number: str,
    item_number: str,
    posting: datetime | None,
    ctx: WriteContext,
) -> MaterialDocumentItemRow:
    """Reverse one item of a document exactly once (CancelItem); the document counts as
    reversed once its last item is."""
    original = get_document(session, year, number)
    items = items_of(session, original)
    item = next((i for i in items if i.MaterialDocumentItem == item_number.lstrip("0")), None)
    if item is None:
        raise not_found("A_MaterialDocumentItem", f"({number}/{year}, {item_number})")
    if item.ReversedMaterialDocument:
        raise ErpError("M7/128", f"Item {item_number} of {number}/{year} is a reversal")
    if item.GoodsMovementIsCancelled:
        raise ErpError("M7/362", f"Item {item_number} of {number}/{year} was already reversed")
    reversal = _reverse(session, original, [item], posting, ctx)
    return items_of(session, reversal)[0]


def _reverse(
    session: Session,
    original: MaterialDocumentRow,
    items: list[MaterialDocumentItemRow],
    posting: datetime | None,
    ctx: WriteContext,
) -> MaterialDocumentRow:
    number, year = original.MaterialDocument, original.MaterialDocumentYear
    reversal = new_header(session, REVERSAL_CODE, posting, ReferenceDocument=f"{number}/{year}")
    reversed_items = []
    for position, item in enumerate(items, start=1):
        reversed_items.append(_reverse_item(session, reversal, item))
        reversed_items[-1].MaterialDocumentItem = str(position)
        session.add(reversed_items[-1])
        item.GoodsMovementIsCancelled = True
        session.add(item)
    if all(item.GoodsMovementIsCancelled for item in items_of(session, original)):
        original.ReversedByMaterialDocument = document_key(reversal)
        session.add(original)
    po_movements.after_posting(session, reversed_items)
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
    if item.PurchaseOrder:
        po_movements.reverse(session, item, material)
    elif item.GoodsMovementType == "261":
        batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
        stock_type = stock.usable_type(batch, stock.UNRESTRICTED)
        stock.add_stock(session, material, *where, stock_type, quantity)
        withdraw(session, item.ManufacturingOrder, item.Material, item.Batch, -quantity)
    elif item.GoodsMovementType == "101":
        batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
        stock_type = stock.usable_type(batch, item.InventoryStockType)
        stock.remove_stock(session, material, *where, stock_type, quantity)
        order = get_order(session, item.ManufacturingOrder)
        deliver(order, -quantity)
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
