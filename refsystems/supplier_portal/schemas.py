"""The portal's dialect: camelCase JSON, as a supplier web portal speaks it.

Codes: SCAR ``status`` OPEN -> RESPONDED -> CLOSED; ``unit`` is a UN/ECE Recommendation 20
code (H87 piece, KGM kilogram, GRM gram, LTR litre); dates are ISO 8601, times in UTC.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

ScarStatus = Literal["OPEN", "RESPONDED", "CLOSED"]
UnitCode = Literal["H87", "KGM", "GRM", "LTR"]

Key = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Camel(BaseModel):
    """snake_case in Python, camelCase on the wire; unknown fields are refused."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


# --- suppliers (master data) -----------------------------------------------------------------


class SupplierIn(Camel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    contact_email: str = ""


class Supplier(Camel):
    supplier_id: Key
    name: str
    contact_email: str = ""


# --- supplier corrective action requests -----------------------------------------------------


class ScarCreate(Camel):
    supplier_id: Key
    plant_code: str = Field(default="", max_length=10, description="The buyer's receiving plant")
    purchase_order: str = Field(default="", max_length=20)
    material: Key
    batch: Key
    nonconformance_ref: Key = Field(description="The buyer's nonconformance number")
    description: Text
    issued_by: str = ""


class ScarResponseIn(Camel):
    """The supplier's answer: root cause and corrective action, in its own words."""

    response_text: Text
    responded_by: Key


class ScarCloseIn(Camel):
    closed_by: Key
    closing_note: str = ""


class Scar(Camel):
    scar_number: str
    supplier_id: str
    plant_code: str
    purchase_order: str
    material: str
    batch: str
    nonconformance_ref: str
    description: str
    status: ScarStatus
    issued_by: str
    issued_at: datetime
    due_date: date
    overdue: bool
    response_text: str | None = None
    responded_by: str | None = None
    responded_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    closing_note: str | None = None


# --- lot outcomes and the scorecard ----------------------------------------------------------


class LotOutcomeIn(Camel):
    supplier_id: Key
    plant_code: str = Field(default="", max_length=10)
    material: Key
    batch: Key
    accepted: bool
    skipped: bool = Field(default=False, description="Skip-lot: accepted without inspection")
    quantity: Decimal = Field(gt=0)
    rejected_quantity: Decimal = Field(default=Decimal(0), ge=0)
    unit: UnitCode


class LotOutcome(LotOutcomeIn):
    outcome_id: str
    recorded_at: datetime


class Scorecard(Camel):
    supplier_id: str
    name: str
    lots_received: int
    lots_accepted: int
    lots_rejected: int
    lots_skipped: int
    open_scars: int
    overdue_scars: int
    rating: Decimal = Field(description="0-100, one decimal; see rating_formula")
    rating_formula: str
