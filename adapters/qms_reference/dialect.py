"""The parts of the QMS dialect this adapter reads, as it sees them on the wire.

Kept apart from the reference server's own schemas on purpose: the adapter depends on the
wire format only, and ignores fields it does not use, as it would with a vendor's QMS.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Characteristic(Wire):
    MIC: str
    Description: str = ""
    Target: Decimal | None = None
    LowerLimit: Decimal | None = None
    UpperLimit: Decimal | None = None
    Unit: str = ""


class InspectionLot(Wire):
    LotNumber: str
    Quantity: Decimal
    Unit: str
    Status: str
    Characteristics: list[Characteristic]


class Result(Wire):
    InspectionLot: str
    MIC: str
    SampleID: str
    MeasuredValue: Decimal
    Unit: str = ""
    Valuation: Literal["A", "R"]
    NotificationNumber: str | None = None


class DispositionInfo(Wire):
    Code: str


class Notification(Wire):
    NotificationNumber: str
    Status: str
    ReportedBy: str
    DefectText: str = ""
    Severity: str = "2"
    AffectedBatches: list[str] = Field(default_factory=list)
    Disposition: DispositionInfo | None = None


class Certificate(Wire):
    CertificateNumber: str
    Material: str
    Batch: str
    MediaType: str
    Content: Annotated[str, StringConstraints(strip_whitespace=False)]
    """The document exactly as kept (a PDF in base64)."""


# --- events ----------------------------------------------------------------------------------


class Event(Wire):
    EventID: str = Field(min_length=1)
    EventTime: AwareDatetime
    CorrelationID: str = Field(min_length=1)
    InspectionLot: str = Field(min_length=1)
    Site: str = Field(min_length=1)
    Origin: Literal["01", "03", "04"] | None = None
    Material: str | None = None
    Batch: str | None = None
    SourceOrder: str | None = None
    PurchaseOrder: str | None = None
    Supplier: str | None = None


class ResultRecorded(Event):
    MIC: str = Field(min_length=1)
    SampleID: str = Field(min_length=1)
    MeasuredValue: Decimal
    Unit: str = ""
    RecordedBy: str = Field(min_length=1)
    Valuation: Literal["A", "R"]
    NotificationNumber: str | None = None


class NotificationCreated(Event):
    NotificationNumber: str = Field(min_length=1)
    ReportedBy: str = Field(min_length=1)
    DefectText: str = ""


class UsageDecisionMade(Event):
    Code: Literal["A", "R"]
    DecidedBy: str = Field(min_length=1)
    DecidedAt: datetime | None = None
    QtyToFree: Decimal = Field(ge=0)
    QtyToBlocked: Decimal = Field(ge=0)
    Unit: str = Field(min_length=1)
