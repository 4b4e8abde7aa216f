"""Outbound webhooks, queued in the business transaction (the outbox delivers them).

Every event carries ``eventId`` (unique, stable across redeliveries), ``eventType``,
``occurredAt``, ``correlationId`` and ``supplierId``, and the whole object it is about
(``scar`` or ``scorecard``), so a receiver needs no call back to act on it:

- ``scar.created``, ``scar.responded``: ``{"scar": {...}}`` as ``GET /api/scars/{number}``.
- ``scorecard.updated``: ``{"trigger": {"kind": "lotOutcome"|"scarCreated"|"scarClosed",
  "reference": <outcome id or SCAR number>}, "scorecard": {...}}`` as the scorecard endpoint.
"""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.supplier_portal.schemas import Scar, Scorecard

SCAR_CREATED = "scar.created"
SCAR_RESPONDED = "scar.responded"
SCORECARD_UPDATED = "scorecard.updated"

Trigger = Literal["lotOutcome", "scarCreated", "scarClosed"]


def _emit(
    session: Session,
    event_type: str,
    supplier_id: str,
    correlation_id: str,
    fields: dict[str, Any],
) -> None:
    payload = {
        "eventId": str(uuid.uuid4()),
        "eventType": event_type,
        "occurredAt": datetime.now(UTC).isoformat(),
        "correlationId": correlation_id,
        "supplierId": supplier_id,
        **fields,
    }
    add_event(session, event_type, payload, correlation_id)


def scar_created(session: Session, scar: Scar, correlation_id: str) -> None:
    fields = {"scar": scar.model_dump(mode="json", by_alias=True)}
    _emit(session, SCAR_CREATED, scar.supplier_id, correlation_id, fields)


def scar_responded(session: Session, scar: Scar, correlation_id: str) -> None:
    fields = {"scar": scar.model_dump(mode="json", by_alias=True)}
    _emit(session, SCAR_RESPONDED, scar.supplier_id, correlation_id, fields)


def scorecard_updated(
    session: Session, card: Scorecard, trigger: Trigger, reference: str, correlation_id: str
) -> None:
    fields = {
        "trigger": {"kind": trigger, "reference": reference},
        "scorecard": card.model_dump(mode="json", by_alias=True),
    }
    _emit(session, SCORECARD_UPDATED, card.supplier_id, correlation_id, fields)
