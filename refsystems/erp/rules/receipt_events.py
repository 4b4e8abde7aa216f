"""``MaterialDocument.Created`` for every goods receipt (101) a document posts.

Two shapes, told apart by the reference they carry:

- against a purchase order (GoodsMovementCode 01): PurchaseOrder, PurchaseOrderItem and
  Supplier, so the supplier receipt saga can start an inspection;
- against a production order (GoodsMovementCode 02): ManufacturingOrder, so the finished
  goods release saga learns a finished lot arrived (in whatever stock type it landed).

Reversals (102) and other movements announce nothing: the sagas that posted them already
know.
"""

from sqlmodel import Session

from refsystems.erp.events import MATERIAL_DOCUMENT_CREATED, emit
from refsystems.erp.tables import MaterialDocumentItemRow, MaterialDocumentRow

GOODS_RECEIPT = "101"


def announce(
    session: Session, doc: MaterialDocumentRow, rows: list[MaterialDocumentItemRow]
) -> list[str]:
    """Queue one event per receipt item, in the caller's transaction; returns their ids."""
    return [
        emit(session, MATERIAL_DOCUMENT_CREATED, receipt_event_data(doc, row))
        for row in rows
        if row.GoodsMovementType == GOODS_RECEIPT and (row.PurchaseOrder or row.ManufacturingOrder)
    ]


def receipt_event_data(doc: MaterialDocumentRow, row: MaterialDocumentItemRow) -> dict[str, str]:
    reference = (
        {
            "PurchaseOrder": row.PurchaseOrder,
            "PurchaseOrderItem": row.PurchaseOrderItem,
            "Supplier": row.Supplier,
        }
        if row.PurchaseOrder
        else {"ManufacturingOrder": row.ManufacturingOrder}
    )
    return {
        "MaterialDocument": doc.MaterialDocument,
        "MaterialDocumentYear": doc.MaterialDocumentYear,
        "MaterialDocumentItem": row.MaterialDocumentItem,
        "GoodsMovementType": row.GoodsMovementType,
        **reference,
        "Material": row.Material,
        "Plant": row.Plant,
        "Batch": row.Batch,
        "QuantityInEntryUnit": f"{row.QuantityInEntryUnit:.3f}",
        "EntryUnit": row.EntryUnit,
        "InventoryStockType": row.InventoryStockType,
    }
