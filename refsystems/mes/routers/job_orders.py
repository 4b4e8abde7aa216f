"""Job orders: dispatch (receive), read one, list a site's.

POST /api/v1/sites/{site}/job-orders           dispatch a JobOrder (201; 200 if identical repeat)
GET  /api/v1/sites/{site}/job-orders           list (``?DispatchStatus=Held`` filters)
GET  /api/v1/sites/{site}/job-orders/{job_id}  one JobOrder with segments, actuals, test results
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.mes import jobs, views
from refsystems.mes.routers import JOBS_PATH, Ctx
from refsystems.mes.rules import JobState
from refsystems.mes.schemas import JobOrder, JobOrderRequest
from refsystems.mes.tables import MesJobOrder

router = APIRouter(prefix=JOBS_PATH, tags=["job orders"])


@router.post("", status_code=status.HTTP_201_CREATED)
def dispatch_job_order(
    site: str, body: JobOrderRequest, session: SessionDep, ctx: Ctx, response: Response
) -> JobOrder:
    """Receive a job order; a valid one is accepted at once (JobOrder.Accepted) if the site
    auto-accepts. The caller's X-Correlation-ID is kept and carried into every event."""
    job, created = jobs.receive(session, ctx, site, body)
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return views.job_order(session, job)


@router.get("")
def list_job_orders(
    site: str,
    session: SessionDep,
    status: Annotated[JobState | None, Query(alias="DispatchStatus")] = None,
) -> list[JobOrder]:
    query = select(MesJobOrder).where(MesJobOrder.site_id == site)
    if status:
        query = query.where(MesJobOrder.state == status)
    rows = session.exec(query.order_by(col(MesJobOrder.id)))
    return [views.job_order(session, job) for job in rows]


@router.get("/{job_id}")
def read_job_order(site: str, job_id: str, session: SessionDep) -> JobOrder:
    return views.job_order(session, jobs.find_job(session, site, job_id))
