"""Goods movements against purchase orders (GoodsMovementCode 01) and their reversals.

- 101: goods receipt for a PO item, into the item's stock type (StockType X -> quality
  inspection 02, '' -> unrestricted 01, S -> blocked 07); a new batch is created with
  the PO's supplier.
- 122: return delivery to the supplier, out of blocked stock (or the InventoryStockType
  sent): the quantity leaves the plant.
- 102 / 123: reversals of 101 / 122, made only by ``Cancel``.

Refusals: ME/006 no such PO item; M7/426 the item is deleted (cancelled); M7/111 material,
plant or batch supplier differ from the PO; M7/025 over-delivery beyond the ordered
quantity; M7/026 returning more of a batch than was received on the item; M7/364 a
receipt whose stock has already moved on cannot be reversed; M7/021-023 stock deficits.
"""

from decimal import Decimal

from sqlmodel import Session

from refsystems.erp.errors import ErpError
from refsystems.erp.purchasing_tables import PurchaseOrderItemRow
from refsystems.erp.rules import purchasing, stock
from refsystems.erp.schemas.requests import MaterialDocumentItemIn
from refsystems.erp.tables import (
    BatchRow,
    MaterialDocumentItemRow,
    MaterialRow,
)

# PO item StockType -> InventoryStockType the receipt posts into
RECEIPT_STOCK_TYPE = {
    "": stock.UNRESTRICTED,
    "X": stock.QUALITY_INSPECTION,
    "S": stock.BLOCKED,
}
STOCK_TYPES = set(RECEIPT_STOCK_TYPE.values())
ALREADY_MOVED = "M7/364"


def post(
    session: Session, item: MaterialDocumentItemIn, material: MaterialRow, quantity: Decimal
) -> tuple[str, str]:
    """Post a 101 or 122 item; returns (InventoryStockType, Supplier)."""
    if not item.PurchaseOrder or not item.PurchaseOrderItem:
        raise ErpError("M7/010", "Goods movement code 01 needs PurchaseOrder and PurchaseOrderItem")
    po_item = purchasing.item_for_posting(session, item.PurchaseOrder, item.PurchaseOrderItem)
    order = purchasing.get_purchase_order(session, po_item.PurchaseOrder)
    if (item.Material, item.Plant) != (po_item.Material, po_item.Plant):
        raise ErpError(
            "M7/111",
            f"Purchase order {order.PurchaseOrder} item {po_item.PurchaseOrderItem} orders "
            f"{po_item.Material} for plant {po_item.Plant}, not {item.Material} for {item.Plant}",
        )
    where = (item.Plant, item.StorageLocation, item.Batch)
    if item.GoodsMovementType == "101":
        stock_type = _receive(session, item, po_item, order.Supplier, quantity)
        stock.add_stock(session, material, *where, stock_type, quantity)
    else:
        stock_type = item.requested_stock_type or stock.BLOCKED
        stock.get_batch(session, item.Material, item.Plant, item.Batch)
        returnable = purchasing.received(
            session, po_item.PurchaseOrder, po_item.PurchaseOrderItem, item.Batch
        )
        if quantity > returnable:
            raise ErpError(
                "M7/026",
                f"Return of {quantity:.3f} {material.BaseUnit} of batch {item.Batch} exceeds "
                f"what purchase order {order.PurchaseOrder} received of it ({returnable:.3f})",
            )
        stock.remove_stock(session, material, *where, stock_type, quantity)
    return stock_type, order.Supplier


def _receive(
    session: Session,
    item: MaterialDocumentItemIn,
    po_item: PurchaseOrderItemRow,
    supplier: str,
    quantity: Decimal,
) -> str:
    """Check the PO item takes the receipt, find or create the batch; the stock type."""
    label = f"Purchase order {po_item.PurchaseOrder} item {po_item.PurchaseOrderItem}"
    if po_item.PurchasingDocumentDeletionCode == purchasing.DELETED:
        raise ErpError("M7/426", f"{label} is deleted (cancelled); no goods receipt")
    ordered = purchasing.ordered_in_base_unit(session, po_item)
    already = purchasing.received(session, po_item.PurchaseOrder, po_item.PurchaseOrderItem)
    if already + quantity > ordered:
        raise ErpError(
            "M7/025",
            f"{label}: PO quantity {ordered:.3f} exceeded by {already + quantity - ordered:.3f} "
            f"(already received {already:.3f})",
        )
    batch = session.get(BatchRow, (item.Material, item.Plant, item.Batch))
    if batch is None:
        batch = BatchRow(
            Material=item.Material,
            BatchIdentifyingPlant=item.Plant,
            Batch=item.Batch,
            Supplier=supplier,
        )
        session.add(batch)
    elif batch.Supplier and batch.Supplier != supplier:
        raise ErpError(
            "M7/111", f"Batch {item.Batch} came from supplier {batch.Supplier}, not {supplier}"
        )
    stock_type = item.requested_stock_type or RECEIPT_STOCK_TYPE[po_item.StockType]
    return stock.usable_type(batch, stock_type)


def after_posting(session: Session, rows: list[MaterialDocumentItemRow]) -> None:
    """Keep the delivery status of the PO items the document touched (receipts are
    announced by receipt_events.py)."""
    for row in rows:
        if not row.PurchaseOrder:
            continue
        po_item = purchasing.item_for_posting(session, row.PurchaseOrder, row.PurchaseOrderItem)
        purchasing.refresh_delivered(session, po_item)


def reverse(session: Session, item: MaterialDocumentItemRow, material: MaterialRow) -> None:
    """102 takes a receipt back out of the stock it created; 123 puts a return back."""
    where = (item.Plant, item.StorageLocation, item.Batch)
    quantity = item.QuantityInBaseUnit
    if item.GoodsMovementType == "122":
        stock.add_stock(session, material, *where, item.InventoryStockType, quantity)
        return
    try:
        stock.remove_stock(session, material, *where, item.InventoryStockType, quantity)
    except ErpError as exc:
        raise ErpError(
            ALREADY_MOVED,
            f"Receipt {item.MaterialDocument}/{item.MaterialDocumentYear} cannot be reversed: "
            f"its stock has already moved on ({exc.message})",
        ) from None
