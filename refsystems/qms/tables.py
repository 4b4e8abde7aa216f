"""The QMS's own tables. Decimals are stored as text so limits and values stay exact."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow


class InspectionPlanRow(SQLModel, table=True):
    """Plan header: one per material (master data)."""

    __tablename__ = "qm_plan"
    material: str = Field(primary_key=True)
    description: str = ""


class PlanCharacteristicRow(SQLModel, table=True):
    """A master inspection characteristic (MIC) of a plan, with its limits."""

    __tablename__ = "qm_plan_characteristic"
    __table_args__ = (UniqueConstraint("material", "mic"),)
    id: int | None = Field(default=None, primary_key=True)
    material: str = Field(index=True)
    seq: int = 0
    mic: str
    description: str = ""
    target: str | None = None
    lower_limit: str | None = None
    upper_limit: str | None = None
    unit: str = ""


class InspectionLotRow(SQLModel, table=True):
    __tablename__ = "qm_inspection_lot"
    id: int | None = Field(default=None, primary_key=True)
    lot_number: str = Field(default="", index=True)
    origin: str
    material: str = Field(index=True)
    batch: str = Field(index=True)
    site: str
    quantity: str
    unit: str
    source_order: str = Field(default="", index=True)
    status: str = "CRTD"
    correlation_id: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class LotCharacteristicRow(SQLModel, table=True):
    """A characteristic copied from the plan when the lot was created (plan changes don't
    alter a running inspection)."""

    __tablename__ = "qm_lot_characteristic"
    id: int | None = Field(default=None, primary_key=True)
    lot_number: str = Field(index=True)
    seq: int = 0
    mic: str
    description: str = ""
    target: str | None = None
    lower_limit: str | None = None
    upper_limit: str | None = None
    unit: str = ""


class ResultRow(SQLModel, table=True):
    __tablename__ = "qm_result"
    __table_args__ = (UniqueConstraint("lot_number", "mic", "sample_id"),)
    id: int | None = Field(default=None, primary_key=True)
    lot_number: str = Field(index=True)
    mic: str
    sample_id: str
    measured_value: str
    unit: str = ""
    recorded_by: str
    valuation: str
    notification_number: str | None = None
    recorded_at: datetime = Field(default_factory=utcnow)


class NotificationRow(SQLModel, table=True):
    """A quality notification (nonconformance) and its disposition signature."""

    __tablename__ = "qm_notification"
    id: int | None = Field(default=None, primary_key=True)
    notification_number: str = Field(default="", index=True)
    notification_type: str = "F3"
    status: str = "OSNO"
    reported_by: str
    reported_at: datetime = Field(default_factory=utcnow)
    defect_text: str = ""
    severity: str = "2"
    affected_batches: str = Field(default="[]", description="JSON list of batch numbers")
    inspection_lot: str = Field(index=True)
    material: str = ""
    site: str = ""
    mic: str | None = None
    sample_id: str | None = None
    disposition: str | None = None
    signed_by: str | None = None
    signer_role: str | None = None
    signed_at: datetime | None = None
    meaning: str | None = None
    reason: str | None = None
    completed_by: str | None = None
    completed_at: datetime | None = None


class ReceiptLotRow(SQLModel, table=True):
    """What a goods-receipt lot (Origin "01") carries besides the lot header: the purchase
    order it came in on and the sample plan the caller computed (the QMS records it as given).
    A table of its own, so databases made before receipt lots keep working."""

    __tablename__ = "qm_lot_receipt"
    lot_number: str = Field(primary_key=True)
    purchase_order: str = Field(default="", index=True)
    supplier: str = Field(default="", index=True)
    material_document: str = ""
    severity: str | None = None
    code_letter: str = ""
    aql: str | None = None
    sample_size: int | None = None
    accept_number: int | None = None
    reject_number: int | None = None
    skip_lot: bool = False
    skip_reason: str = ""


class LotCancellationRow(SQLModel, table=True):
    """Why and when a lot was cancelled (status LTCA)."""

    __tablename__ = "qm_lot_cancellation"
    lot_number: str = Field(primary_key=True)
    reason: str
    cancelled_by: str = ""
    cancelled_at: datetime = Field(default_factory=utcnow)


class NotificationPartnerRow(SQLModel, table=True):
    """The vendor a notification is against (Q2 complaint, F2 defect), like a partner function."""

    __tablename__ = "qm_notification_partner"
    notification_number: str = Field(primary_key=True)
    supplier: str = ""
    purchase_order: str = ""


class CertificateRow(SQLModel, table=True):
    """A certificate of analysis kept with a batch's quality records: one per batch and site,
    the document stored as its bytes (text/html as UTF-8, application/pdf as the PDF)."""

    __tablename__ = "qm_certificate"
    __table_args__ = (UniqueConstraint("site", "material", "batch"),)
    id: int | None = Field(default=None, primary_key=True)
    certificate_number: str = Field(unique=True, index=True)
    site: str
    material: str = Field(index=True)
    batch: str = Field(index=True)
    media_type: str
    content: bytes
    content_digest: str = Field(description="sha256:<hex> of the document's bytes")
    size: int
    issued_by: str
    issued_at: datetime
    stored_at: datetime = Field(default_factory=utcnow)
    correlation_id: str = ""


class UsageDecisionRow(SQLModel, table=True):
    __tablename__ = "qm_usage_decision"
    lot_number: str = Field(primary_key=True)
    code: str
    decided_by: str
    decided_at: datetime
    qty_to_free: str
    qty_to_blocked: str


class SignatureLogRow(SQLModel, table=True):
    """One electronic signature: append-only (no route changes or deletes a row)."""

    __tablename__ = "qm_signature_log"
    id: int | None = Field(default=None, primary_key=True)
    record: str = Field(index=True)
    material: str = Field(index=True)
    batch: str = Field(index=True)
    signed_by: str
    printed_name: str
    signer_role: str
    meaning: str
    statement: str
    reason: str
    signed_at: datetime
    authenticated_at: datetime | None = None
    record_digest: str = Field(index=True)
    correlation_id: str = ""
    logged_at: datetime = Field(default_factory=utcnow)


QMS_TABLES = [
    table_of(InspectionPlanRow),
    table_of(PlanCharacteristicRow),
    table_of(InspectionLotRow),
    table_of(LotCharacteristicRow),
    table_of(ResultRow),
    table_of(NotificationRow),
    table_of(UsageDecisionRow),
    table_of(ReceiptLotRow),
    table_of(LotCancellationRow),
    table_of(NotificationPartnerRow),
    table_of(CertificateRow),
    table_of(SignatureLogRow),
]
