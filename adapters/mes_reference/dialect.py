"""The reference MES's dialect as the adapter reads it: event payloads and the job order.

Tolerant readers (unknown fields are ignored, so the MES may add fields), strict about
what the canonical events need. Mirrors ``refsystems/mes`` without importing it: the
adapter only knows the wire format.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from canonical.identifiers import EventId, Identifier, ItemId, LotId, OrderId, Text


class _Dialect(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Quantity(_Dialect):
    QuantityString: Decimal = Field(ge=0, allow_inf_nan=False)
    UnitOfMeasure: str = Field(min_length=1)


class PositiveQuantity(Quantity):
    QuantityString: Decimal = Field(gt=0, allow_inf_nan=False)


class EventScope(_Dialect):
    EquipmentID: Identifier


class EventBase(_Dialect):
    """What every MES event carries (lot events may lack a job order and its correlation)."""

    EventID: EventId
    EventType: str | None = None
    EventTime: AwareDatetime
    HierarchyScope: EventScope
    CorrelationID: EventId | Literal[""] = ""
    JobOrderID: OrderId | None = None


class EventHeader(EventBase):
    """What every event about a job order carries."""

    CorrelationID: EventId
    JobOrderID: OrderId


class JobOrderAccepted(EventHeader):
    MaterialLotID: LotId


class MaterialActualData(_Dialect):
    MaterialDefinitionID: ItemId
    MaterialLotID: LotId
    Quantity: PositiveQuantity


class MaterialActualRecorded(EventHeader):
    MaterialActual: MaterialActualData


class SegmentResponseData(_Dialect):
    SegmentID: Identifier
    ProducedQuantity: Quantity
    ScrapQuantity: Quantity | None = None
    Final: bool = False


class SegmentResponseRecorded(EventHeader):
    SegmentResponse: SegmentResponseData


class ResultData(_Dialect):
    ValueString: Decimal = Field(allow_inf_nan=False)
    UnitOfMeasure: str = ""


class TestResultData(_Dialect):
    SegmentID: Identifier
    TestSpecificationID: Identifier
    SampleID: Identifier
    Result: ResultData
    PersonID: Identifier


class TestResultRecorded(EventHeader):
    __test__ = False  # not a pytest test class
    TestResult: TestResultData


class JobResponseData(_Dialect):
    MaterialLotID: LotId
    GoodQuantity: Quantity


class JobResponseCompleted(EventHeader):
    JobResponse: JobResponseData


CheckResult = Literal["Passed", "Failed"]


class PackagingCheckData(_Dialect):
    CheckID: Identifier
    Result: CheckResult


class PackagingVerificationData(_Dialect):
    Result: CheckResult
    Checks: list[PackagingCheckData] = Field(min_length=1)
    PersonID: Identifier
    Remarks: Text = ""


class PackagingVerificationRecorded(EventBase):
    """About a lot: JobOrderID is null (and CorrelationID may be empty) for a lot packed
    elsewhere."""

    MaterialDefinitionID: ItemId
    MaterialLotID: LotId
    PackagingVerification: PackagingVerificationData


class PackagingVerificationView(PackagingVerificationData):
    """The PackagingVerification document get_packaging_status reads."""

    MaterialLotID: str = Field(min_length=1)
    MaterialDefinitionID: str = Field(min_length=1)
    JobOrderID: str | None = None


class JobOrderScope(_Dialect):
    EquipmentID: str


class JobOrderView(_Dialect):
    """The part of a JobOrder document that get_job reads."""

    ID: str
    HierarchyScope: JobOrderScope
    MaterialLotID: str
    DispatchStatus: str
    LastUpdateTime: datetime | None = None
