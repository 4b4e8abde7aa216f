"""Outbound webhooks, queued in the business transaction (the outbox delivers them).

Every event is ``{"event_id", "event_type", "event_time", "correlation_id", "sample"}``, with
``sample`` the whole sample as ``GET /api/samples/{sample_id}`` shows it (site, material,
batch, every test with its limits and result, pass/fail per test and overall, the analysts,
the authoriser), so a receiver needs no call back to act on it:

- ``Sample.Registered``: a sample was registered for a batch (informational).
- ``Sample.Authorized``: a reviewer authorised the results: the laboratory's answer.
- ``Sample.Cancelled``: the sample was withdrawn (informational).

``correlation_id`` is the caller's, else the one the sample was registered under (an analyst
or reviewer working in the LIMS sends none), else ``lims-<sample_id>``.
"""

import uuid
from datetime import UTC, datetime

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.lims.schemas import Sample

SAMPLE_REGISTERED = "Sample.Registered"
SAMPLE_AUTHORIZED = "Sample.Authorized"
SAMPLE_CANCELLED = "Sample.Cancelled"


def emit(
    session: Session,
    event_type: str,
    sample: Sample,
    correlation_id: str,
    at: datetime | None = None,
) -> None:
    correlation = correlation_id or f"lims-{sample.sample_id}"
    payload = {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "event_time": (at or datetime.now(UTC)).isoformat(),
        "correlation_id": correlation,
        "sample": sample.model_dump(mode="json"),
    }
    add_event(session, event_type, payload, correlation)
