"""The MES dialect: ISA-95 / B2MML-like JSON with B2MML's PascalCase names (DispatchStatus,
MaterialLotID, the JobOrder commands).

Requests are strict (unknown fields are refused); responses are what the MES answers.
Quantities travel as ``{"QuantityString": "1000", "UnitOfMeasure": "PC"}``.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from refsystems.mes.rules import JobState

QUANTITY_PATTERN = r"^\d{1,12}(\.\d{1,6})?$"
VALUE_PATTERN = r"^-?\d{1,12}(\.\d{1,9})?$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class DialectModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class QuantityValue(DialectModel):
    QuantityString: str = Field(pattern=QUANTITY_PATTERN, examples=["1000"])
    UnitOfMeasure: str = Field(min_length=1, max_length=8, examples=["PC"])

    @property
    def value(self) -> Decimal:
        return Decimal(self.QuantityString)


class Scope(DialectModel):
    EquipmentID: str = Field(min_length=1, max_length=20)
    EquipmentLevel: str = "Site"


# --- requests ----------------------------------------------------------------------------


class SegmentRequirement(DialectModel):
    SegmentID: str = Field(min_length=1, max_length=20, pattern=ID_PATTERN)
    Description: str = ""


class JobOrderRequest(DialectModel):
    """Dispatch of a job order to a site (B2MML ProcessJobOrder)."""

    ID: str = Field(min_length=1, max_length=20, pattern=ID_PATTERN)
    HierarchyScope: Scope | None = None
    Description: str = ""
    MaterialDefinitionID: str = Field(min_length=1, max_length=40)
    MaterialRevision: str = ""
    PlannedQuantity: QuantityValue
    MaterialLotID: str = Field(min_length=1, max_length=20, pattern=ID_PATTERN)
    Segments: list[SegmentRequirement] = Field(min_length=1)


class CommandRequest(DialectModel):
    """Body of the JobOrder commands Hold, Restart, Pause, Resume and Abort."""

    Reason: str = ""
    NonconformanceID: str | None = None


class ReworkRequest(DialectModel):
    Reason: str = Field(min_length=1)
    NonconformanceID: str = Field(min_length=1)


class StartRequest(DialectModel):
    PersonID: str = ""


class MaterialActualRequest(DialectModel):
    MaterialDefinitionID: str = Field(min_length=1)
    MaterialLotID: str = Field(min_length=1)
    Quantity: QuantityValue
    SegmentID: str | None = None
    PersonID: str = ""


class SegmentResponseRequest(DialectModel):
    SegmentID: str = Field(min_length=1)
    ProducedQuantity: QuantityValue
    ScrapQuantity: QuantityValue | None = None
    Final: bool = False
    PersonID: str = ""


class ResultValue(DialectModel):
    ValueString: str = Field(pattern=VALUE_PATTERN, examples=["12150"])
    UnitOfMeasure: str = ""


class QualityTestRequest(DialectModel):
    """A measurement at a control point; TestSpecificationID is the QMS characteristic."""

    SegmentID: str = Field(min_length=1)
    TestSpecificationID: str = Field(min_length=1)
    SampleID: str = Field(min_length=1)
    Result: ResultValue
    PersonID: str = Field(min_length=1)


class JobResponseRequest(DialectModel):
    """Completion of the job: the good quantity of the produced lot."""

    GoodQuantity: QuantityValue
    MaterialLotID: str | None = None
    PersonID: str = ""


class SiteUpdate(DialectModel):
    AutoAccept: bool


CheckResult = Literal["Passed", "Failed"]


class PackagingCheck(DialectModel):
    """One check of a packaging verification (CheckIDs: ``rules.PACKAGING_CHECKS``)."""

    CheckID: str = Field(min_length=1, max_length=40, examples=["LabelText"])
    Result: CheckResult


class PackagingVerificationRequest(DialectModel):
    """An operator's packaging & labelling verification of a lot: every check, once.

    MaterialDefinitionID is required for a lot with no job order at this MES (packed
    elsewhere); for a lot this MES made it must match the job order's material if given.
    """

    PersonID: str = Field(min_length=1, max_length=40)
    MaterialDefinitionID: str | None = Field(default=None, min_length=1, max_length=40)
    Checks: list[PackagingCheck] = Field(min_length=1)
    Remarks: str = Field(default="", max_length=1000)


# --- responses ---------------------------------------------------------------------------


class SegmentStatus(DialectModel):
    SegmentID: str
    Description: str = ""
    SegmentState: str
    ProducedQuantity: QuantityValue | None = None
    ScrapQuantity: QuantityValue | None = None
    NonconformanceID: str | None = None


class MaterialActual(DialectModel):
    ID: str
    SegmentID: str | None = None
    MaterialDefinitionID: str
    MaterialLotID: str
    Quantity: QuantityValue
    PersonID: str = ""
    RecordedTime: str


class QualityTestResult(DialectModel):
    ID: str
    SegmentID: str
    TestSpecificationID: str
    SampleID: str
    Result: ResultValue
    PersonID: str
    RecordedTime: str


class JobResponseData(DialectModel):
    MaterialLotID: str
    GoodQuantity: QuantityValue
    EndTime: str


class JobOrder(DialectModel):
    """A job order as the MES holds it."""

    ID: str
    HierarchyScope: Scope
    Description: str = ""
    MaterialDefinitionID: str
    MaterialRevision: str = ""
    PlannedQuantity: QuantityValue
    MaterialLotID: str
    DispatchStatus: JobState = Field(description="B2MML JobOrderDispatchStatus")
    LotOnHold: bool = Field(
        default=False,
        description="The material lot is on hold (Held, or a Completed job's lot; the job "
        "stays Completed)",
    )
    PreviousDispatchStatus: JobState | None = Field(
        default=None, description="The status a hold interrupted (Restart returns to it)"
    )
    StatusReason: str = ""
    NonconformanceID: str | None = None
    CorrelationID: str = ""
    Segments: list[SegmentStatus]
    MaterialActuals: list[MaterialActual] = Field(default_factory=list)
    TestResults: list[QualityTestResult] = Field(default_factory=list)
    JobResponse: JobResponseData | None = None
    ReceivedTime: str
    LastUpdateTime: str


class ProcessSegment(DialectModel):
    SegmentID: str
    Description: str = ""


class Site(DialectModel):
    SiteID: str
    Description: str = ""
    AutoAccept: bool = True
    ProcessSegments: list[ProcessSegment] = Field(default_factory=list)


class PackagingVerification(DialectModel):
    """A lot's packaging & labelling verification; Result is Passed only if every check is."""

    ID: str
    HierarchyScope: Scope
    MaterialLotID: str
    MaterialDefinitionID: str
    JobOrderID: str | None = None
    PersonID: str
    VerificationTime: str
    Checks: list[PackagingCheck]
    Result: CheckResult
    Remarks: str = ""
    CorrelationID: str = ""
