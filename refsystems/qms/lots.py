"""Inspection lots: create one for a production or goods-receipt batch, find and read them."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.inspection import create_lot
from refsystems.qms.schemas import InspectionLot, LotCreate, LotStatusCode
from refsystems.qms.store import get_lot, lot_out
from refsystems.qms.tables import InspectionLotRow

router = APIRouter(prefix="/api/v1/inspection-lots", tags=["inspection lots"])


@router.post("", status_code=201)
def post_lot(
    body: LotCreate,
    session: SessionDep,
    ctx: Annotated[WriteContext, Depends(write_context)],
) -> InspectionLot:
    """422 NoInspectionPlan when the material has no plan."""
    return create_lot(session, ctx, body)


@router.get("")
def find_lots(
    session: SessionDep,
    material: Annotated[str | None, Query(alias="Material")] = None,
    batch: Annotated[str | None, Query(alias="Batch")] = None,
    source_order: Annotated[str | None, Query(alias="SourceOrder")] = None,
    site: Annotated[str | None, Query(alias="Site")] = None,
    status: Annotated[LotStatusCode | None, Query(alias="Status")] = None,
) -> list[InspectionLot]:
    """Search by the dialect's names, e.g. ``?SourceOrder=1000001&Status=UD``."""
    query = select(InspectionLotRow).order_by(col(InspectionLotRow.id))
    filters = {
        "material": material,
        "batch": batch,
        "source_order": source_order,
        "site": site,
        "status": status,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(InspectionLotRow, column) == value)
    return [lot_out(session, row) for row in session.exec(query)]


@router.get("/{lot_number}")
def read_lot(lot_number: str, session: SessionDep) -> InspectionLot:
    return lot_out(session, get_lot(session, lot_number))
