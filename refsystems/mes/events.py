"""Outbound events in the MES dialect, queued in the business transaction (the outbox).

Every event carries a unique EventID (stable across redeliveries: it is stored with the
payload), EventType, EventTime, the job order's CorrelationID (from its dispatch),
JobOrderID and HierarchyScope.EquipmentID (the site).
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.mes.tables import MesJobOrder

JOB_ACCEPTED = "JobOrder.Accepted"
JOB_HELD = "JobOrder.Held"
JOB_RELEASED = "JobOrder.Released"
JOB_ABORTED = "JobOrder.Aborted"
JOB_REWORKED = "JobOrder.Reworked"
JOB_STARTED = "JobOrder.Started"
MATERIAL_ACTUAL = "MaterialActual.Recorded"
SEGMENT_RESPONSE = "SegmentResponse.Recorded"
TEST_RESULT = "TestResult.Recorded"
JOB_COMPLETED = "JobResponse.Completed"


def iso(moment: datetime) -> str:
    """SQLite hands datetimes back naive; they were written in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def quantity(value: str, unit: str) -> dict[str, str]:
    return {"QuantityString": value, "UnitOfMeasure": unit}


def emit(session: Session, job: MesJobOrder, event_type: str, **body: Any) -> dict[str, Any]:
    """Queue one event about ``job``; returns the payload."""
    payload: dict[str, Any] = {
        "EventID": str(uuid.uuid4()),
        "EventType": event_type,
        "EventTime": iso(datetime.now(UTC)),
        "CorrelationID": job.correlation_id,
        "JobOrderID": job.job_id,
        "HierarchyScope": {"EquipmentID": job.site_id, "EquipmentLevel": "Site"},
        "MaterialDefinitionID": job.material_id,
        "LotID": job.lot_id,
        **body,
    }
    add_event(session, event_type, payload, job.correlation_id)
    return payload


def emit_state_change(
    session: Session, job: MesJobOrder, event_type: str, previous: str, reason: str
) -> dict[str, Any]:
    """Held / Released / Aborted / Reworked: informational, the sagas need not act on them."""
    return emit(
        session,
        job,
        event_type,
        JobOrderState=job.state,
        PreviousState=previous,
        Reason=reason,
        NonconformanceID=job.nonconformance_id,
    )
