"""Samples: register, read, list; results, authorisation and cancellation."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.lims import samples
from refsystems.lims.api import Ctx
from refsystems.lims.schemas import (
    Authorization,
    Cancellation,
    ResultEntry,
    Sample,
    SampleRegistration,
    SampleStatus,
)
from refsystems.lims.store import get_sample_row, sample_out
from refsystems.lims.tables import SampleRow

router = APIRouter(prefix="/api/samples", tags=["samples"])


@router.post("", status_code=201)
def register_sample(
    body: SampleRegistration, response: Response, session: SessionDep, ctx: Ctx
) -> Sample:
    """201 registered; 200 the batch already has a sample (answered, nothing changed);
    422 UnknownSite, UnknownSpecification."""
    sample, created = samples.register(session, ctx, body)
    if not created:
        response.status_code = 200
    return sample


@router.get("")
def list_samples(
    session: SessionDep,
    site: str | None = None,
    material: str | None = None,
    batch: str | None = None,
    order: str | None = None,
    status: Annotated[SampleStatus | None, Query()] = None,
) -> list[Sample]:
    """Samples matching every filter given, oldest first."""
    query = select(SampleRow).order_by(col(SampleRow.id))
    filters = {"site": site, "material": material, "batch": batch, "order_ref": order}
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(SampleRow, column) == value)
    if status is not None:
        query = query.where(SampleRow.status == status)
    return [sample_out(session, row) for row in session.exec(query)]


@router.get("/{sample_id}")
def read_sample(sample_id: str, session: SessionDep) -> Sample:
    return sample_out(session, get_sample_row(session, sample_id))


@router.post("/{sample_id}/results")
def post_result(sample_id: str, body: ResultEntry, session: SessionDep, ctx: Ctx) -> Sample:
    """409 SampleAuthorized, SampleCancelled, ResultExists; 422 UnknownTest, InvalidResult,
    UnitMismatch."""
    return samples.enter_result(session, ctx, sample_id, body)


@router.post("/{sample_id}/authorize")
def post_authorization(
    sample_id: str, body: Authorization, session: SessionDep, ctx: Ctx
) -> Sample:
    """409 SampleNotCompleted, SampleAuthorized, SampleCancelled; 403 SegregationOfDuties."""
    return samples.authorize(session, ctx, sample_id, body)


@router.post("/{sample_id}/cancel")
def post_cancellation(sample_id: str, body: Cancellation, session: SessionDep, ctx: Ctx) -> Sample:
    """409 SampleAuthorized, SampleCancelled."""
    return samples.cancel(session, ctx, sample_id, body)
