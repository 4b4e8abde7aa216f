"""Outbound events in the MES dialect, queued in the business transaction (the outbox).

Every event carries a unique EventID (stable across redeliveries: it is stored with the
payload), EventType, EventTime, the job order's CorrelationID (from its dispatch),
JobOrderID and HierarchyScope.EquipmentID (the site).

``PackagingVerification.Recorded`` is about a lot rather than a job: JobOrderID is null for
a lot packed elsewhere, and CorrelationID is the job's, else the operator request's (may be
empty). Example::

    {"EventID": "…", "EventType": "PackagingVerification.Recorded",
     "EventTime": "2026-03-02T14:05:00+00:00", "CorrelationID": "corr-1000001",
     "JobOrderID": "1000001", "HierarchyScope": {"EquipmentID": "SPRINGFIELD", …},
     "MaterialDefinitionID": "FG-1000", "MaterialLotID": "B1000001",
     "PackagingVerification": {"ID": "PV-1", "Result": "Passed", "PersonID": "op.nguyen",
       "VerificationTime": "…", "Checks": [{"CheckID": "LabelText", "Result": "Passed"}, …],
       "Remarks": "", …}}
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.mes.tables import MesJobOrder, MesPackagingVerification

JOB_ACCEPTED = "JobOrder.Accepted"
JOB_HELD = "JobOrder.Held"
JOB_RESTARTED = "JobOrder.Restarted"
JOB_PAUSED = "JobOrder.Paused"
JOB_RESUMED = "JobOrder.Resumed"
JOB_ABORTED = "JobOrder.Aborted"
JOB_REWORKED = "JobOrder.Reworked"
JOB_STARTED = "JobOrder.Started"
MATERIAL_ACTUAL = "MaterialActual.Recorded"
SEGMENT_RESPONSE = "SegmentResponse.Recorded"
TEST_RESULT = "TestResult.Recorded"
JOB_COMPLETED = "JobResponse.Completed"
PACKAGING_VERIFIED = "PackagingVerification.Recorded"


def iso(moment: datetime) -> str:
    """SQLite hands datetimes back naive; they were written in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def quantity(value: str, unit: str) -> dict[str, str]:
    return {"QuantityString": value, "UnitOfMeasure": unit}


def _queue(
    session: Session,
    event_type: str,
    correlation_id: str,
    job_id: str | None,
    site: str,
    material_id: str,
    lot_id: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "EventID": str(uuid.uuid4()),
        "EventType": event_type,
        "EventTime": iso(datetime.now(UTC)),
        "CorrelationID": correlation_id,
        "JobOrderID": job_id,
        "HierarchyScope": {"EquipmentID": site, "EquipmentLevel": "Site"},
        "MaterialDefinitionID": material_id,
        "MaterialLotID": lot_id,
        **body,
    }
    # One job's (or lot's) events in order; other jobs' events do not wait on them.
    add_event(session, event_type, payload, correlation_id, key=job_id or lot_id)
    return payload


def emit(session: Session, job: MesJobOrder, event_type: str, **body: Any) -> dict[str, Any]:
    """Queue one event about ``job``; returns the payload."""
    return _queue(
        session,
        event_type,
        job.correlation_id,
        job.job_id,
        job.site_id,
        job.material_id,
        job.lot_id,
        body,
    )


def emit_packaging(
    session: Session, row: MesPackagingVerification, verification: dict[str, Any]
) -> dict[str, Any]:
    """Queue PackagingVerification.Recorded for a lot (with or without a job order here)."""
    return _queue(
        session,
        PACKAGING_VERIFIED,
        row.correlation_id,
        row.job_id,
        row.site_id,
        row.material_id,
        row.lot_id,
        {"PackagingVerification": verification},
    )


def emit_state_change(
    session: Session, job: MesJobOrder, event_type: str, previous: str, reason: str
) -> dict[str, Any]:
    """Held / Restarted / Paused / Resumed / Aborted / Reworked: informational, the sagas need
    not act on them."""
    return emit(
        session,
        job,
        event_type,
        DispatchStatus=job.state,
        PreviousDispatchStatus=previous,
        Reason=reason,
        NonconformanceID=job.nonconformance_id,
    )
