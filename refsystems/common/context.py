"""Per-request write context: the idempotency key and correlation id a caller sent."""

import json
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header
from sqlmodel import Session

from refsystems.common.tables import LedgerEntry

IDEMPOTENCY_HEADER = "Idempotency-Key"
CORRELATION_HEADER = "X-Correlation-ID"


@dataclass(frozen=True)
class WriteContext:
    idempotency_key: str
    correlation_id: str

    def record(
        self,
        session: Session,
        action: str,
        entity: str,
        entity_key: str,
        details: dict[str, Any] | None = None,
    ) -> LedgerEntry:
        """Add a ledger entry to the caller's transaction (it commits with the change)."""
        entry = LedgerEntry(
            idempotency_key=self.idempotency_key,
            correlation_id=self.correlation_id,
            action=action,
            entity=entity,
            entity_key=entity_key,
            details=json.dumps(details or {}, default=str, sort_keys=True),
        )
        session.add(entry)
        return entry


def write_context(
    idempotency_key: Annotated[str | None, Header(alias=IDEMPOTENCY_HEADER)] = None,
    correlation_id: Annotated[str | None, Header(alias=CORRELATION_HEADER)] = None,
) -> WriteContext:
    return WriteContext(
        idempotency_key=idempotency_key or f"anonymous-{uuid.uuid4()}",
        correlation_id=correlation_id or "",
    )
