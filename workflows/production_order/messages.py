"""The production-order saga's input, messages, state and outcome (one model each)."""

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from canonical.enums import Disposition, Role
from canonical.events import MesEvent, ProductionOrderReleased
from canonical.identifiers import Identifier
from canonical.plant_config import Person
from canonical.quality import DispositionDecision, ElectronicSignature
from workflows.attention import (  # noqa: F401  (re-exported: the sagas' shared vocabulary)
    Attention,
    AttentionBody,
    AttentionResolution,
    OperatorAction,
    OperatorRecord,
    SupervisorException,
)
from workflows.outages import Waiting


class Stage(StrEnum):
    VALIDATING = "validating"
    AWAITING_MES_ACK = "awaiting_mes_ack"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    AWAITING_DISPOSITION = "awaiting_disposition"
    FINISHING = "finishing"
    NEEDS_ATTENTION = "needs_attention"
    COMPENSATING = "compensating"
    COMPLETED = "completed"
    SCRAPPED = "scrapped"
    COMPENSATED = "compensated"
    REJECTED = "rejected"


class QualityStatus(StrEnum):
    NOT_INSPECTED = "not_inspected"
    IN_TOLERANCE = "in_tolerance"
    ON_HOLD = "on_hold"
    IN_REWORK = "in_rework"
    USE_AS_IS = "use_as_is"
    SCRAPPED = "scrapped"
    ACCEPTED = "accepted"


class StepPolicy(BaseModel):
    """An activity's short retries (they absorb blips), then the saga's own waits for a
    system that is down: from ``outage_first_wait``, doubling, at most ``outage_max_wait``
    apart, within the system's outage budget (plant configuration)."""

    max_attempts: int = Field(default=4, ge=1)
    initial_interval: timedelta = timedelta(seconds=1)
    maximum_interval: timedelta = timedelta(seconds=10)
    timeout: timedelta = timedelta(seconds=30)
    outage_first_wait: timedelta = timedelta(seconds=10)
    outage_max_wait: timedelta = timedelta(minutes=10)


class ProductionOrderStart(BaseModel):
    trigger: ProductionOrderReleased
    steps: StepPolicy = StepPolicy()
    disposition_deadline: timedelta | None = Field(
        default=None, description="Overrides the plant's configured deadline"
    )


class MesEventSignal(BaseModel):
    event: MesEvent


class PersonBody(BaseModel):
    """What a person sends to the gateway. It never names the person: the gateway takes the
    actor from the bearer token and adds it to the saga's message."""

    model_config = ConfigDict(extra="forbid")


class Signed(BaseModel):
    """The manifestation of an electronic signature the gateway adds from the token."""

    signer_name: str = Field(default="", description="The signer's printed name")
    authenticated_at: AwareDatetime | None = Field(
        default=None, description="When the signer last entered their credentials"
    )


RECORD_DIGEST = Field(
    default=None,
    pattern=r"^sha256:[0-9a-f]{64}$",
    description="SHA-256 of the record being signed (canonical.signatures: the record's "
    "identity and the decision); when sent, the signature is refused unless it is this "
    "record's, so a signature cannot be moved to another record",
)


class DispositionBody(PersonBody):
    nonconformance_id: Identifier
    decision: Disposition
    reason: str = Field(min_length=3)
    record_digest: str | None = RECORD_DIGEST


class DispositionRequest(DispositionBody, Signed):
    approver: str = Field(min_length=1)


class DispositionAccepted(BaseModel):
    nonconformance_id: str
    decision: Disposition
    approver: str
    role: Role
    signed_at: AwareDatetime
    signature: ElectronicSignature | None = None


class Posting(BaseModel):
    """A write the saga made, with the system's document, so it can be compensated."""

    step: str
    system: str
    document: str
    reversed: bool = False


class HoldState(BaseModel):
    lot_id: str
    nonconformance_id: str
    raised_by: str
    characteristic_id: str
    measured_value: str
    placed_at: AwareDatetime
    escalated_at: AwareDatetime | None = None
    erp_blocked: bool = False
    mes_held: bool = False
    shipping_blocked: bool = False
    decision: DispositionDecision | None = None
    reinspection_passed: bool = False


class ProductionOrderState(BaseModel):
    workflow_id: str
    correlation_id: str
    plant: str
    order_id: str
    item_id: str = ""
    lot_id: str = ""
    stage: Stage = Stage.VALIDATING
    # The quality lane waits for a signed disposition (whatever the stage shows, e.g. a
    # posting parked at the same time).
    awaiting_disposition: bool = False
    quality_status: QualityStatus = QualityStatus.NOT_INSPECTED
    reason: str = ""
    triggers_received: int = 0
    release_checked: bool = Field(
        default=False, description="ERP answered the release check (either way)"
    )
    erp_order_status: str = Field(default="", description="The order's status ERP showed")
    refusal: str = Field(
        default="", description="Why the trigger was refused: OrderNotFound, OrderNotReleased"
    )
    compensation_failures: list[str] = Field(default_factory=list)
    mes_acknowledged: bool = False
    inspection_lot_id: str = ""
    people: list[Person] = Field(default_factory=list)
    events_received: list[str] = Field(default_factory=list)
    duplicate_events: int = 0
    postings: list[Posting] = Field(default_factory=list)
    holds: list[HoldState] = Field(default_factory=list)
    exceptions: list[SupervisorException] = Field(default_factory=list)
    attention: Attention | None = Field(default=None, description="The first parked step")
    parked: list[Attention] = Field(default_factory=list)
    operator_actions: list[OperatorRecord] = Field(default_factory=list)
    waiting: list[Waiting] = Field(default_factory=list)
    refused_messages: list[str] = Field(default_factory=list)
    release_workflow_id: str = ""
    lot_withdrawn: bool = Field(
        default=False,
        description="Compensated after MES completed the job: the lot is blocked in ERP "
        "(batch restricted), held in MES and its shipping blocked; the MES job stays Completed",
    )
    release_outcome: str = Field(
        default="", description="How the lot's release ended when its order was compensated"
    )
    updated_at: datetime | None = None

    @property
    def current_hold(self) -> HoldState | None:
        return self.holds[-1] if self.holds and self.holds[-1].decision is None else None


class ProductionOrderOutcome(BaseModel):
    order_id: str
    stage: Stage
    quality_status: QualityStatus
    reason: str = ""
    postings: list[Posting] = Field(default_factory=list)
