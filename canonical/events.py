"""Business events that travel between systems and the sagas, in canonical terms."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from canonical.messages import Envelope
from canonical.quality import LotDeviation


class ProductionOrderReleased(Envelope):
    """ERP released a production order. Thin, like an S/4HANA business event: the saga
    reads the order's details from ERP itself."""

    order_id: str = Field(min_length=1, max_length=12)


class MesEventBase(Envelope):
    event_id: str = Field(min_length=1, description="MES's own id; MES may deliver an event twice")
    order_id: str = Field(min_length=1)


class JobAcknowledged(MesEventBase):
    kind: Literal["job_acknowledged"] = "job_acknowledged"
    lot_id: str


class MaterialIssued(MesEventBase):
    kind: Literal["material_issued"] = "material_issued"
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str


class OperationConfirmed(MesEventBase):
    kind: Literal["operation_confirmed"] = "operation_confirmed"
    operation_id: str
    yield_quantity: Decimal = Field(ge=0)
    scrap_quantity: Decimal = Field(default=Decimal(0), ge=0)
    unit: str
    final: bool = False


class InspectionSampleTaken(MesEventBase):
    kind: Literal["inspection_sample_taken"] = "inspection_sample_taken"
    operation_id: str
    characteristic_id: str
    sample_id: str
    measured_value: Decimal
    unit: str = ""
    inspector: str = Field(min_length=1, description="User id of whoever took the measurement")


class JobCompleted(MesEventBase):
    kind: Literal["job_completed"] = "job_completed"
    lot_id: str
    good_quantity: Decimal = Field(ge=0)
    unit: str


MesEvent = Annotated[
    JobAcknowledged | MaterialIssued | OperationConfirmed | InspectionSampleTaken | JobCompleted,
    Field(discriminator="kind"),
]


class QmsEventBase(Envelope):
    event_id: str = Field(min_length=1)
    inspection_lot_id: str
    order_id: str | None = None
    lot_id: str | None = None
    item_id: str | None = None
    origin: str | None = Field(default=None, description="production | goods_receipt")


class InspectionResultRecorded(QmsEventBase):
    kind: Literal["inspection_result_recorded"] = "inspection_result_recorded"
    characteristic_id: str
    sample_id: str
    measured_value: Decimal
    unit: str = ""
    passed: bool
    recorded_by: str
    nonconformance_id: str | None = None


class NonconformanceOpened(QmsEventBase):
    kind: Literal["nonconformance_opened"] = "nonconformance_opened"
    nonconformance_id: str
    raised_by: str
    description: str = ""


class UsageDecisionMade(QmsEventBase):
    """QMS decided on a lot: release (accepted) or reject, with the quantities each way."""

    kind: Literal["usage_decision_made"] = "usage_decision_made"
    accepted: bool
    decided_by: str
    quantity_free: Decimal = Field(default=Decimal(0), ge=0)
    quantity_blocked: Decimal = Field(default=Decimal(0), ge=0)
    unit: str = ""


QmsEvent = Annotated[
    InspectionResultRecorded | NonconformanceOpened | UsageDecisionMade,
    Field(discriminator="kind"),
]


class GoodsReceiptPosted(Envelope):
    """ERP posted a goods receipt for a purchase order into quality-inspection stock."""

    material_document: str = Field(min_length=1, description="ERP document, e.g. '5000000001/2026'")
    purchase_order: str = Field(min_length=1)
    purchase_order_item: str = "00010"
    supplier: str = Field(min_length=1)
    item_id: str = Field(min_length=1)
    lot_id: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0)
    unit: str


class PurchaseOrderCancelled(Envelope):
    purchase_order: str = Field(min_length=1)
    reason: str = ""


class FinishedLotReceived(Envelope):
    """ERP received a finished lot into stock (a production goods receipt)."""

    material_document: str = Field(min_length=1)
    item_id: str = Field(min_length=1)
    lot_id: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0)
    unit: str
    order_id: str | None = None
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

    event_id: str = Field(min_length=1)
    item_id: str
    lot_id: str
    sample_id: str
    passed: bool
    results: list[LabResult]
    authorized_by: str


class PackagingVerified(Envelope):
    """MES recorded the packaging and labelling verification of a lot."""

    event_id: str = Field(min_length=1)
    order_id: str | None = None
    item_id: str
    lot_id: str
    passed: bool
    verified_by: str
    checks: dict[str, bool] = Field(default_factory=dict, description="check -> passed")
    remarks: str = ""
