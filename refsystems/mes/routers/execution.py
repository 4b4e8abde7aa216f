"""Shop-floor execution on one job order (each answers the updated JobOrder).

POST .../job-orders/{job_id}/start              Dispatched -> Running
POST .../job-orders/{job_id}/material-actuals   consumed material: lot, quantity, unit
POST .../job-orders/{job_id}/segment-responses  produced / scrap quantity of a segment, Final flag
POST .../job-orders/{job_id}/test-results       a measurement at a control point
POST .../job-orders/{job_id}/job-response       complete the job with its good quantity
A Held job answers 409 LotHeld, an Aborted one 409 JobAborted.
"""

from fastapi import APIRouter

from refsystems.common.app import SessionDep
from refsystems.mes import execution, jobs, views
from refsystems.mes.routers import JOBS_PATH, Ctx
from refsystems.mes.schemas import (
    JobOrder,
    JobResponseRequest,
    MaterialActualRequest,
    QualityTestRequest,
    SegmentResponseRequest,
    StartRequest,
)

router = APIRouter(prefix=JOBS_PATH + "/{job_id}", tags=["shop floor"])


@router.post("/start")
def start(
    site: str, job_id: str, session: SessionDep, ctx: Ctx, body: StartRequest | None = None
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    execution.start(session, ctx, job, body or StartRequest())
    session.commit()
    return views.job_order(session, job)


@router.post("/material-actuals")
def material_actual(
    site: str, job_id: str, body: MaterialActualRequest, session: SessionDep, ctx: Ctx
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    execution.record_material(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)


@router.post("/segment-responses")
def segment_response(
    site: str, job_id: str, body: SegmentResponseRequest, session: SessionDep, ctx: Ctx
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    execution.record_segment_response(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)


@router.post("/test-results")
def record_test_result(
    site: str, job_id: str, body: QualityTestRequest, session: SessionDep, ctx: Ctx
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    execution.record_test(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)


@router.post("/job-response")
def job_response(
    site: str, job_id: str, body: JobResponseRequest, session: SessionDep, ctx: Ctx
) -> JobOrder:
    job = jobs.find_job(session, site, job_id)
    execution.complete(session, ctx, job, body)
    session.commit()
    return views.job_order(session, job)
