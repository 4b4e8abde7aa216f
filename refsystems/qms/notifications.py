"""Quality notifications (nonconformances): open by hand, read, disposition, complete."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.nonconformance import (
    complete_notification,
    create_notification,
    record_disposition,
)
from refsystems.qms.schemas import (
    DispositionIn,
    Notification,
    NotificationComplete,
    NotificationCreate,
    NotificationStatusCode,
)
from refsystems.qms.store import get_notification, notification_out
from refsystems.qms.tables import NotificationRow

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
Ctx = Annotated[WriteContext, Depends(write_context)]


@router.post("", status_code=201)
def post_notification(body: NotificationCreate, session: SessionDep, ctx: Ctx) -> Notification:
    return create_notification(session, ctx, body)


@router.get("")
def find_notifications(
    session: SessionDep,
    lot: Annotated[str | None, Query(alias="InspectionLot")] = None,
    status: Annotated[NotificationStatusCode | None, Query(alias="Status")] = None,
) -> list[Notification]:
    query = select(NotificationRow).order_by(col(NotificationRow.id))
    if lot is not None:
        query = query.where(NotificationRow.inspection_lot == lot)
    if status is not None:
        query = query.where(NotificationRow.status == status)
    return [notification_out(session, row) for row in session.exec(query)]


@router.get("/{number}")
def read_notification(number: str, session: SessionDep) -> Notification:
    return notification_out(session, get_notification(session, number))


@router.post("/{number}/disposition")
def post_disposition(
    number: str, body: DispositionIn, session: SessionDep, ctx: Ctx
) -> Notification:
    """403 SegregationOfDuties (signer reported it) or NotAuthorized (signer's role);
    409 NotificationClosed."""
    return record_disposition(session, ctx, number, body)


@router.post("/{number}/complete")
def post_complete(
    number: str, body: NotificationComplete, session: SessionDep, ctx: Ctx
) -> Notification:
    """409 DispositionMissing before a disposition, NotificationClosed when already done."""
    return complete_notification(session, ctx, number, body)
