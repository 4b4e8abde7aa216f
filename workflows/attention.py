"""What every saga shows an operator: parked steps, supervisor exceptions, the actions taken.

Plain models (no workflow code), so the gateway and the CLI import them too.
"""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class SagaType(StrEnum):
    PRODUCTION_ORDER = "production_order"
    RECEIPT = "receipt"
    RELEASE = "release"


class OperatorAction(StrEnum):
    RETRY = "retry"
    SKIP = "skip"
    COMPENSATE = "compensate"
    ACKNOWLEDGE = "acknowledge"


class AttentionFilter(BaseModel):
    """Which parked steps (or supervisor exceptions) an action applies to; empty = all."""

    attention_id: str | None = Field(default=None, description="One parked step or exception")
    step: str | None = Field(default=None, description="Part of the step's name")
    system: str | None = Field(default=None, description="erp, mes, qms, lims, supplier_portal")
    error_type: str | None = None

    def matches(self, attention_id: str, step: str, system: str, error_type: str) -> bool:
        return (
            (self.attention_id is None or self.attention_id == attention_id)
            and (self.step is None or self.step.lower() in step.lower())
            and (self.system is None or self.system == system)
            and (self.error_type is None or self.error_type == error_type)
        )


class AttentionBody(AttentionFilter):
    """What an operator sends to the gateway; the gateway adds the operator from the token."""

    model_config = ConfigDict(extra="forbid")

    action: OperatorAction
    reason: str = Field(min_length=3)


class AttentionResolution(AttentionBody):
    operator: str = Field(min_length=1)


class Attention(BaseModel):
    """A step parked for an operator: it failed for good and waits for retry, skip or
    compensation. Several may be parked at once (one per lane)."""

    id: str = ""
    step: str
    system: str = ""
    error_type: str
    message: str
    since: AwareDatetime
    skippable: bool = False


class SupervisorException(BaseModel):
    """Something a supervisor must look at (e.g. a blocked component lot); open until
    acknowledged."""

    id: str = ""
    kind: str
    system: str = "erp"
    message: str
    event_id: str
    at: AwareDatetime
    acknowledged_by: str | None = None
    acknowledged_at: AwareDatetime | None = None
    acknowledgement: str | None = None


class OperatorRecord(BaseModel):
    """One operator action on a saga: who, when, what, on which steps, why."""

    at: AwareDatetime
    operator: str
    action: OperatorAction
    targets: list[str] = Field(default_factory=list)
    reason: str

    def line(self) -> str:
        on = f" on {', '.join(self.targets)}" if self.targets else ""
        return f"{self.at.isoformat()} {self.operator}: {self.action.value}{on} ({self.reason})"
