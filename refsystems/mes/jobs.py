"""Receiving, accepting and commanding job orders (B2MML's Hold, Restart, Pause, Resume,
Abort; and rework, which adds a segment).

Each function changes the rows, records the ledger entry and queues the event in the
caller's session; the router commits once. A command that would change nothing (holding
a held job, aborting an aborted one) answers with the job as it is and records nothing.
"""

import dataclasses
import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.common.tables import utcnow
from refsystems.mes import events, rules
from refsystems.mes.errors import conflict, not_found, unprocessable
from refsystems.mes.rules import JobState, SegmentState
from refsystems.mes.schemas import CommandRequest, JobOrderRequest, ReworkRequest
from refsystems.mes.tables import MesJobOrder, MesJobSegment, MesProcessSegment, MesSite


def find_job(session: Session, site: str, job_id: str) -> MesJobOrder:
    job = session.exec(
        select(MesJobOrder).where(MesJobOrder.site_id == site, MesJobOrder.job_id == job_id)
    ).first()
    if job is None:
        raise not_found("JobOrderNotFound", f"no job order {job_id} at site {site}")
    return job


def record(
    session: Session,
    ctx: WriteContext,
    job: MesJobOrder,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Ledger entry for a write on ``job``. Writes without an X-Correlation-ID (operators at
    the line) are traced under the job's, so one id finds the whole story."""
    if not ctx.correlation_id and job.correlation_id:
        ctx = dataclasses.replace(ctx, correlation_id=job.correlation_id)
    ctx.record(session, action, "JobOrder", f"{job.site_id}/{job.job_id}", details)


def fingerprint(request: JobOrderRequest) -> str:
    """What makes two dispatches 'the same job order' (quantities compared by value)."""
    content = {
        "material": request.MaterialDefinitionID,
        "revision": request.MaterialRevision,
        "quantity": str(request.PlannedQuantity.value.normalize()),
        "unit": request.PlannedQuantity.UnitOfMeasure,
        "lot": request.MaterialLotID,
        "segments": [[s.SegmentID, s.Description] for s in request.Segments],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _validate(session: Session, site: str, request: JobOrderRequest) -> MesSite:
    if request.HierarchyScope and request.HierarchyScope.EquipmentID != site:
        raise unprocessable(
            "ScopeMismatch",
            f"HierarchyScope.EquipmentID {request.HierarchyScope.EquipmentID} != site {site}",
        )
    site_row = session.get(MesSite, site)
    if site_row is None:
        raise unprocessable(
            "UnknownSite", f"site {site} is not configured at this MES (POST /admin/seed-demo?)"
        )
    rules.check_unit(request.PlannedQuantity.UnitOfMeasure, "PlannedQuantity")
    rules.check_positive(request.PlannedQuantity.value, "PlannedQuantity")
    known = session.exec(
        select(MesProcessSegment.segment_id).where(MesProcessSegment.site_id == site)
    )
    rules.check_segments([s.SegmentID for s in request.Segments], set(known), site)
    return site_row


def receive(
    session: Session, ctx: WriteContext, site: str, request: JobOrderRequest
) -> tuple[MesJobOrder, bool]:
    """Take a dispatched job order in; returns (job, created).

    A second dispatch of the same (site, ID) is answered with the existing job if it is
    identical, and refused otherwise.
    """
    digest = fingerprint(request)
    existing = session.exec(
        select(MesJobOrder).where(MesJobOrder.site_id == site, MesJobOrder.job_id == request.ID)
    ).first()
    if existing is not None:
        if existing.request_hash != digest:
            raise conflict(
                "JobOrderExists",
                f"job order {request.ID} already exists at site {site} with other content",
            )
        if existing.state == JobState.ABORTED:
            raise conflict("JobAborted", f"job order {request.ID} was aborted; it stays aborted")
        return existing, False
    site_row = _validate(session, site, request)
    job = MesJobOrder(
        site_id=site,
        job_id=request.ID,
        material_id=request.MaterialDefinitionID,
        material_revision=request.MaterialRevision,
        quantity=request.PlannedQuantity.QuantityString,
        unit=request.PlannedQuantity.UnitOfMeasure,
        lot_id=request.MaterialLotID,
        description=request.Description,
        state=JobState.WAITING,
        correlation_id=ctx.correlation_id,
        request_hash=digest,
    )
    session.add(job)
    session.flush()
    assert job.id is not None
    for sequence, segment in enumerate(request.Segments, start=1):
        session.add(
            MesJobSegment(
                job_pk=job.id,
                sequence=sequence,
                segment_id=segment.SegmentID,
                description=segment.Description,
            )
        )
    if site_row.auto_accept:
        _accept(session, job)
    record(session, ctx, job, "dispatch", {**request.model_dump(mode="json"), "state": job.state})
    return job, True


def _set_state(job: MesJobOrder, state: JobState, reason: str | None = None) -> str:
    previous = job.state
    job.state = state
    if reason is not None:
        job.state_reason = reason
    job.updated_at = utcnow()
    return previous


def _accept(session: Session, job: MesJobOrder) -> None:
    """Waiting -> Dispatched: the acknowledgement the ERP side waits for."""
    _set_state(job, JobState.DISPATCHED)
    session.add(job)
    events.emit(
        session,
        job,
        events.JOB_ACCEPTED,
        DispatchStatus=job.state,
        MaterialRevision=job.material_revision,
        PlannedQuantity=events.quantity(job.quantity, job.unit),
    )


def accept(session: Session, ctx: WriteContext, job: MesJobOrder) -> None:
    if rules.check_accept(job.state, job.job_id):
        _accept(session, job)
        record(session, ctx, job, "accept")


def abort(session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest) -> None:
    """Abort: before Start it cancels the dispatch, after it stops execution; Aborted is final."""
    if not rules.check_abort(job.state, job.job_id):
        return
    previous = _set_state(job, JobState.ABORTED, body.Reason)
    job.previous_state = None
    session.add(job)
    events.emit_state_change(session, job, events.JOB_ABORTED, previous, body.Reason)
    details = {"from": previous, "reason": body.Reason}
    record(session, ctx, job, "abort", details)


def hold(session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest) -> None:
    if not rules.check_hold(job.state, job.job_id):
        return
    if job.state == JobState.COMPLETED:
        _hold_finished_lot(session, ctx, job, body)
        return
    previous = _set_state(job, JobState.HELD, body.Reason)
    job.previous_state = previous
    job.nonconformance_id = body.NonconformanceID or job.nonconformance_id
    session.add(job)
    events.emit_state_change(session, job, events.JOB_HELD, previous, body.Reason)
    details = {"from": previous, "reason": body.Reason, "nonconformance": body.NonconformanceID}
    record(session, ctx, job, "hold", details)


def _hold_finished_lot(
    session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest
) -> None:
    """A Completed job is the record of what was made: it stays Completed, its lot is held
    (no packaging verification) until restarted."""
    if job.lot_held:
        return
    job.lot_held = True
    job.nonconformance_id = body.NonconformanceID or job.nonconformance_id
    job.state_reason = body.Reason
    job.updated_at = utcnow()
    session.add(job)
    events.emit_state_change(session, job, events.JOB_HELD, job.state, body.Reason)
    details = {"from": job.state, "lot": job.lot_id, "reason": body.Reason}
    record(session, ctx, job, "hold", details)


def restart(session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest) -> None:
    """Restart lifts the hold: back to the status it interrupted (a Completed job's lot is
    released; the job stays Completed)."""
    if job.state == JobState.COMPLETED and job.lot_held:
        job.lot_held = False
        job.updated_at = utcnow()
        session.add(job)
        events.emit_state_change(session, job, events.JOB_RESTARTED, job.state, body.Reason)
        record(session, ctx, job, "restart", {"lot": job.lot_id, "reason": body.Reason})
        return
    if not rules.check_restart(job.state, job.job_id):
        return
    back_to = JobState(job.previous_state or JobState.DISPATCHED)
    _set_state(job, back_to, body.Reason)
    job.previous_state = None
    session.add(job)
    events.emit_state_change(session, job, events.JOB_RESTARTED, JobState.HELD, body.Reason)
    details = {"to": back_to, "reason": body.Reason}
    record(session, ctx, job, "restart", details)


def pause(session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest) -> None:
    """Pause: the line stops a Running job for a while (Suspended), by its own decision."""
    if not rules.check_pause(job.state, job.job_id):
        return
    previous = _set_state(job, JobState.SUSPENDED, body.Reason)
    session.add(job)
    events.emit_state_change(session, job, events.JOB_PAUSED, previous, body.Reason)
    record(session, ctx, job, "pause", {"from": previous, "reason": body.Reason})


def resume(session: Session, ctx: WriteContext, job: MesJobOrder, body: CommandRequest) -> None:
    """Resume: a Suspended job runs again."""
    if not rules.check_resume(job.state, job.job_id):
        return
    previous = _set_state(job, JobState.RUNNING, body.Reason)
    session.add(job)
    events.emit_state_change(session, job, events.JOB_RESUMED, previous, body.Reason)
    record(session, ctx, job, "resume", {"from": previous, "reason": body.Reason})


def rework(session: Session, ctx: WriteContext, job: MesJobOrder, body: ReworkRequest) -> None:
    """Add a rework segment for the nonconformance and run the job again (lifts a hold)."""
    rules.check_rework(job.state, job.job_id)
    segments = list(
        session.exec(
            select(MesJobSegment)
            .where(MesJobSegment.job_pk == job.id)
            .order_by(col(MesJobSegment.sequence))
        )
    )
    if any(s.nonconformance_id == body.NonconformanceID for s in segments):
        return  # this nonconformance already has its rework segment
    reworks = sum(1 for s in segments if s.segment_id.startswith(rules.REWORK_SEGMENT))
    segment_id = rules.REWORK_SEGMENT if reworks == 0 else f"{rules.REWORK_SEGMENT}-{reworks + 1}"
    assert job.id is not None
    session.add(
        MesJobSegment(
            job_pk=job.id,
            sequence=len(segments) + 1,
            segment_id=segment_id,
            description=f"Rework for {body.NonconformanceID}: {body.Reason}",
            state=SegmentState.WAITING,
            nonconformance_id=body.NonconformanceID,
        )
    )
    previous = _set_state(job, JobState.RUNNING, body.Reason)
    job.previous_state = None
    job.nonconformance_id = body.NonconformanceID
    session.add(job)
    events.emit_state_change(session, job, events.JOB_REWORKED, previous, body.Reason)
    details = {"from": previous, "segment": segment_id, "nonconformance": body.NonconformanceID}
    record(session, ctx, job, "rework", details)
