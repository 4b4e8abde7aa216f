"""Commands from the planning side on one job order (each answers the updated JobOrder).

B2MML's JobOrder commands (Start is the line's: see ``execution``):
POST .../job-orders/{job_id}/hold     Hold: lot held -> Held, remembering the status it interrupted
POST .../job-orders/{job_id}/restart  Restart: Held -> the remembered status
POST .../job-orders/{job_id}/pause    Pause: Running -> Suspended
POST .../job-orders/{job_id}/resume   Resume: Suspended -> Running
POST .../job-orders/{job_id}/abort    Abort: -> Aborted (not once Completed); before Start it
                                      cancels the dispatch
And the site's and quality's own:
POST .../job-orders/{job_id}/accept   Waiting -> Dispatched (sites that do not auto-accept)
POST .../job-orders/{job_id}/rework   add segment SEG-REWORK for a nonconformance; -> Running
Bodies: {"Reason": "...", "NonconformanceID": "..."} (rework needs both). A command that
changes nothing (Hold on a Held job, Abort on an Aborted one) answers the job as it is.
B2MML's Stop and Reset are not offered (a job ends by its JobResponse or by Abort).
"""

from collections.abc import Callable

from fastapi import APIRouter
from sqlmodel import Session

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext
from refsystems.mes import jobs, views
from refsystems.mes.routers import JOBS_PATH, Ctx
from refsystems.mes.schemas import CommandRequest, JobOrder, ReworkRequest
from refsystems.mes.tables import MesJobOrder

router = APIRouter(prefix=JOBS_PATH + "/{job_id}", tags=["job order commands"])

Command = Callable[[Session, WriteContext, MesJobOrder, CommandRequest], None]


def _run(
    command: Command,
    site: str,
    job_id: str,
    session: Session,
    ctx: WriteContext,
    body: CommandRequest | None,
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    command(session, ctx, job, body or CommandRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/accept")
def accept(site: str, job_id: str, session: SessionDep, ctx: Ctx) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.accept(session, ctx, job)
    session.commit()
    return views.job_order(session, job)


@router.post("/hold")
def hold(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    return _run(jobs.hold, site, job_id, session, ctx, body)


@router.post("/restart")
def restart(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    return _run(jobs.restart, site, job_id, session, ctx, body)


@router.post("/pause")
def pause(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    """409 InvalidState unless Running (LotHeld, JobAborted as the job is)."""
    return _run(jobs.pause, site, job_id, session, ctx, body)


@router.post("/resume")
def resume(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    """409 InvalidState unless Suspended (or Running already: nothing to do)."""
    return _run(jobs.resume, site, job_id, session, ctx, body)


@router.post("/abort")
def abort(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: CommandRequest | None = None
) -> JobOrder:
    return _run(jobs.abort, site, job_id, session, ctx, body)


@router.post("/rework")
def rework(site: str, job_id: str, body: ReworkRequest, session: SessionDep, ctx: Ctx) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    jobs.rework(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)
