"""Suppliers and purchase orders: creation (admin factory), cancellation, PO history.

S/4HANA cancels a purchase order item by setting its PurchasingDocumentDeletionCode to
'L'; once every item is flagged the header is too, and the reference ERP announces the
cancellation (events.PURCHASE_ORDER_CANCELLED). What was received against an item is read
from the material documents that reference it, like SAP's PO history.
"""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.erp.edm import start_of_day
from refsystems.erp.errors import ErpError, bad_request, not_found
from refsystems.erp.events import PURCHASE_ORDER_CANCELLED, emit
from refsystems.erp.numbering import next_number, reserve_external
from refsystems.erp.purchasing_tables import PurchaseOrderItemRow, PurchaseOrderRow, SupplierRow
from refsystems.erp.rules.stock import get_material, to_base_unit
from refsystems.erp.schemas.requests import PurchaseOrderIn
from refsystems.erp.tables import MaterialDocumentItemRow, utcnow

DELETED = "L"
# How each movement against a PO item changes what was received from the supplier.
HISTORY_SIGN = {"101": 1, "102": -1, "122": -1, "123": 1}


def item_number(value: str) -> str:
    """SAP clients send '10' or '00010'; the item is stored as '00010'."""
    return value.zfill(5) if value.isdigit() else value


def get_supplier(session: Session, supplier: str) -> SupplierRow:
    row = session.get(SupplierRow, supplier)
    if row is None:
        raise not_found("A_Supplier", f"('{supplier}')")
    return row


def supplier_to_order_from(session: Session, supplier: str) -> SupplierRow:
    row = session.get(SupplierRow, supplier)
    if row is None:
        raise ErpError("ME/010", f"Supplier {supplier} does not exist")
    return row


def get_purchase_order(session: Session, number: str) -> PurchaseOrderRow:
    row = session.get(PurchaseOrderRow, number)
    if row is None:
        raise not_found("A_PurchaseOrder", f"('{number}')")
    return row


def items_of(session: Session, number: str) -> list[PurchaseOrderItemRow]:
    query = select(PurchaseOrderItemRow).where(PurchaseOrderItemRow.PurchaseOrder == number)
    return list(session.exec(query.order_by(col(PurchaseOrderItemRow.PurchaseOrderItem))))


def get_item(session: Session, number: str, item: str) -> PurchaseOrderItemRow:
    row = session.get(PurchaseOrderItemRow, (number, item_number(item)))
    if row is None:
        raise not_found("A_PurchaseOrderItem", f"({number}, {item})")
    return row


def item_for_posting(session: Session, number: str, item: str) -> PurchaseOrderItemRow:
    """The PO item a goods movement references (a missing one is a refusal, not a 404)."""
    row = session.get(PurchaseOrderItemRow, (number, item_number(item)))
    if row is None:
        raise ErpError("ME/006", f"Purchase order {number} item {item} does not exist")
    return row


def received(session: Session, number: str, item: str, batch: str | None = None) -> Decimal:
    """Net quantity received against the item (base unit): receipts less reversals and
    returns, for one batch or all."""
    query = select(MaterialDocumentItemRow).where(
        MaterialDocumentItemRow.PurchaseOrder == number,
        MaterialDocumentItemRow.PurchaseOrderItem == item,
    )
    if batch is not None:
        query = query.where(MaterialDocumentItemRow.Batch == batch)
    rows = session.exec(query)
    return sum(
        (HISTORY_SIGN.get(r.GoodsMovementType, 0) * r.QuantityInBaseUnit for r in rows), Decimal(0)
    )


def ordered_in_base_unit(session: Session, item: PurchaseOrderItemRow) -> Decimal:
    material = get_material(session, item.Material)
    return to_base_unit(item.OrderQuantity, item.PurchaseOrderQuantityUnit, material.BaseUnit)


def refresh_delivered(session: Session, item: PurchaseOrderItemRow) -> None:
    """IsCompletelyDelivered follows the PO history after every movement."""
    got = received(session, item.PurchaseOrder, item.PurchaseOrderItem)
    item.IsCompletelyDelivered = got >= ordered_in_base_unit(session, item)
    session.add(item)


def create(session: Session, body: PurchaseOrderIn, ctx: WriteContext) -> PurchaseOrderRow:
    """Create a purchase order with its items (no approval workflow: it is released)."""
    supplier = supplier_to_order_from(session, body.Supplier)
    if body.PurchaseOrder:
        number = body.PurchaseOrder
        if session.get(PurchaseOrderRow, number) is not None:
            raise ErpError("ME/007", f"Purchase order {number} already exists", 409)
        reserve_external(session, "purchase_order", number)
    else:
        number = next_number(session, "purchase_order")
    numbers = [
        item_number(item.PurchaseOrderItem or str(n * 10))
        for n, item in enumerate(body.to_PurchaseOrderItem, start=1)
    ]
    if len(set(numbers)) != len(numbers):
        raise bad_request(f"Purchase order item numbers repeat: {numbers}")
    order = PurchaseOrderRow(
        PurchaseOrder=number,
        PurchaseOrderType=body.PurchaseOrderType,
        CompanyCode=body.CompanyCode,
        PurchasingOrganization=body.PurchasingOrganization,
        PurchasingGroup=body.PurchasingGroup,
        Supplier=supplier.Supplier,
        PurchaseOrderDate=_day(body.PurchaseOrderDate),
        CreationDate=_day(None),
    )
    session.add(order)
    for item_id, item in zip(numbers, body.to_PurchaseOrderItem, strict=True):
        material = get_material(session, item.Material)
        unit = item.PurchaseOrderQuantityUnit or material.BaseUnit
        to_base_unit(item.OrderQuantity, unit, material.BaseUnit)
        session.add(
            PurchaseOrderItemRow(
                PurchaseOrder=number,
                PurchaseOrderItem=item_id,
                PurchaseOrderItemText=item.PurchaseOrderItemText or material.MaterialName,
                Material=material.Material,
                Plant=item.Plant,
                StorageLocation=item.StorageLocation,
                PurchaseOrderQuantityUnit=unit,
                OrderQuantity=item.OrderQuantity,
                StockType=item.StockType,
            )
        )
    details = {"supplier": supplier.Supplier, "items": numbers}
    ctx.record(session, "create_purchase_order", "A_PurchaseOrder", number, details)
    return order


def _day(value: datetime | None) -> datetime:
    return start_of_day(value or utcnow())


def set_deletion_code(
    session: Session, number: str, item_id: str, code: str, ctx: WriteContext
) -> PurchaseOrderItemRow:
    """Flag (or restore) one item; the header follows, and flagging the last open item
    announces the cancellation of the whole order once."""
    order = get_purchase_order(session, number)
    item = get_item(session, number, item_id)
    previous = item.PurchasingDocumentDeletionCode
    item.PurchasingDocumentDeletionCode = code
    session.add(item)
    all_deleted = all(
        row.PurchasingDocumentDeletionCode == DELETED for row in items_of(session, number)
    )
    was_cancelled = order.PurchasingDocumentDeletionCode == DELETED
    order.PurchasingDocumentDeletionCode = DELETED if all_deleted else ""
    session.add(order)
    details: dict[str, str] = {"PurchasingDocumentDeletionCode": code, "previous": previous}
    if all_deleted and not was_cancelled:
        data = {"PurchaseOrder": number, "Supplier": order.Supplier, "Plant": item.Plant}
        details["event_id"] = emit(session, PURCHASE_ORDER_CANCELLED, data)
    key = f"{number}/{item.PurchaseOrderItem}"
    ctx.record(session, "purchase_order_deletion", "A_PurchaseOrderItem", key, details)
    return item
