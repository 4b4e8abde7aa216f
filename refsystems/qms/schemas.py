"""The QMS dialect: PascalCase JSON, codes as a quality system writes them.

Codes: lot Origin "03" production (in-process) / "04" goods receipt from production (the
finished lot's final inspection) / "01" goods receipt from a vendor; lot Status CRTD -> INSP
-> RREC -> UD (or LTCA, cancelled); sample plan InspectionSeverity NORMAL / TIGHTENED /
REDUCED / SKIP / DISCONTINUED (supplier's inspection discontinued: 100 %, Ac 0);
notification type, as S/4 QM's standard types: F3 internal defect / F2 defect against a
vendor, opened by a rejected result in results recording, and Q3 internal problem / Q2
complaint against a vendor, raised by hand (the lot's origin picks F3/Q3 for production and
finished goods, F2/Q2 for a goods receipt: ``rules.DEFECT_TYPE``, ``rules.COMPLAINT_TYPE``);
Valuation "A" accepted / "R" rejected; notification Status OSNO -> NOPR -> NOCO;
Severity "1" critical / "2" major / "3" minor; Disposition UAI (use as is), RWK (rework), REP
(repair), SCR (scrap), RTV (return to vendor); usage decision Code "A" / "R"; SignerRole
QA-MGR (quality manager), QA-ENG (quality engineer), PROD-SUP (supervisor), PROD-OP
(operator); signature Meaning APPROVE-DISP, APPROVE-REL, REJECT-REL, OVERRIDE. Certificates
of analysis: see ``certificate_schemas``.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

OriginCode = Literal["01", "03", "04"]
LotStatusCode = Literal["CRTD", "INSP", "RREC", "UD", "LTCA"]
InspectionSeverityCode = Literal["NORMAL", "TIGHTENED", "REDUCED", "SKIP", "DISCONTINUED"]
NotificationTypeCode = Literal["F2", "F3", "Q2", "Q3"]
ValuationCode = Literal["A", "R"]
NotificationStatusCode = Literal["OSNO", "NOPR", "NOCO"]
SeverityCode = Literal["1", "2", "3"]
DispositionCode = Literal["UAI", "RWK", "REP", "SCR", "RTV"]
RoleCode = Literal["QA-MGR", "QA-ENG", "PROD-SUP", "PROD-OP"]
MeaningCode = Literal["APPROVE-DISP", "APPROVE-REL", "REJECT-REL", "OVERRIDE"]
DecisionCode = Literal["A", "R"]

Name = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Reference = Annotated[str, StringConstraints(max_length=40)]


class Dialect(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- inspection plans (master data) ----------------------------------------------------------


class Characteristic(Dialect):
    MIC: Name
    Description: str = ""
    Target: Decimal | None = None
    LowerLimit: Decimal | None = None
    UpperLimit: Decimal | None = None
    Unit: str = ""


class InspectionPlan(Dialect):
    Material: Name
    Description: str = ""
    Characteristics: list[Characteristic] = Field(min_length=1)


# --- inspection lots, results, usage decisions -----------------------------------------------


class SamplingPlan(Dialect):
    """The sample plan a caller computed for a receipt lot (ANSI/ASQ Z1.4 style). A skip lot
    is inspected by nobody: it takes a usage decision directly."""

    InspectionSeverity: InspectionSeverityCode
    CodeLetter: str = Field(default="", max_length=2)
    AQL: Decimal = Field(ge=0)
    SampleSize: int = Field(ge=0)
    AcceptNumber: int = Field(ge=0)
    RejectNumber: int = Field(ge=1)
    SkipLot: bool = False
    SkipReason: str = Field(default="", max_length=400)

    @model_validator(mode="after")
    def _consistent(self) -> "SamplingPlan":
        if self.AcceptNumber >= self.RejectNumber:
            raise ValueError("AcceptNumber must be below RejectNumber")
        if self.InspectionSeverity == "SKIP" and not self.SkipLot:
            raise ValueError("InspectionSeverity SKIP needs SkipLot true")
        return self


class LotCreate(Dialect):
    Origin: OriginCode
    Material: Name
    Batch: Name
    Site: Name
    Quantity: Decimal = Field(gt=0)
    Unit: str = Field(min_length=1, max_length=8)
    SourceOrder: str = ""
    PurchaseOrder: Reference = ""
    Supplier: Reference = ""
    MaterialDocument: Reference = ""
    SamplePlan: SamplingPlan | None = None

    @model_validator(mode="after")
    def _receipt_data_on_receipt_lots(self) -> "LotCreate":
        receipt = self.PurchaseOrder or self.Supplier or self.MaterialDocument or self.SamplePlan
        if self.Origin != "01" and receipt:
            raise ValueError(
                "PurchaseOrder, Supplier, MaterialDocument and SamplePlan belong to "
                'goods-receipt lots (Origin "01")'
            )
        return self


class LotCancel(Dialect):
    Reason: str = Field(min_length=1, max_length=400)
    CancelledBy: Reference = ""


class LotCancellation(Dialect):
    Reason: str
    CancelledBy: str
    CancelledAt: datetime


class ResultIn(Dialect):
    MIC: Name
    SampleID: Name
    MeasuredValue: Decimal
    Unit: str = Field(default="", description="Empty means the characteristic's unit")
    RecordedBy: Name


class ResultOut(Dialect):
    InspectionLot: str
    MIC: str
    SampleID: str
    MeasuredValue: Decimal
    Unit: str
    RecordedBy: str
    RecordedAt: datetime
    Valuation: ValuationCode
    NotificationNumber: str | None = None


class UsageDecisionIn(Dialect):
    Code: DecisionCode
    DecidedBy: Name
    DecidedAt: AwareDatetime | None = None
    QtyToFree: Decimal | None = Field(default=None, ge=0)
    QtyToBlocked: Decimal | None = Field(default=None, ge=0)


class UsageDecisionOut(Dialect):
    Code: DecisionCode
    DecidedBy: str
    DecidedAt: datetime
    QtyToFree: Decimal
    QtyToBlocked: Decimal


class InspectionLot(Dialect):
    LotNumber: str
    Origin: OriginCode
    Material: str
    Batch: str
    Site: str
    Quantity: Decimal
    Unit: str
    SourceOrder: str
    PurchaseOrder: str = ""
    Supplier: str = ""
    MaterialDocument: str = ""
    SamplePlan: SamplingPlan | None = None
    Status: LotStatusCode
    CreatedAt: datetime
    Characteristics: list[Characteristic]
    Results: list[ResultOut] = Field(default_factory=list)
    Notifications: list[str] = Field(default_factory=list)
    UsageDecision: UsageDecisionOut | None = None
    Cancellation: LotCancellation | None = None


# --- quality notifications -------------------------------------------------------------------


class NotificationCreate(Dialect):
    """Raised by hand. Without a NotificationType, the lot's origin decides a complaint type
    (01: Q2, 03 and 04: Q3); a person recording a defect by hand may name F2 or F3. Q2 and F2
    are against a vendor: Supplier and PurchaseOrder default to the receipt lot's."""

    InspectionLot: Name
    ReportedBy: Name
    DefectText: str = Field(min_length=1, max_length=400)
    Severity: SeverityCode = "2"
    AffectedBatches: list[str] = Field(default_factory=list)
    NotificationType: NotificationTypeCode | None = None
    Supplier: Reference = ""
    PurchaseOrder: Reference = ""


class DispositionIn(Dialect):
    Code: DispositionCode
    SignedBy: Name
    SignerRole: RoleCode
    SignedAt: AwareDatetime
    Meaning: MeaningCode
    Reason: str = Field(min_length=3, max_length=400)


class DispositionOut(Dialect):
    Code: DispositionCode
    SignedBy: str
    SignerRole: RoleCode
    SignedAt: datetime
    Meaning: MeaningCode
    Reason: str


class NotificationComplete(Dialect):
    CompletedBy: Name


class Notification(Dialect):
    NotificationNumber: str
    NotificationType: NotificationTypeCode
    Status: NotificationStatusCode
    ReportedBy: str
    ReportedAt: datetime
    DefectText: str
    Severity: SeverityCode
    AffectedBatches: list[str]
    InspectionLot: str
    Material: str
    Site: str
    Supplier: str = ""
    PurchaseOrder: str = ""
    MIC: str | None = None
    SampleID: str | None = None
    Disposition: DispositionOut | None = None
    CompletedBy: str | None = None
    CompletedAt: datetime | None = None


class ErrorBody(Dialect):
    code: str
    message: str


class ErrorResponse(Dialect):
    """Every refusal: ``{"error": {"code": "LotDecided", "message": "..."}}``."""

    error: ErrorBody
