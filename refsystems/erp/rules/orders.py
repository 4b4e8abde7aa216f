"""Production orders: creation (admin factory), release, technical completion, deletion
flag, status.

Status follows SAP: created -> released (REL) -> partially confirmed (PCNF) -> confirmed
(CNF) -> technically completed (TECO) -> closed (CLSD), each an 'X' flag on the header. The
deletion flag (DLFL, ``OrderIsMarkedForDeletion``) withdraws an order: like S/4HANA it is
refused while the order still carries goods movements or confirmations that are not
reversed (the order would keep a balance), and a flagged order takes no postings.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.erp.edm import start_of_day
from refsystems.erp.errors import ErpError, bad_request, not_found
from refsystems.erp.events import PRODUCTION_ORDER_RELEASED as RELEASED_EVENT
from refsystems.erp.events import emit
from refsystems.erp.numbering import next_number, reserve_external
from refsystems.erp.rules.inspection import cancel_lots_of_order
from refsystems.erp.rules.stock import ensure_batch, get_batch, get_material, to_base_unit
from refsystems.erp.schemas.requests import ProductionOrderIn
from refsystems.erp.tables import (
    ComponentRow,
    ConfirmationRow,
    DeliveryItemRow,
    DeliveryRow,
    MaterialDocumentItemRow,
    OperationRow,
    ProductionOrderRow,
    utcnow,
)


def get_order(session: Session, order_id: str) -> ProductionOrderRow:
    order = session.get(ProductionOrderRow, order_id)
    if order is None:
        raise not_found("A_ProductionOrder_2", f"('{order_id}')")
    return order


def require_released(order: ProductionOrderRow) -> None:
    """Postings need a released order that is not closed."""
    if not order.OrderIsReleased:
        raise ErpError("CO/124", f"Order {order.ManufacturingOrder} is not released (status CRTD)")
    if order.OrderIsClosed:
        raise ErpError("CO/301", f"Order {order.ManufacturingOrder} is closed")
    if order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order.ManufacturingOrder} is flagged for deletion")


def operations(session: Session, order_id: str) -> list[OperationRow]:
    query = select(OperationRow).where(OperationRow.ManufacturingOrder == order_id)
    return list(session.exec(query.order_by(col(OperationRow.ManufacturingOrderOperation))))


def components(session: Session, order_id: str) -> list[ComponentRow]:
    query = select(ComponentRow).where(ComponentRow.ManufacturingOrder == order_id)
    return list(session.exec(query.order_by(col(ComponentRow.ReservationItem))))


def release(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """Release the order and announce it, like S/4HANA's business event to Event Mesh."""
    order = get_order(session, order_id)
    if order.OrderIsTechnicallyCompleted or order.OrderIsClosed:
        raise ErpError("CO/301", f"Order {order_id} is technically completed; no release")
    if order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order_id} is flagged for deletion; no release")
    if order.OrderIsReleased:
        raise ErpError("CO/125", f"Order {order_id} is already released")
    order.OrderIsReleased = True
    order.OrderIsCreated = False
    order.MfgOrderActualReleaseDate = start_of_day(utcnow())
    session.add(order)
    for op in operations(session, order_id):
        op.OperationIsReleased = True
        session.add(op)
    data = {
        "ManufacturingOrder": order_id,
        "ProductionPlant": order.ProductionPlant,
        "Material": order.Material,
    }
    event_id = emit(session, RELEASED_EVENT, data)
    ctx.record(session, "release_order", "A_ProductionOrder_2", order_id, {"event_id": event_id})
    return order


def technically_complete(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    order = get_order(session, order_id)
    require_released(order)
    if order.OrderIsTechnicallyCompleted:
        raise ErpError("CO/301", f"Order {order_id} is already technically completed")
    order.OrderIsTechnicallyCompleted = True
    session.add(order)
    ctx.record(session, "technically_complete", "A_ProductionOrder_2", order_id, {})
    return order


def flag_for_deletion(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """DeletionFlagOrder: status DLFL, only once nothing posted against the order stands."""
    order = get_order(session, order_id)
    if order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order_id} is already flagged for deletion")
    open_postings = _open_postings(session, order_id)
    if open_postings:
        raise ErpError(
            "CO/303",
            f"Order {order_id} still has postings that are not reversed: "
            + ", ".join(open_postings),
        )
    order.OrderIsMarkedForDeletion = True
    session.add(order)
    cancel_lots_of_order(session, order_id)
    ctx.record(session, "deletion_flag", "A_ProductionOrder_2", order_id, {})
    return order


def _open_postings(session: Session, order_id: str) -> list[str]:
    """Goods movements and confirmations of the order that stand (neither reversed nor
    themselves a reversal)."""
    items = session.exec(
        select(MaterialDocumentItemRow).where(
            MaterialDocumentItemRow.ManufacturingOrder == order_id,
            col(MaterialDocumentItemRow.GoodsMovementIsCancelled).is_(False),
            MaterialDocumentItemRow.ReversedMaterialDocument == "",
        )
    )
    confirmations = session.exec(
        select(ConfirmationRow).where(
            ConfirmationRow.OrderID == order_id,
            col(ConfirmationRow.IsReversed).is_(False),
            col(ConfirmationRow.IsReversal).is_(False),
        )
    )
    return [
        f"material document {i.MaterialDocument}/{i.MaterialDocumentYear} ({i.GoodsMovementType})"
        for i in items
    ] + [f"confirmation {c.ConfirmationGroup}/{c.ConfirmationCount}" for c in confirmations]


def create(session: Session, body: ProductionOrderIn, ctx: WriteContext) -> ProductionOrderRow:
    """Create an order in status created, with routing, components and output batch."""
    material = get_material(session, body.Material)
    unit = body.ProductionUnit or material.BaseUnit
    to_base_unit(body.TotalQuantity, unit, material.BaseUnit)
    if body.ManufacturingOrder:
        order_id = body.ManufacturingOrder
        if session.get(ProductionOrderRow, order_id) is not None:
            raise ErpError("CO/007", f"Order {order_id} already exists", 409)
        reserve_external(session, "production_order", order_id)
    else:
        order_id = next_number(session, "production_order")
    op_numbers = [op.ManufacturingOrderOperation for op in body.to_ProductionOrderOperation]
    if len(set(op_numbers)) != len(op_numbers):
        raise bad_request(f"Operation numbers repeat: {op_numbers}")
    plant = body.ProductionPlant
    ensure_batch(session, material.Material, plant, body.Batch)
    order = ProductionOrderRow(
        ManufacturingOrder=order_id,
        ManufacturingOrderType=body.ManufacturingOrderType,
        Material=material.Material,
        MaterialName=material.MaterialName,
        MaterialRevisionLevel=material.RevisionLevel,
        ProductionPlant=plant,
        Plant=plant,
        StorageLocation=body.StorageLocation,
        Batch=body.Batch,
        OrderInternalBillOfOperations=next_number(session, "routing"),
        Reservation=next_number(session, "reservation"),
        ProductionUnit=unit,
        TotalQuantity=body.TotalQuantity,
        MfgOrderCreationDate=start_of_day(utcnow()),
        MfgOrderPlannedStartDate=_day(body.MfgOrderPlannedStartDate),
        MfgOrderPlannedEndDate=_day(body.MfgOrderPlannedEndDate),
    )
    session.add(order)
    for n, op in enumerate(body.to_ProductionOrderOperation, start=1):
        session.add(
            OperationRow(
                OrderInternalBillOfOperations=order.OrderInternalBillOfOperations,
                OrderIntBillOfOperationsItem=str(n).zfill(8),
                ManufacturingOrder=order_id,
                ManufacturingOrderOperation=op.ManufacturingOrderOperation,
                MfgOrderOperationText=op.MfgOrderOperationText,
                WorkCenter=op.WorkCenter,
                ProductionPlant=plant,
                OperationConfirmation=next_number(session, "confirmation_group"),
                OperationUnit=unit,
                OpPlannedTotalQuantity=op.OpPlannedTotalQuantity or body.TotalQuantity,
            )
        )
    for n, comp in enumerate(body.to_ProductionOrderComponent, start=1):
        comp_material = get_material(session, comp.Material)
        base_unit = comp.BaseUnit or comp_material.BaseUnit
        to_base_unit(comp.RequiredQuantity, base_unit, comp_material.BaseUnit)
        if comp.Batch:
            get_batch(session, comp.Material, plant, comp.Batch)
        session.add(
            ComponentRow(
                Reservation=order.Reservation,
                ReservationItem=str(n).zfill(4),
                ManufacturingOrder=order_id,
                ManufacturingOrderOperation=comp.ManufacturingOrderOperation,
                Material=comp.Material,
                Plant=plant,
                StorageLocation=comp.StorageLocation,
                Batch=comp.Batch,
                BaseUnit=base_unit,
                EntryUnit=base_unit,
                RequiredQuantity=comp.RequiredQuantity,
            )
        )
    details: dict[str, Any] = {"material": material.Material, "batch": body.Batch}
    if body.OutboundDelivery or body.WithOutboundDelivery:
        details["delivery"] = _create_delivery(session, order, body.OutboundDelivery)
    ctx.record(session, "create_production_order", "A_ProductionOrder_2", order_id, details)
    return order


def _day(value: datetime | None) -> datetime | None:
    return start_of_day(value) if value else None


def _create_delivery(session: Session, order: ProductionOrderRow, number: str | None) -> str:
    """The outbound delivery that will ship the order's output batch."""
    if number:
        if session.get(DeliveryRow, number) is not None:
            raise ErpError("VL/007", f"Delivery {number} already exists", 409)
        reserve_external(session, "outbound_delivery", number)
    else:
        number = next_number(session, "outbound_delivery")
    session.add(
        DeliveryRow(
            DeliveryDocument=number,
            ShippingPoint=order.ProductionPlant,
            PlannedGoodsIssueDate=order.MfgOrderPlannedEndDate,
        )
    )
    session.add(
        DeliveryItemRow(
            DeliveryDocument=number,
            DeliveryDocumentItem="000010",
            Material=order.Material,
            Plant=order.ProductionPlant,
            StorageLocation=order.StorageLocation,
            Batch=order.Batch,
            DeliveryQuantityUnit=order.ProductionUnit,
            ActualDeliveryQuantity=order.TotalQuantity,
        )
    )
    return number
