"""The parts of the QMS dialect this adapter reads, as it sees them on the wire.

Kept apart from the reference server's own schemas on purpose: the adapter depends on the
wire format only, and ignores fields it does not use, as it would with a vendor's QMS.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from canonical.identifiers import (
    EventId,
    Identifier,
    ItemId,
    LotId,
    Measurement,
    NonNegativeQuantity,
    OrderId,
    Text,
)


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
    NotificationType: str = ""
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
    EventID: EventId
    EventTime: AwareDatetime
    CorrelationID: EventId
    InspectionLot: Identifier
    Site: Identifier
    Origin: Literal["01", "03", "04"] | None = None
    Material: ItemId | Literal[""] | None = None
    Batch: LotId | Literal[""] | None = None
    SourceOrder: OrderId | Literal[""] | None = None
    PurchaseOrder: Identifier | Literal[""] | None = None
    Supplier: Identifier | Literal[""] | None = None


class ResultRecorded(Event):
    MIC: Identifier
    SampleID: Identifier
    MeasuredValue: Measurement
    Unit: str = ""
    RecordedBy: Identifier
    Valuation: Literal["A", "R"]
    NotificationNumber: Identifier | None = None


class NotificationCreated(Event):
    NotificationNumber: Identifier
    NotificationType: str = ""
    ReportedBy: Identifier
    DefectText: Text = ""


class UsageDecisionMade(Event):
    Code: Literal["A", "R"]
    DecidedBy: Identifier
    DecidedAt: datetime | None = None
    QtyToFree: NonNegativeQuantity
    QtyToBlocked: NonNegativeQuantity
    Unit: str = Field(min_length=1)
