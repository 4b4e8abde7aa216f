"""The portal's own tables. Quantities are stored as text so they stay exact."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow


class SupplierRow(SQLModel, table=True):
    """A supplier the buyer works with (master data, seeded or maintained by PUT)."""

    __tablename__ = "portal_supplier"
    supplier_id: str = Field(primary_key=True)
    name: str
    contact_email: str = ""


class ScarRow(SQLModel, table=True):
    """A supplier corrective action request: OPEN -> RESPONDED -> CLOSED."""

    __tablename__ = "portal_scar"
    id: int | None = Field(default=None, primary_key=True)
    scar_number: str = Field(default="", index=True)
    supplier_id: str = Field(index=True)
    plant_code: str = ""
    purchase_order: str = ""
    material: str
    batch: str
    nonconformance_ref: str = Field(unique=True)
    description: str
    status: str = Field(default="OPEN", index=True)
    issued_by: str = ""
    issued_at: datetime = Field(default_factory=utcnow)
    due_date: date
    response_text: str | None = None
    responded_by: str | None = None
    responded_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    closing_note: str | None = None
    correlation_id: str = ""


class LotOutcomeRow(SQLModel, table=True):
    """One received lot's outcome; the scorecard is computed from these rows."""

    __tablename__ = "portal_lot_outcome"
    __table_args__ = (UniqueConstraint("supplier_id", "material", "batch"),)
    id: int | None = Field(default=None, primary_key=True)
    outcome_id: str = Field(default="", index=True)
    supplier_id: str = Field(index=True)
    plant_code: str = ""
    material: str
    batch: str
    accepted: bool
    skipped: bool = False
    quantity: str
    rejected_quantity: str = "0"
    unit: str
    recorded_at: datetime = Field(default_factory=utcnow)


PORTAL_TABLES = [table_of(SupplierRow), table_of(ScarRow), table_of(LotOutcomeRow)]
