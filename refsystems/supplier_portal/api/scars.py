"""Supplier corrective action requests: issue, read, list, respond, close."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.supplier_portal.api import Ctx
from refsystems.supplier_portal.scars import close_scar, create_scar, respond_scar
from refsystems.supplier_portal.schemas import (
    Scar,
    ScarCloseIn,
    ScarCreate,
    ScarResponseIn,
    ScarStatus,
)
from refsystems.supplier_portal.store import get_scar, scar_out
from refsystems.supplier_portal.tables import ScarRow

router = APIRouter(prefix="/api/scars", tags=["scars"])


@router.post("", status_code=201)
def post_scar(body: ScarCreate, session: SessionDep, ctx: Ctx) -> Scar:
    """422 UnknownSupplier; 409 DuplicateScar (names the existing ``scarNumber``)."""
    return create_scar(session, ctx, body)


@router.get("")
def list_scars(
    session: SessionDep,
    supplier_id: Annotated[str | None, Query(alias="supplierId")] = None,
    status: Annotated[ScarStatus | None, Query()] = None,
    nonconformance_ref: Annotated[str | None, Query(alias="nonconformanceRef")] = None,
) -> list[Scar]:
    query = select(ScarRow).order_by(col(ScarRow.id))
    if supplier_id is not None:
        query = query.where(ScarRow.supplier_id == supplier_id)
    if status is not None:
        query = query.where(ScarRow.status == status)
    if nonconformance_ref is not None:
        query = query.where(ScarRow.nonconformance_ref == nonconformance_ref)
    return [scar_out(row) for row in session.exec(query)]


@router.get("/{number}")
def read_scar(number: str, session: SessionDep) -> Scar:
    return scar_out(get_scar(session, number))


@router.post("/{number}/response")
def post_response(number: str, body: ScarResponseIn, session: SessionDep, ctx: Ctx) -> Scar:
    """409 ScarClosed."""
    return respond_scar(session, ctx, number, body)


@router.post("/{number}/close")
def post_close(number: str, body: ScarCloseIn, session: SessionDep, ctx: Ctx) -> Scar:
    """409 ResponseMissing before the supplier answered, ScarClosed when already closed."""
    return close_scar(session, ctx, number, body)
