"""The release saga's input, messages, state and outcome."""

from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from canonical.events import FinishedLotReceived, LabResult, LabResultsAuthorized, PackagingVerified
from canonical.plant_config import Person
from canonical.quality import ElectronicSignature, LotDeviation
from canonical.release_config import Checkpoint, ReleasePolicy
from workflows.attention import Attention, OperatorRecord
from workflows.outages import Waiting
from workflows.production_order.messages import (
    RECORD_DIGEST,
    PersonBody,
    Signed,
    StepPolicy,
)


class ReleaseStatus(StrEnum):
    BLOCKING_SHIPMENT = "blocking_shipment"
    AWAITING_CHECKPOINTS = "awaiting_checkpoints"
    AWAITING_APPROVAL = "awaiting_approval"
    RELEASING = "releasing"
    RELEASED = "released"
    REJECTING = "rejecting"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NEEDS_ATTENTION = "needs_attention"


# A release in one of these has decided; a withdrawal then changes nothing.
DECIDED = frozenset({ReleaseStatus.RELEASED, ReleaseStatus.REJECTED, ReleaseStatus.WITHDRAWN})


class CheckpointStatus(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"
    NOT_REQUIRED = "not_required"


class ReleaseStart(BaseModel):
    trigger: FinishedLotReceived
    steps: StepPolicy = StepPolicy()


class LabSignal(BaseModel):
    event: LabResultsAuthorized


class PackagingSignal(BaseModel):
    event: PackagingVerified


class ReleaseVerdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ReleaseApprovalBody(PersonBody):
    """The final release decision: an electronic signature by an authorised quality person."""

    verdict: ReleaseVerdict
    reason: str = Field(min_length=3)
    record_digest: str | None = RECORD_DIGEST


class ReleaseApproval(ReleaseApprovalBody, Signed):
    approver: str = Field(min_length=1)


class WithdrawRequest(BaseModel):
    """The lot's production order was compensated: stop without releasing."""

    order_id: str = ""
    reason: str = Field(min_length=3)


class ReleaseWithdrawal(BaseModel):
    """How a release ended after a withdrawal: ``withdrawn``, or the decision that came
    first (``released``, ``rejected``)."""

    workflow_id: str
    status: ReleaseStatus
    reason: str = ""


class ReconcileRequest(BaseModel):
    requested_by: str = Field(min_length=1)


class AuditEntry(BaseModel):
    at: AwareDatetime
    source: str = Field(description="erp, mes, qms, lims, plantflow or a person")
    actor: str
    action: str
    detail: str = ""
    correlation_id: str


class CheckpointState(BaseModel):
    checkpoint: Checkpoint
    status: CheckpointStatus = CheckpointStatus.PENDING
    due_at: AwareDatetime | None = None
    escalated_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None
    source: str = ""
    actor: str = ""
    detail: str = ""
    reconciled: bool = Field(
        default=False, description="Learned by asking the system, not by event"
    )


class ReleaseState(BaseModel):
    workflow_id: str
    correlation_id: str
    plant: str
    item_id: str
    lot_id: str
    quantity: Decimal
    unit: str
    order_id: str | None = None
    deviations_known: bool = Field(
        default=False, description="The production saga reported the lot's nonconformances"
    )
    deviations: list[LotDeviation] = Field(default_factory=list)
    status: ReleaseStatus = ReleaseStatus.BLOCKING_SHIPMENT
    reason: str = ""
    triggers_received: int = 0
    policy: ReleasePolicy | None = None
    checkpoints: dict[Checkpoint, CheckpointState] = Field(default_factory=dict)
    lab_sample_id: str = ""
    lab_results: list[LabResult] = Field(default_factory=list)
    packaging_checks: dict[str, bool] = Field(default_factory=dict)
    record_producers: list[str] = Field(
        default_factory=list, description="Who produced the lot's records: may not approve it"
    )
    shipment_blocked: bool = False
    signature: ElectronicSignature | None = None
    nonconformance_id: str = ""
    certificate_id: str = ""
    people: list[Person] = Field(default_factory=list)
    attention: Attention | None = Field(default=None, description="The first parked step")
    parked: list[Attention] = Field(default_factory=list)
    operator_actions: list[OperatorRecord] = Field(default_factory=list)
    waiting: list[Waiting] = Field(default_factory=list)
    audit: list[AuditEntry] = Field(default_factory=list)
    refused_reports: list[str] = Field(
        default_factory=list, description="Reported checkpoint answers their system disowned"
    )

    def pending(self) -> list[Checkpoint]:
        return [c for c, s in self.checkpoints.items() if s.status is CheckpointStatus.PENDING]


class ReleaseOutcome(BaseModel):
    lot_id: str
    status: ReleaseStatus
    reason: str
    certificate_id: str = ""
