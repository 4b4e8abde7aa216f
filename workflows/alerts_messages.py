"""SLA alerts: what a check finds, what the alert ledger keeps, what is delivered.

Plain models (no workflow code), so the activities, the gateway and the CLI import them too.
"""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

# The one ledger of alerts (a long-running workflow) and the schedule that feeds it.
LEDGER_ID = "plantflow-alerts"
SCHEDULE_ID = "plantflow-sla-check"
# Resolved alerts the ledger keeps for the console, newest first.
RESOLVED_KEPT = 200


class Rule(StrEnum):
    HOLD_OLDER_THAN = "hold_older_than"
    DISPOSITION_OVERDUE = "disposition_overdue"
    NOT_DISPATCHED_AFTER = "not_dispatched_after"
    PARKED_OLDER_THAN = "parked_older_than"
    BACKLOG_ABOVE = "backlog_above"
    BACKLOG_OLDER_THAN = "backlog_older_than"
    # A saga's own notice (a hold placed, an escalation, a blocked component lot).
    SAGA_NOTICE = "saga_notice"


class Finding(BaseModel):
    """One rule's condition holding in one plant (for one system, for backlog rules)."""

    key: str = Field(description="plant:rule[:system]: one open alert per key at most")
    plant: str
    rule: Rule
    system: str | None = None
    message: str
    count: int = 0
    oldest_since: AwareDatetime | None = None


class Findings(BaseModel):
    """A check's complete result for the plants it evaluated: an open alert of one of these
    plants whose key is missing has cleared."""

    checked_at: AwareDatetime
    plants: list[str]
    findings: list[Finding] = Field(default_factory=list)


class EvaluateRequest(BaseModel):
    now: AwareDatetime = Field(description="The clock ages are measured against (workflow time)")
    plants: list[str] | None = Field(default=None, description="Default: every configured plant")


class SlaCheckInput(BaseModel):
    plants: list[str] | None = Field(default=None, description="Default: every configured plant")


class Channel(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    NOT_CONFIGURED = "not_configured"


class AlertEvent(StrEnum):
    FIRED = "fired"
    RESOLVED = "resolved"


class Alert(BaseModel):
    id: str
    key: str
    plant: str
    rule: Rule
    system: str | None = None
    message: str
    count: int = 0
    oldest_since: AwareDatetime | None = None
    fired_at: AwareDatetime
    resolved_at: AwareDatetime | None = None
    workflow_id: str | None = Field(default=None, description="The saga of a saga notice")
    deliveries: dict[str, DeliveryStatus] = Field(
        default_factory=dict, description="'fired:webhook' -> delivered, ..."
    )


class Notification(BaseModel):
    """One delivery of one alert event to one channel."""

    alert: Alert
    event: AlertEvent
    channel: Channel

    @property
    def delivery_key(self) -> str:
        return f"{self.event.value}:{self.channel.value}"


class Notice(BaseModel):
    """A saga's notice (``plant.raise_alert``): delivered once; ``key`` makes a retried
    activity's second report a no-op."""

    key: str
    workflow_id: str
    plant: str
    kind: str
    message: str
    at: AwareDatetime


class LedgerInput(BaseModel):
    """What a continued ledger carries over."""

    open: list[Alert] = Field(default_factory=list)
    resolved: list[Alert] = Field(default_factory=list)
    pending: list[Notification] = Field(default_factory=list)
    notices: list[Alert] = Field(default_factory=list)
    fired: int = 0
    fired_by: dict[str, int] = Field(default_factory=dict)
    last_check: AwareDatetime | None = None
    continue_after_events: int | None = Field(
        default=None,
        ge=20,
        description="Continue as new at this history length (default: when Temporal suggests)",
    )


class AlertsView(BaseModel):
    """The console's view: open alerts oldest first; resolved ones and saga notices newest
    first."""

    open: list[Alert] = Field(default_factory=list)
    resolved: list[Alert] = Field(default_factory=list)
    notices: list[Alert] = Field(default_factory=list)
    last_check: AwareDatetime | None = None
    fired_by: dict[str, int] = Field(
        default_factory=dict, description="Alerts fired so far by 'plant:rule' (SLA breaches)"
    )
