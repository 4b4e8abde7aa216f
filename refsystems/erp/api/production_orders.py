"""API_PRODUCTION_ORDER_2_SRV: orders with their item (the output and its batch),
operations and components; ReleaseOrder, TechlyCmpltOrder and DeletionFlagOrder function
imports (the others are in order_functions.py)."""

from typing import Any

from fastapi import Request
from sqlmodel import Session, col, select

from refsystems.erp.api.entity_sets import add_entity_set, add_unkept_sets
from refsystems.erp.deps import Ctx, SessionDep, WriteLock
from refsystems.erp.errors import not_found
from refsystems.erp.odata import Expander, function_param, service_router
from refsystems.erp.rules import orders
from refsystems.erp.schemas.entities import (
    PRODUCTION_ORDER_SRV,
    ODataEntity,
    ProductionOrder,
    ProductionOrderComponent,
    ProductionOrderComponent2,
    ProductionOrderComponent3,
    ProductionOrderItem,
    ProductionOrderOperation,
    ProductionOrderStatus,
)
from refsystems.erp.tables import ComponentRow, OperationRow, ProductionOrderRow

router = service_router(
    PRODUCTION_ORDER_SRV,
    [
        "A_ProductionOrder_2",
        "A_ProductionOrderItem_2",
        "A_ProductionOrderStatus_2",
        "A_ProductionOrderOperation_2",
        "A_ProductionOrderComponent_2",
        "A_ProductionOrderComponent_3",
        "A_ProductionOrderComponent_4",
    ],
)
OUTPUT_ITEM = "0001"


def order_item(order: ProductionOrderRow) -> ProductionOrderItem:
    """The order's one output item (its batch, plant, storage location and quantities)."""
    return ProductionOrderItem(
        ManufacturingOrder=order.ManufacturingOrder,
        ManufacturingOrderItem=OUTPUT_ITEM,
        ManufacturingOrderCategory=order.ManufacturingOrderCategory,
        ManufacturingOrderType=order.ManufacturingOrderType,
        IsCompletelyDelivered=order.OrderIsDelivered,
        Material=order.Material,
        ProductionPlant=order.ProductionPlant,
        Plant=order.Plant,
        StorageLocation=order.StorageLocation,
        Batch=order.Batch,
        InventoryUsabilityCode="",
        ProductionUnit=order.ProductionUnit,
        MfgOrderItemPlannedTotalQty=order.TotalQuantity,
        MfgOrderItemPlannedScrapQty=order.MfgOrderPlannedScrapQty,
        MfgOrderItemGoodsReceiptQty=order.ActualDeliveredQuantity,
    )


# Order flag -> SAP system status (code, short name, name)
SYSTEM_STATUSES = (
    ("OrderIsCreated", "I0001", "CRTD", "Created"),
    ("OrderIsReleased", "I0002", "REL", "Released"),
    ("OrderIsPartiallyConfirmed", "I0010", "PCNF", "Partially confirmed"),
    ("OrderIsConfirmed", "I0009", "CNF", "Confirmed"),
    ("OrderIsPartiallyDelivered", "I0074", "PDLV", "Partially delivered"),
    ("OrderIsDelivered", "I0012", "DLV", "Delivered"),
    ("OrderIsTechnicallyCompleted", "I0045", "TECO", "Technically completed"),
    ("OrderIsClosed", "I0046", "CLSD", "Closed"),
    ("OrderIsMarkedForDeletion", "I0076", "DLFL", "Deletion flag"),
    ("OrderHasDeletionIndicator", "I0013", "DLT", "Deletion indicator"),
)


def order_statuses(order: ProductionOrderRow) -> list[ProductionOrderStatus]:
    """The order's active system statuses, read from its status flags."""
    return [
        ProductionOrderStatus(
            ManufacturingOrder=order.ManufacturingOrder,
            StatusCode=code,
            IsUserStatus=False,
            StatusShortName=short,
            StatusName=name,
        )
        for flag, code, short, name in SYSTEM_STATUSES
        if getattr(order, flag)
    ]


def _item_by_key(session: Session, key: dict[str, str]) -> ProductionOrderItem:
    item = order_item(orders.get_order(session, key["ManufacturingOrder"]))
    if key["ManufacturingOrderItem"] != item.ManufacturingOrderItem:
        raise not_found("A_ProductionOrderItem_2", str(tuple(key.values())))
    return item


def order_expander(session: Session) -> Expander:
    def expand(entity: ODataEntity, nav: str) -> list[ODataEntity]:
        assert isinstance(entity, ProductionOrder)
        order_id = entity.ManufacturingOrder
        if nav == "to_ProductionOrderItem":
            return [order_item(orders.get_order(session, order_id))]
        if nav == "to_ProductionOrderStatus":
            return list(order_statuses(orders.get_order(session, order_id)))
        if nav == "to_ProductionOrderOperation":
            ops = orders.operations(session, order_id)
            return [ProductionOrderOperation.model_validate(op) for op in ops]
        if nav == "to_ProductionRsceTools":
            return []  # the reference ERP keeps no production resources/tools
        view = COMPONENT_VIEWS[ProductionOrder.NAVIGATION[nav]]
        return [view.model_validate(c) for c in orders.components(session, order_id)]

    return expand


add_entity_set(
    router,
    ProductionOrder,
    rows=lambda s: select(ProductionOrderRow).order_by(col(ProductionOrderRow.ManufacturingOrder)),
    one=lambda s, key: orders.get_order(s, key["ManufacturingOrder"]),
    expander=order_expander,
)
add_entity_set(
    router,
    ProductionOrderItem,
    rows=lambda s: [
        order_item(row)
        for row in s.exec(
            select(ProductionOrderRow).order_by(col(ProductionOrderRow.ManufacturingOrder))
        )
    ],
    one=_item_by_key,
)
add_entity_set(
    router,
    ProductionOrderStatus,
    rows=lambda s: [
        status
        for row in s.exec(
            select(ProductionOrderRow).order_by(col(ProductionOrderRow.ManufacturingOrder))
        )
        for status in order_statuses(row)
    ],
)
add_entity_set(
    router,
    ProductionOrderOperation,
    rows=lambda s: select(OperationRow).order_by(
        col(OperationRow.ManufacturingOrder), col(OperationRow.ManufacturingOrderOperation)
    ),
)
COMPONENT_VIEWS: dict[str, type[ODataEntity]] = {
    view.ENTITY_SET: view
    for view in (ProductionOrderComponent2, ProductionOrderComponent3, ProductionOrderComponent)
}
for component_view in COMPONENT_VIEWS.values():
    add_entity_set(
        router,
        component_view,
        rows=lambda s: select(ComponentRow).order_by(
            col(ComponentRow.ManufacturingOrder), col(ComponentRow.ReservationItem)
        ),
    )


def _function_message(name: str, order: ProductionOrderRow, text: str) -> dict[str, Any]:
    """SAP answers these function imports with its FunctionMessage complex type: a success
    message of class CO, the order number as its first variable."""
    return {
        "d": {
            name: {
                "__metadata": {"type": f"{PRODUCTION_ORDER_SRV}.FunctionMessage"},
                "SystemMessageType": "S",
                "SystemMessageIdentification": "CO",
                "SystemMessageNumber": "000",
                "SystemMessageLongText": text,
                "SystemMessageVariable1": order.ManufacturingOrder,
                "SystemMessageVariable2": "",
                "SystemMessageVariable3": "",
                "SystemMessageVariable4": "",
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


add_unkept_sets(router, PRODUCTION_ORDER_SRV)
