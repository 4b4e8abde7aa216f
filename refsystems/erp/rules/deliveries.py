"""Outbound deliveries: the shipping block, and the goods issue it stops."""

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.rules import stock
from refsystems.erp.tables import DeliveryItemRow, DeliveryRow

GOODS_ISSUED = "C"
NOT_YET_ISSUED = "A"


def get_delivery(session: Session, number: str) -> DeliveryRow:
    row = session.get(DeliveryRow, number)
    if row is None:
        raise not_found("A_OutbDeliveryHeader", f"('{number}')")
    return row


def items_of(session: Session, number: str) -> list[DeliveryItemRow]:
    query = select(DeliveryItemRow).where(DeliveryItemRow.DeliveryDocument == number)
    return sorted(session.exec(query), key=lambda item: item.DeliveryDocumentItem)


def set_block(session: Session, number: str, reason: str, ctx: WriteContext) -> DeliveryRow:
    """Set ('QH', ...) or lift ('') the delivery block; a shipped delivery can't change."""
    delivery = get_delivery(session, number)
    if delivery.OverallGoodsMovementStatus == GOODS_ISSUED:
        raise ErpError("VL/351", f"Goods issue for delivery {number} is already posted")
    previous = delivery.DeliveryBlockReason
    delivery.DeliveryBlockReason = reason
    session.add(delivery)
    ctx.record(
        session,
        "delivery_block",
        "A_OutbDeliveryHeader",
        number,
        {"DeliveryBlockReason": reason, "previous": previous},
    )
    return delivery


def post_goods_issue(session: Session, number: str, ctx: WriteContext) -> DeliveryRow:
    """Ship: take the batch out of unrestricted stock (movement 601) unless blocked."""
    delivery = get_delivery(session, number)
    if delivery.OverallGoodsMovementStatus == GOODS_ISSUED:
        raise ErpError("VL/351", f"Goods issue for delivery {number} is already posted")
    if delivery.DeliveryBlockReason:
        raise ErpError(
            "VL/352",
            f"Delivery {number} is blocked (reason {delivery.DeliveryBlockReason}); "
            "goods issue is not allowed",
        )
    for item in items_of(session, number):
        batch = stock.get_batch(session, item.Material, item.Plant, item.Batch)
        if batch.MatlBatchIsInRstrcdUseStock:
            raise ErpError("M7/088", f"Batch {item.Batch} is restricted; it cannot be shipped")
        _move(session, item, out=True)
    delivery.OverallGoodsMovementStatus = GOODS_ISSUED
    session.add(delivery)
    ctx.record(session, "goods_movement 601", "A_OutbDeliveryHeader", number, {})
    return delivery


def reverse_goods_issue(session: Session, number: str, ctx: WriteContext) -> DeliveryRow:
    """ReverseGoodsIssue: the shipped quantities back into unrestricted stock (movement
    602); the delivery is open for goods issue again."""
    delivery = get_delivery(session, number)
    if delivery.OverallGoodsMovementStatus != GOODS_ISSUED:
        raise ErpError("VL/353", f"Delivery {number} has no goods issue to reverse")
    for item in items_of(session, number):
        _move(session, item, out=False)
    delivery.OverallGoodsMovementStatus = NOT_YET_ISSUED
    session.add(delivery)
    ctx.record(session, "goods_movement 602", "A_OutbDeliveryHeader", number, {})
    return delivery


def _move(session: Session, item: DeliveryItemRow, out: bool) -> None:
    material = stock.get_material(session, item.Material)
    quantity = stock.to_base_unit(
        item.ActualDeliveryQuantity, item.DeliveryQuantityUnit, material.BaseUnit
    )
    where = (material, item.Plant, item.StorageLocation, item.Batch, stock.UNRESTRICTED)
    if out:
        stock.remove_stock(session, *where, quantity)
    else:
        stock.add_stock(session, *where, quantity)
