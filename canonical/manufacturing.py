"""Items, plants, orders, operations and lots in canonical terms."""

from decimal import Decimal

from pydantic import Field

from canonical.enums import ErpOrderStatus, MesOrderStatus, StockStatus
from canonical.messages import CanonicalModel

Quantity = Decimal


class Item(CanonicalModel):
    item_id: str = Field(min_length=1, max_length=40)
    revision: str = ""
    description: str = ""
    base_unit: str = Field(min_length=1, max_length=8, description="Canonical unit code")


class Operation(CanonicalModel):
    operation_id: str = Field(description="Canonical operation number, e.g. '0010'")
    work_center: str = ""
    description: str = ""
    planned_quantity: Quantity
    unit: str
    confirmed_yield: Quantity = Decimal(0)
    confirmed_scrap: Quantity = Decimal(0)


class Component(CanonicalModel):
    item_id: str
    required_quantity: Quantity
    unit: str
    lot: str | None = Field(default=None, description="Planned component lot (ERP batch)")


class WorkOrder(CanonicalModel):
    """A production order as ERP released it."""

    order_id: str = Field(min_length=1, max_length=12)
    plant: str
    item: Item
    quantity: Quantity = Field(gt=0)
    unit: str
    output_lot: str = Field(description="ERP batch the finished goods will be received into")
    status: ErpOrderStatus
    operations: list[Operation] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    delivery_ids: list[str] = Field(
        default_factory=list, description="Outbound deliveries of the output lot"
    )


class MaterialLot(CanonicalModel):
    lot_id: str
    item_id: str
    plant: str
    quantity: Quantity
    unit: str
    stock_status: StockStatus = StockStatus.UNRESTRICTED
    parent_lots: list[str] = Field(
        default_factory=list, description="Genealogy: lots consumed to make this one"
    )


class MesJob(CanonicalModel):
    """The MES side of a work order."""

    order_id: str
    plant: str
    status: MesOrderStatus
    lot_id: str
