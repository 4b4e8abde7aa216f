"""API_PRODUCTION_ORDER_2_SRV: orders with operations and components; ReleaseOrder,
TechlyCmpltOrder and DeletionFlagOrder function imports."""

from typing import Any

from fastapi import Request
from sqlmodel import Session, col, select

from refsystems.erp.api.entity_sets import add_entity_set
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.odata import Expander, function_param, service_router
from refsystems.erp.rules import orders
from refsystems.erp.schemas.entities import (
    PRODUCTION_ORDER_SRV,
    ODataEntity,
    ProductionOrder,
    ProductionOrderComponent,
    ProductionOrderOperation,
)
from refsystems.erp.tables import ComponentRow, OperationRow, ProductionOrderRow

router = service_router(
    PRODUCTION_ORDER_SRV,
    ["A_ProductionOrder_2", "A_ProductionOrderOperation_2", "A_ProductionOrderComponent_4"],
)


def order_expander(session: Session) -> Expander:
    def expand(entity: ODataEntity, nav: str) -> list[ODataEntity]:
        assert isinstance(entity, ProductionOrder)
        order_id = entity.ManufacturingOrder
        if nav == "to_ProductionOrderOperation":
            ops = orders.operations(session, order_id)
            return [ProductionOrderOperation.model_validate(op) for op in ops]
        comps = orders.components(session, order_id)
        return [ProductionOrderComponent.model_validate(c) for c in comps]

    return expand


add_entity_set(
    router,
    ProductionOrder,
    rows=lambda s: list(
        s.exec(select(ProductionOrderRow).order_by(col(ProductionOrderRow.ManufacturingOrder)))
    ),
    one=lambda s, key: orders.get_order(s, key["ManufacturingOrder"]),
    expander=order_expander,
)
add_entity_set(
    router,
    ProductionOrderOperation,
    rows=lambda s: list(
        s.exec(
            select(OperationRow).order_by(
                col(OperationRow.ManufacturingOrder), col(OperationRow.ManufacturingOrderOperation)
            )
        )
    ),
)
add_entity_set(
    router,
    ProductionOrderComponent,
    rows=lambda s: list(
        s.exec(
            select(ComponentRow).order_by(
                col(ComponentRow.ManufacturingOrder), col(ComponentRow.ReservationItem)
            )
        )
    ),
)


def _function_message(name: str, order: ProductionOrderRow, text: str) -> dict[str, Any]:
    """SAP answers these function imports with a FunctionMessage complex type."""
    return {
        "d": {
            name: {
                "__metadata": {"type": f"{PRODUCTION_ORDER_SRV}.FunctionMessage"},
                "ManufacturingOrder": order.ManufacturingOrder,
                "MessageType": "S",
                "MessageText": text,
            }
        }
    }


@router.post("/ReleaseOrder", dependencies=[WriteLock])
def release_order(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Release (status REL) and emit ProductionOrder.Released to the event outbox."""
    order = orders.release(session, function_param(request, "ManufacturingOrder"), ctx)
    session.commit()
    return _function_message("ReleaseOrder", order, f"Order {order.ManufacturingOrder} released")


@router.post("/TechlyCmpltOrder", dependencies=[WriteLock])
def technically_complete(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    order = orders.technically_complete(session, function_param(request, "ManufacturingOrder"), ctx)
    session.commit()
    return _function_message(
        "TechlyCmpltOrder", order, f"Order {order.ManufacturingOrder} technically completed"
    )


@router.post("/DeletionFlagOrder", dependencies=[WriteLock])
def deletion_flag(request: Request, session: SessionDep, ctx: Ctx) -> dict[str, Any]:
    """Status DLFL; refused (CO/303) while postings against the order stand."""
    order = orders.flag_for_deletion(session, function_param(request, "ManufacturingOrder"), ctx)
    session.commit()
    return _function_message(
        "DeletionFlagOrder", order, f"Order {order.ManufacturingOrder} flagged for deletion"
    )
