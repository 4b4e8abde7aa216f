"""The production order function imports beyond release, TECO and the deletion flag, as
API_PRODUCTION_ORDER_2_SRV publishes them: release of one operation, close (CLSD), the
deletion indicator (DLT, after the flag), discard, final delivery (DLV), the MES's
acknowledgement of a release, scheduling one operation, and conversion of a planned order
(the reference ERP keeps no planned orders, so that one is always refused as not found).
"""

from datetime import datetime

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.rules.orders import get_order, require_released
from refsystems.erp.tables import OperationRow, ProductionOrderRow

ORDER_SET = "A_ProductionOrder_2"


def _not_completed(order: ProductionOrderRow) -> None:
    if order.OrderIsTechnicallyCompleted or order.OrderIsClosed:
        raise ErpError("CO/301", f"Order {order.ManufacturingOrder} is technically completed")
    if order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order.ManufacturingOrder} is flagged for deletion")


def release_operation(
    session: Session, order_id: str, operation: str, sequence: str, ctx: WriteContext
) -> OperationRow:
    """One operation released; the order itself stays as it is (SAP: partially released)."""
    order = get_order(session, order_id)
    _not_completed(order)
    found = session.exec(
        select(OperationRow).where(
            OperationRow.ManufacturingOrder == order_id,
            OperationRow.ManufacturingOrderOperation == operation,
            OperationRow.ManufacturingOrderSequence == (sequence or "0"),
        )
    ).first()
    if found is None:
        raise ErpError("RU/106", f"Operation {operation} does not exist in order {order_id}", 404)
    if found.OperationIsReleased:
        raise ErpError("CO/125", f"Operation {operation} of order {order_id} is already released")
    found.OperationIsReleased = True
    session.add(found)
    ctx.record(session, "release_operation", ORDER_SET, order_id, {"operation": operation})
    return found


def close(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """CLSD: only a technically completed order is closed, and only once."""
    order = get_order(session, order_id)
    if order.OrderIsClosed:
        raise ErpError("CO/301", f"Order {order_id} is already closed")
    if not order.OrderIsTechnicallyCompleted:
        raise ErpError("CO/124", f"Order {order_id} is not technically completed; no close")
    order.OrderIsClosed = True
    session.add(order)
    ctx.record(session, "close_order", ORDER_SET, order_id, {})
    return order


def set_deletion_indicator(
    session: Session, order_id: str, ctx: WriteContext
) -> ProductionOrderRow:
    """DLT: the step after the deletion flag (the order can then be archived)."""
    order = get_order(session, order_id)
    if not order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order_id} has no deletion flag; no deletion indicator")
    if order.OrderHasDeletionIndicator:
        raise ErpError("CO/302", f"Order {order_id} already has the deletion indicator")
    order.OrderHasDeletionIndicator = True
    session.add(order)
    ctx.record(session, "deletion_indicator", ORDER_SET, order_id, {})
    return order


def discard(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """An order that was never released is discarded: it takes the deletion flag."""
    order = get_order(session, order_id)
    if order.OrderIsReleased:
        raise ErpError("CO/125", f"Order {order_id} is released; it cannot be discarded")
    if order.OrderIsMarkedForDeletion:
        raise ErpError("CO/302", f"Order {order_id} is already flagged for deletion")
    order.OrderIsMarkedForDeletion = True
    session.add(order)
    ctx.record(session, "discard_order", ORDER_SET, order_id, {})
    return order


def complete_delivery(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """DLV: the final delivery indicator, whatever quantity was received."""
    order = get_order(session, order_id)
    require_released(order)
    if order.OrderIsDelivered:
        raise ErpError("CO/301", f"Order {order_id} is already delivered")
    order.OrderIsDelivered = True
    order.OrderIsPartiallyDelivered = False
    session.add(order)
    ctx.record(session, "delivery_completed", ORDER_SET, order_id, {})
    return order


def released_by_mes(session: Session, order_id: str, ctx: WriteContext) -> ProductionOrderRow:
    """The MES acknowledges a released order; the ledger keeps it, the status is unchanged."""
    order = get_order(session, order_id)
    require_released(order)
    ctx.record(session, "order_released_by_mes", ORDER_SET, order_id, {})
    return order


def schedule_operation(
    session: Session,
    order_id: str,
    bill_of_operations: str,
    item: str,
    start: datetime | None,
    end: datetime | None,
    ctx: WriteContext,
) -> OperationRow:
    """Scheduling is accepted for an operation of an open order (the reference ERP keeps no
    capacity plan, so the dates are recorded in the ledger only)."""
    order = get_order(session, order_id)
    _not_completed(order)
    operation = session.get(OperationRow, (bill_of_operations, item))
    if operation is None or operation.ManufacturingOrder != order_id:
        raise not_found("A_ProductionOrderOperation_2", f"('{bill_of_operations}','{item}')")
    details = {"start": start.isoformat() if start else "", "end": end.isoformat() if end else ""}
    ctx.record(session, "schedule_operation", ORDER_SET, order_id, details)
    return operation


def convert_planned_order(planned_order: str) -> ProductionOrderRow:
    raise ErpError("/IWBEP/CM_MGW_RT/020", f"Planned order {planned_order} does not exist", 404)
