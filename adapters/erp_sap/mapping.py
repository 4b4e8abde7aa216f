"""SAP's entities into canonical models: plants, units, status flags and stock types."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from adapters.erp_sap.odata import is_set, parse_decimal
from canonical.commands import LotStock
from canonical.enums import ErpOrderStatus, StockStatus
from canonical.manufacturing import Component, Item, Operation, WorkOrder
from canonical.plant_config import UnitConversion, to_canonical

# InventoryStockType -> canonical stock status
STOCK_TYPES = {
    "01": StockStatus.UNRESTRICTED,
    "02": StockStatus.QUALITY_INSPECTION,
    "07": StockStatus.BLOCKED,
    "08": StockStatus.BLOCKED,  # restricted-use: a restricted (held) batch's free stock
}


def order_status(order: dict[str, Any]) -> ErpOrderStatus:
    """The furthest status flag set on the header wins; the deletion flag above all."""
    if is_set(order.get("OrderIsMarkedForDeletion")):
        return ErpOrderStatus.MARKED_FOR_DELETION
    if is_set(order.get("OrderIsClosed")):
        return ErpOrderStatus.CLOSED
    if is_set(order.get("OrderIsTechnicallyCompleted")):
        return ErpOrderStatus.TECHNICALLY_COMPLETE
    if is_set(order.get("OrderIsConfirmed")):
        return ErpOrderStatus.CONFIRMED
    if is_set(order.get("OrderIsPartiallyConfirmed")):
        return ErpOrderStatus.PARTIALLY_CONFIRMED
    if is_set(order.get("OrderIsReleased")):
        return ErpOrderStatus.RELEASED
    return ErpOrderStatus.CREATED


def output_batch(order: dict[str, Any]) -> str:
    """The batch the order produces: on its item (A_ProductionOrderItem_2), as in S/4HANA,
    whose order header has no Batch. The first item is the order's main output."""
    items = order["to_ProductionOrderItem"]["results"]
    return str(items[0].get("Batch") or "") if items else ""


def _quantity(value: Any, unit: str, units: list[UnitConversion]) -> tuple[Decimal, str]:
    return to_canonical(parse_decimal(value), unit, units)


def work_order(
    order: dict[str, Any],
    plant: str,
    units: list[UnitConversion],
    delivery_ids: list[str],
    confirmed_scrap: dict[str, Decimal] | None = None,
) -> WorkOrder:
    """A_ProductionOrder_2 with expanded operations and components -> WorkOrder."""
    quantity, unit = _quantity(order["TotalQuantity"], order["ProductionUnit"], units)
    operations = []
    for op in order["to_ProductionOrderOperation"]["results"]:
        planned, op_unit = _quantity(op["OpPlannedTotalQuantity"], op["OperationUnit"], units)
        yield_qty, _ = _quantity(op.get("OpTotalConfirmedYieldQty"), op["OperationUnit"], units)
        operations.append(
            Operation(
                operation_id=op["ManufacturingOrderOperation"],
                work_center=op.get("WorkCenter", ""),
                description=op.get("MfgOrderOperationText", ""),
                planned_quantity=planned,
                unit=op_unit,
                confirmed_yield=yield_qty,
                # S/4's operation has no confirmed scrap: summed from its confirmations.
                confirmed_scrap=to_canonical(
                    (confirmed_scrap or {}).get(op["ManufacturingOrderOperation"], Decimal(0)),
                    op["OperationUnit"],
                    units,
                )[0],
            )
        )
    components = []
    for comp in order["to_ProductionOrderComponent"]["results"]:
        required, comp_unit = _quantity(comp["RequiredQuantity"], comp["BaseUnit"], units)
        components.append(
            Component(
                item_id=comp["Material"],
                required_quantity=required,
                unit=comp_unit,
                lot=comp.get("Batch") or None,
            )
        )
    return WorkOrder(
        order_id=order["ManufacturingOrder"],
        plant=plant,
        item=Item(
            item_id=order["Material"],
            revision="",  # S/4HANA's order carries no revision level
            description="",  # S/4's order has no material text (API_PRODUCT_SRV has)
            base_unit=unit,
        ),
        quantity=quantity,
        unit=unit,
        output_lot=output_batch(order),
        status=order_status(order),
        operations=operations,
        components=components,
        delivery_ids=delivery_ids,
    )


def lot_stock(
    item_id: str,
    lot_id: str,
    rows: list[dict[str, Any]],
    restricted: bool,
    units: list[UnitConversion],
    returns: Sequence[dict[str, Any]] = (),
) -> LotStock:
    """A_MatlStkInAcctMod rows of one batch -> quantities per canonical stock status;
    its return deliveries (122 items not reversed) are the ``returned`` quantity."""
    quantities = {status: Decimal(0) for status in STOCK_TYPES.values()}
    quantities[StockStatus.RETURNED] = Decimal(0)
    unit = ""
    for item in returns:
        if is_set(item.get("GoodsMovementIsCancelled")):
            continue
        quantity, unit = _quantity(item["QuantityInBaseUnit"], item["MaterialBaseUnit"], units)
        quantities[StockStatus.RETURNED] += quantity
    for row in rows:
        status = STOCK_TYPES.get(row["InventoryStockType"])
        if status is None:
            continue
        quantity, unit = _quantity(
            row["MatlWrhsStkQtyInMatlBaseUnit"], row["MaterialBaseUnit"], units
        )
        quantities[status] += quantity
    return LotStock(
        item_id=item_id, lot_id=lot_id, quantities=quantities, unit=unit, restricted=restricted
    )
