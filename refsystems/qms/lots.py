"""Inspection lots: create one for a production or goods-receipt batch, find and read them."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.inspection import cancel_lot, create_lot
from refsystems.qms.schemas import InspectionLot, LotCancel, LotCreate, LotStatusCode, OriginCode
from refsystems.qms.store import get_lot, lot_out
from refsystems.qms.tables import InspectionLotRow, ReceiptLotRow

router = APIRouter(prefix="/api/v1/inspection-lots", tags=["inspection lots"])
Ctx = Annotated[WriteContext, Depends(write_context)]


@router.post("", status_code=201)
def post_lot(body: LotCreate, session: SessionDep, ctx: Ctx) -> InspectionLot:
    """422 NoInspectionPlan when the material has no plan. A goods-receipt lot (Origin "01")
    also carries PurchaseOrder, Supplier, MaterialDocument and its SamplePlan."""
    return create_lot(session, ctx, body)


@router.get("")
def find_lots(
    session: SessionDep,
    material: Annotated[str | None, Query(alias="Material")] = None,
    batch: Annotated[str | None, Query(alias="Batch")] = None,
    source_order: Annotated[str | None, Query(alias="SourceOrder")] = None,
    site: Annotated[str | None, Query(alias="Site")] = None,
    status: Annotated[LotStatusCode | None, Query(alias="Status")] = None,
    origin: Annotated[OriginCode | None, Query(alias="Origin")] = None,
    purchase_order: Annotated[str | None, Query(alias="PurchaseOrder")] = None,
    supplier: Annotated[str | None, Query(alias="Supplier")] = None,
) -> list[InspectionLot]:
    """Search by the dialect's names, e.g. ``?SourceOrder=1000001&Status=UD`` or
    ``?PurchaseOrder=4500000001``."""
    query = select(InspectionLotRow).order_by(col(InspectionLotRow.id))
    filters = {
        "material": material,
        "batch": batch,
        "source_order": source_order,
        "site": site,
        "status": status,
        "origin": origin,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(InspectionLotRow, column) == value)
    if purchase_order is not None or supplier is not None:
        query = query.join(
            ReceiptLotRow, col(ReceiptLotRow.lot_number) == col(InspectionLotRow.lot_number)
        )
        if purchase_order is not None:
            query = query.where(ReceiptLotRow.purchase_order == purchase_order)
        if supplier is not None:
            query = query.where(ReceiptLotRow.supplier == supplier)
    return [lot_out(session, row) for row in session.exec(query)]


@router.get("/{lot_number}")
def read_lot(lot_number: str, session: SessionDep) -> InspectionLot:
    return lot_out(session, get_lot(session, lot_number))


@router.post("/{lot_number}/cancel")
def post_cancel(lot_number: str, body: LotCancel, session: SessionDep, ctx: Ctx) -> InspectionLot:
    """-> LTCA (200 with the lot; also when it already was cancelled); 409 LotDecided after
    a usage decision."""
    lot, _changed = cancel_lot(session, ctx, lot_number, body)
    return lot
