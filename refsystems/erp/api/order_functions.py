"""API_PRODUCTION_ORDER_2_SRV's other function imports (POST, parameters in the query), with
the return types SAP publishes: FunctionMessage, SchedldProdOrdOpMessage for scheduling,
the order (A_ProductionOrder_2Type) for ConvertPlndOrder."""

from typing import Any

from fastapi import APIRouter, Request

from refsystems.erp import SERVICE_ROOT
from refsystems.erp.api.production_orders import _function_message
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import datetime_param, function_param
from refsystems.erp.rules import order_functions as rules
from refsystems.erp.rules.orders import get_order
from refsystems.erp.schemas.entities import PRODUCTION_ORDER_SRV

router = APIRouter(prefix=f"{SERVICE_ROOT}/{PRODUCTION_ORDER_SRV}", tags=[PRODUCTION_ORDER_SRV])


def _order(request: Request) -> str:
    return function_param(request, "ManufacturingOrder")


@router.post("/ReleaseOperation", dependencies=[WriteLock])
def release_operation(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order_id = _order(request)
    operation = function_param(request, "ManufacturingOrderOperation")
    raw_sequence = request.query_params.get("ManufacturingOrderSequence")
    sequence = function_param(request, "ManufacturingOrderSequence") if raw_sequence else ""
    rules.release_operation(session, order_id, operation, sequence, ctx)
    order = get_order(session, order_id)
    session.commit()
    text = f"Operation {operation} of order {order_id} released"
    return _function_message("ReleaseOperation", order, text)


@router.post("/CloseOrder", dependencies=[WriteLock])
def close_order(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = rules.close(session, _order(request), ctx)
    session.commit()
    return _function_message("CloseOrder", order, f"Order {order.ManufacturingOrder} closed")


@router.post("/DeletionIndOrder", dependencies=[WriteLock])
def deletion_indicator(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = rules.set_deletion_indicator(session, _order(request), ctx)
    session.commit()
    text = f"Order {order.ManufacturingOrder} has the deletion indicator"
    return _function_message("DeletionIndOrder", order, text)


@router.post("/DiscardOrder", dependencies=[WriteLock])
def discard_order(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = rules.discard(session, _order(request), ctx)
    session.commit()
    return _function_message("DiscardOrder", order, f"Order {order.ManufacturingOrder} discarded")


@router.post("/DeliveryCompletedOrder", dependencies=[WriteLock])
def delivery_completed(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = rules.complete_delivery(session, _order(request), ctx)
    session.commit()
    text = f"Order {order.ManufacturingOrder} delivery completed"
    return _function_message("DeliveryCompletedOrder", order, text)


@router.post("/OrderReleasedByMES", dependencies=[WriteLock])
def released_by_mes(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = rules.released_by_mes(session, _order(request), ctx)
    session.commit()
    text = f"Release of order {order.ManufacturingOrder} acknowledged by MES"
    return _function_message("OrderReleasedByMES", order, text)


@router.post("/ScheduleProductionOrderOperation", dependencies=[WriteLock])
def schedule_operation(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order_id = _order(request)
    for required in ("OpSchedulingMode", "OpSchedulingStrategy"):
        function_param(request, required)
    operation = rules.schedule_operation(
        session,
        order_id,
        function_param(request, "OrderInternalBillOfOperations"),
        function_param(request, "OrderIntBillOfOperationsItem"),
        datetime_param(request, "OpSchedldStartDate"),
        datetime_param(request, "OpSchedldEndDate"),
        ctx,
    )
    session.commit()
    message = {
        "__metadata": {"type": f"{PRODUCTION_ORDER_SRV}.SchedldProdOrdOpMessage"},
        "ManufacturingOrder": order_id,
        "OrderInternalBillOfOperations": operation.OrderInternalBillOfOperations,
        "OrderIntBillOfOperationsItem": operation.OrderIntBillOfOperationsItem,
        "ManufacturingOrderOperation": operation.ManufacturingOrderOperation,
        "Message": f"Operation {operation.ManufacturingOrderOperation} scheduled",
    }
    return {"d": {"ScheduleProductionOrderOperation": message}}


@router.post("/ConvertPlndOrder", dependencies=[WriteLock])
def convert_planned_order(request: Request) -> dict[str, Any]:
    rules.convert_planned_order(function_param(request, "PlannedOrder"))
    return {}
