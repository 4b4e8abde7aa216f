"""Business events that travel between systems and the sagas, in canonical terms."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from canonical.enums import NonconformanceSource
from canonical.identifiers import (
    EventId,
    Identifier,
    ItemId,
    LotId,
    Measurement,
    NonNegativeQuantity,
    OrderId,
    PositiveQuantity,
)
from canonical.messages import Envelope
from canonical.quality import LotDeviation


class ProductionOrderReleased(Envelope):
    """ERP released a production order. Thin, like an S/4HANA business event: the saga
    reads the order's details from ERP itself."""

    order_id: OrderId


class MesEventBase(Envelope):
    event_id: EventId = Field(description="MES's own id; MES may deliver an event twice")
    order_id: OrderId


class JobAcknowledged(MesEventBase):
    kind: Literal["job_acknowledged"] = "job_acknowledged"
    lot_id: LotId


class MaterialIssued(MesEventBase):
    kind: Literal["material_issued"] = "material_issued"
    item_id: ItemId
    lot_id: LotId
    quantity: PositiveQuantity
    unit: str


class OperationConfirmed(MesEventBase):
    kind: Literal["operation_confirmed"] = "operation_confirmed"
    operation_id: Identifier
    yield_quantity: NonNegativeQuantity
    scrap_quantity: NonNegativeQuantity = Decimal(0)
    unit: str
    final: bool = False


class InspectionSampleTaken(MesEventBase):
    kind: Literal["inspection_sample_taken"] = "inspection_sample_taken"
    operation_id: Identifier
    characteristic_id: Identifier
    sample_id: Identifier
    measured_value: Measurement
    unit: str = ""
    inspector: str = Field(min_length=1, description="User id of whoever took the measurement")


class JobCompleted(MesEventBase):
    kind: Literal["job_completed"] = "job_completed"
    lot_id: LotId
    good_quantity: NonNegativeQuantity
    unit: str


MesEvent = Annotated[
    JobAcknowledged | MaterialIssued | OperationConfirmed | InspectionSampleTaken | JobCompleted,
    Field(discriminator="kind"),
]


class QmsEventBase(Envelope):
    event_id: EventId
    inspection_lot_id: Identifier
    order_id: OrderId | None = None
    lot_id: LotId | None = None
    item_id: ItemId | None = None
    origin: str | None = Field(default=None, description="production | goods_receipt")


class InspectionResultRecorded(QmsEventBase):
    kind: Literal["inspection_result_recorded"] = "inspection_result_recorded"
    characteristic_id: Identifier
    sample_id: Identifier
    measured_value: Measurement
    unit: str = ""
    passed: bool
    recorded_by: str
    nonconformance_id: str | None = None


class NonconformanceOpened(QmsEventBase):
    kind: Literal["nonconformance_opened"] = "nonconformance_opened"
    nonconformance_id: str
    raised_by: str
    description: str = ""
    source: NonconformanceSource | None = Field(
        default=None, description="inspection (a defect found) or complaint (raised by a person)"
    )


class UsageDecisionMade(QmsEventBase):
    """QMS decided on a lot: release (accepted) or reject, with the quantities each way."""

    kind: Literal["usage_decision_made"] = "usage_decision_made"
    accepted: bool
    decided_by: str
    quantity_free: NonNegativeQuantity = Decimal(0)
    quantity_blocked: NonNegativeQuantity = Decimal(0)
    unit: str = ""


QmsEvent = Annotated[
    InspectionResultRecorded | NonconformanceOpened | UsageDecisionMade,
    Field(discriminator="kind"),
]


class GoodsReceiptPosted(Envelope):
    """ERP posted a goods receipt for a purchase order into quality-inspection stock."""

    material_document: str = Field(min_length=1, description="ERP document, e.g. '5000000001/2026'")
    purchase_order: Identifier
    purchase_order_item: Identifier = "00010"
    supplier: Identifier
    item_id: ItemId
    lot_id: LotId
    quantity: PositiveQuantity
    unit: str


class PurchaseOrderCancelled(Envelope):
    purchase_order: Identifier
    reason: str = ""


class FinishedLotReceived(Envelope):
    """ERP received a finished lot into stock (a production goods receipt)."""

    material_document: Identifier
    item_id: ItemId
    lot_id: LotId
    quantity: PositiveQuantity
    unit: str
    order_id: OrderId | None = None
    deviations_known: bool = Field(
        default=False,
        description="True when the production saga sends it: ``deviations`` is the whole list",
    )
    deviations: list[LotDeviation] = Field(
        default_factory=list, description="Nonconformances found while the lot was made"
    )


class LabResult(BaseModel):
    test_id: str
    description: str = ""
    value: Decimal | None = None
    text: str = Field(default="", description="Qualitative result, e.g. 'conforms'")
    unit: str = ""
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None
    passed: bool
    analyst: str = ""


class LabResultsAuthorized(Envelope):
    """The laboratory (LIMS) authorised a lot's results: the lab checkpoint's answer."""

    event_id: EventId
    item_id: ItemId
    lot_id: LotId
    sample_id: Identifier
    passed: bool
    results: list[LabResult]
    authorized_by: str


class PackagingVerified(Envelope):
    """MES recorded the packaging and labelling verification of a lot."""

    event_id: EventId
    order_id: OrderId | None = None
    item_id: ItemId
    lot_id: LotId
    passed: bool
    verified_by: str
    checks: dict[str, bool] = Field(default_factory=dict, description="check -> passed")
    remarks: str = ""
