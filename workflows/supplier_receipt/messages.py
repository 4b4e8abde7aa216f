"""The receipt-inspection saga's input, messages, state and outcome."""

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from canonical.commands import SamplePlan
from canonical.events import GoodsReceiptPosted, InspectionResultRecorded, PurchaseOrderCancelled
from canonical.identifiers import PositiveQuantity
from canonical.plant_config import Person
from canonical.quality import ElectronicSignature
from workflows.attention import Attention, OperatorRecord
from workflows.outages import Waiting
from workflows.production_order.messages import (
    RECORD_DIGEST,
    PersonBody,
    Posting,
    Signed,
    StepPolicy,
)


class InspectionStatus(StrEnum):
    PLANNING = "planning"
    AWAITING_RESULTS = "awaiting_results"
    DECIDING = "deciding"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PARTIALLY_ACCEPTED = "partially_accepted"
    SKIPPED = "skipped"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    NEEDS_ATTENTION = "needs_attention"


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    PARTIAL = "partial"


class ReceiptInspectionStart(BaseModel):
    trigger: GoodsReceiptPosted
    steps: StepPolicy = StepPolicy()
    inspection_deadline: timedelta | None = Field(
        default=None, description="Overrides the plant's configured deadline"
    )


class QmsResultSignal(BaseModel):
    event: InspectionResultRecorded


class PurchaseOrderCancelledSignal(BaseModel):
    event: PurchaseOrderCancelled


class OverrideBody(PersonBody):
    """A quality engineer's decision that replaces the computed one (an e-signature)."""

    decision: Decision
    reason: str = Field(min_length=3)
    accepted_quantity: PositiveQuantity | None = Field(
        default=None, description="For a partial acceptance: the quantity released"
    )
    record_digest: str | None = RECORD_DIGEST

    @model_validator(mode="after")
    def _partial_needs_quantity(self) -> "OverrideBody":
        if self.decision is Decision.PARTIAL and self.accepted_quantity is None:
            raise ValueError("a partial acceptance needs accepted_quantity")
        return self


class OverrideRequest(OverrideBody, Signed):
    engineer: str = Field(min_length=1)


class Tally(BaseModel):
    """Results per sample: a sample is inspected once every characteristic has a result."""

    results: dict[str, dict[str, bool]] = Field(
        default_factory=dict, description="sample id -> characteristic -> passed"
    )
    event_ids: list[str] = Field(default_factory=list)
    duplicates: int = 0

    def inspected(self, characteristics: list[str]) -> int:
        return sum(1 for r in self.results.values() if all(c in r for c in characteristics))

    def defective(self) -> int:
        return sum(1 for r in self.results.values() if not all(r.values()))


class ReceiptDecision(BaseModel):
    decision: Decision
    accepted_quantity: Decimal
    rejected_quantity: Decimal
    basis: str
    signature: ElectronicSignature | None = None


class ReceiptState(BaseModel):
    workflow_id: str
    correlation_id: str
    plant: str
    supplier: str
    purchase_order: str
    item_id: str
    lot_id: str
    quantity: Decimal
    unit: str
    material_document: str
    status: InspectionStatus = InspectionStatus.PLANNING
    reason: str = ""
    triggers_received: int = 0
    plan: SamplePlan | None = None
    inspection_lot_id: str = ""
    characteristics: list[str] = Field(default_factory=list)
    tally: Tally = Tally()
    decision: ReceiptDecision | None = None
    nonconformance_id: str = ""
    corrective_action: str = ""
    escalated_at: AwareDatetime | None = None
    people: list[Person] = Field(default_factory=list)
    postings: list[Posting] = Field(default_factory=list)
    attention: Attention | None = Field(default=None, description="The first parked step")
    parked: list[Attention] = Field(default_factory=list)
    operator_actions: list[OperatorRecord] = Field(default_factory=list)
    waiting: list[Waiting] = Field(default_factory=list)
    audit: list[str] = Field(default_factory=list)
    usage_decision_recorded: bool = False
    refused_results: list[str] = Field(
        default_factory=list, description="Reported results QMS did not confirm"
    )


class ReceiptOutcome(BaseModel):
    lot_id: str
    status: InspectionStatus
    reason: str
    decision: ReceiptDecision | None
