"""Tables every reference system keeps beside its own."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of


def utcnow() -> datetime:
    return datetime.now(UTC)


class LedgerEntry(SQLModel, table=True):
    """One write, as the system recorded it: proof of 'posted exactly once'."""

    __tablename__ = "ledger"
    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(index=True)
    correlation_id: str = Field(default="", index=True)
    action: str = Field(description="What was done, e.g. 'goods_movement 261'")
    entity: str
    entity_key: str = Field(index=True)
    details: str = Field(default="{}", description="JSON of what changed")
    recorded_at: datetime = Field(default_factory=utcnow)


class StoredResponse(SQLModel, table=True):
    """The first response to an idempotency key, replayed for every repeat."""

    __tablename__ = "idempotent_response"
    idempotency_key: str = Field(primary_key=True)
    method: str
    path: str
    status_code: int
    content_type: str = "application/json"
    body: bytes
    created_at: datetime = Field(default_factory=utcnow)


class OutboxEvent(SQLModel, table=True):
    """An outbound event waiting for (or done with) webhook delivery."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    event_type: str
    payload: str
    correlation_id: str = ""
    ordering_key: str = Field(
        default="", index=True, description="Events with one key are delivered in order"
    )
    created_at: datetime = Field(default_factory=utcnow)
    delivered_at: datetime | None = None
    attempts: int = 0
    failed: bool = Field(default=False, description="Refused for good: set aside (dead)")
    last_error: str = ""


COMMON_TABLES = [table_of(LedgerEntry), table_of(StoredResponse), table_of(OutboxEvent)]
