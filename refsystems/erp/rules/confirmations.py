"""Operation confirmations (ProdnOrdConf2) and their cancellation.

A confirmation adds yield and scrap to its operation; the order header follows: partially
confirmed while any operation has active confirmations, confirmed once every operation
is finally confirmed, and its confirmed yield is the last operation's.
"""

from decimal import Decimal

from sqlmodel import Session, col, func, select

from refsystems.common.context import WriteContext
from refsystems.erp.edm import start_of_day
from refsystems.erp.errors import ErpError, not_found
from refsystems.erp.rules.orders import get_order, operations, require_released
from refsystems.erp.rules.stock import to_base_unit
from refsystems.erp.schemas.requests import ConfirmationIn
from refsystems.erp.tables import ConfirmationRow, OperationRow, ProductionOrderRow, utcnow


def confirmation_key(row: ConfirmationRow) -> str:
    return f"{row.ConfirmationGroup}/{row.ConfirmationCount}"


def get_confirmation(session: Session, group: str, count: str) -> ConfirmationRow:
    row = session.get(ConfirmationRow, (group, count))
    if row is None:
        raise not_found("ProdnOrdConf2", f"({group}, {count})")
    return row


def _next_count(session: Session, group: str) -> str:
    query = select(func.count()).select_from(ConfirmationRow)
    used = session.exec(query.where(ConfirmationRow.ConfirmationGroup == group)).one()
    return str(used + 1).zfill(8)


def _active(session: Session, group: str) -> list[ConfirmationRow]:
    query = select(ConfirmationRow).where(
        ConfirmationRow.ConfirmationGroup == group,
        col(ConfirmationRow.IsReversal).is_(False),
        col(ConfirmationRow.IsReversed).is_(False),
    )
    return list(session.exec(query))


def confirm(session: Session, body: ConfirmationIn, ctx: WriteContext) -> ConfirmationRow:
    order = get_order(session, body.OrderID)
    require_released(order)
    op = next(
        (
            o
            for o in operations(session, order.ManufacturingOrder)
            if o.ManufacturingOrderOperation == body.OrderOperation
        ),
        None,
    )
    if op is None:
        raise ErpError(
            "RU/106", f"Operation {body.OrderOperation} does not exist in order {body.OrderID}"
        )
    unit = body.ConfirmationUnit
    yield_qty = to_base_unit(body.ConfirmationYieldQuantity, unit, op.OperationUnit)
    scrap_qty = to_base_unit(body.ConfirmationScrapQuantity, unit, op.OperationUnit)
    op.OpTotalConfirmedYieldQty += yield_qty
    op.OpTotalConfirmedScrapQty += scrap_qty
    final = body.FinalConfirmationType == "X" or (
        body.FinalConfirmationType == "1"
        and op.OpTotalConfirmedYieldQty + op.OpTotalConfirmedScrapQty >= op.OpPlannedTotalQuantity
    )
    row = ConfirmationRow(
        ConfirmationGroup=op.OperationConfirmation,
        ConfirmationCount=_next_count(session, op.OperationConfirmation),
        OrderID=order.ManufacturingOrder,
        OrderOperation=op.ManufacturingOrderOperation,
        Sequence=body.Sequence,
        Plant=order.ProductionPlant,
        WorkCenter=op.WorkCenter,
        ConfirmationUnit=op.OperationUnit,
        ConfirmationYieldQuantity=yield_qty,
        ConfirmationScrapQuantity=scrap_qty,
        FinalConfirmationType=body.FinalConfirmationType,
        IsFinalConfirmation=final,
        PostingDate=start_of_day(body.PostingDate or utcnow()),
        ConfirmationText=body.ConfirmationText,
    )
    session.add(row)
    _refresh_status(session, order, op)
    ctx.record(
        session,
        "confirmation",
        "ProdnOrdConf2",
        confirmation_key(row),
        {
            "order": row.OrderID,
            "operation": row.OrderOperation,
            "yield": yield_qty,
            "scrap": scrap_qty,
            "final": final,
        },
    )
    return row


def cancel(session: Session, group: str, count: str, ctx: WriteContext) -> ConfirmationRow:
    """Cancel one confirmation exactly once; returns the cancellation record."""
    original = get_confirmation(session, group, count)
    if original.IsReversal:
        raise ErpError("RU/506", f"Confirmation {group}/{count} is a cancellation itself")
    if original.IsReversed:
        raise ErpError("RU/505", f"Confirmation {group}/{count} was already cancelled")
    order = get_order(session, original.OrderID)
    op = next(
        o for o in operations(session, order.ManufacturingOrder) if o.OperationConfirmation == group
    )
    op.OpTotalConfirmedYieldQty -= original.ConfirmationYieldQuantity
    op.OpTotalConfirmedScrapQty -= original.ConfirmationScrapQuantity
    original.IsReversed = True
    session.add(original)
    reversal = ConfirmationRow(
        **original.model_dump(
            exclude={
                "ConfirmationCount",
                "IsReversed",
                "IsReversal",
                "IsFinalConfirmation",
                "CancldProdnOrdConfCount",
                "PostingDate",
            }
        ),
        ConfirmationCount=_next_count(session, group),
        IsReversal=True,
        CancldProdnOrdConfCount=original.ConfirmationCount,
        PostingDate=start_of_day(utcnow()),
    )
    session.add(reversal)
    _refresh_status(session, order, op)
    ctx.record(
        session,
        "confirmation_cancel",
        "ProdnOrdConf2",
        confirmation_key(reversal),
        {"cancels": confirmation_key(original)},
    )
    return reversal


def _refresh_status(session: Session, order: ProductionOrderRow, changed: OperationRow) -> None:
    session.add(changed)
    session.flush()
    ops = operations(session, order.ManufacturingOrder)
    any_active = False
    for op in ops:
        active = _active(session, op.OperationConfirmation)
        op.OperationIsConfirmed = any(c.IsFinalConfirmation for c in active)
        op.OperationIsPartiallyConfirmed = bool(active) and not op.OperationIsConfirmed
        any_active = any_active or bool(active)
        session.add(op)
    order.OrderIsConfirmed = all(op.OperationIsConfirmed for op in ops)
    order.OrderIsPartiallyConfirmed = any_active and not order.OrderIsConfirmed
    order.MfgOrderConfirmedYieldQty = ops[-1].OpTotalConfirmedYieldQty if ops else Decimal(0)
    session.add(order)
