"""Commands from the planning side on one job order (each answers the updated JobOrder).

POST .../job-orders/{job_id}/accept   Received -> Dispatched (sites that do not auto-accept)
POST .../job-orders/{job_id}/recall   cancel the dispatch: -> Aborted (not once Completed)
POST .../job-orders/{job_id}/hold     lot held: -> Held, remembering the state it interrupted
POST .../job-orders/{job_id}/release  Held -> the remembered state
POST .../job-orders/{job_id}/abort    stop the job: -> Aborted (not once Completed)
POST .../job-orders/{job_id}/rework   add segment SEG-REWORK for a nonconformance; -> Running
Bodies: {"Reason": "...", "NonconformanceID": "..."} (rework needs both).
"""

from fastapi import APIRouter

from refsystems.common.app import SessionDep
from refsystems.mes import jobs, views
from refsystems.mes.routers import JOBS_PATH, Ctx
from refsystems.mes.schemas import CommandRequest, JobOrder, ReworkRequest

router = APIRouter(prefix=JOBS_PATH + "/{job_id}", tags=["job order commands"])


@router.post("/accept")
def accept(site: str, job_id: str, session: SessionDep, ctx: Ctx) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.accept(session, ctx, job)
    session.commit()
    return views.job_order(session, job)


@router.post("/recall")
def recall(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.cancel(session, ctx, job, "recall", body or CommandRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/abort")
def abort(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.cancel(session, ctx, job, "abort", body or CommandRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/hold")
def hold(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.hold(session, ctx, job, body or CommandRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/release")
def release(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.release(session, ctx, job, body or CommandRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/rework")
def rework(site: str, job_id: str, body: ReworkRequest, session: SessionDep, ctx: Ctx) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.rework(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)
