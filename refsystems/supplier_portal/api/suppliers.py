"""Suppliers, their scorecards and the lot outcomes behind them."""

from fastapi import APIRouter
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.supplier_portal.api import Ctx
from refsystems.supplier_portal.schemas import LotOutcome, Scorecard, Supplier, SupplierIn
from refsystems.supplier_portal.scorecard import compute_scorecard
from refsystems.supplier_portal.store import get_supplier, outcome_out, supplier_out
from refsystems.supplier_portal.suppliers import save_supplier
from refsystems.supplier_portal.tables import LotOutcomeRow, SupplierRow

router = APIRouter(prefix="/api/suppliers", tags=["suppliers"])


@router.get("")
def list_suppliers(session: SessionDep) -> list[Supplier]:
    rows = session.exec(select(SupplierRow).order_by(col(SupplierRow.supplier_id)))
    return [supplier_out(row) for row in rows]


@router.get("/{supplier_id}")
def read_supplier(supplier_id: str, session: SessionDep) -> Supplier:
    return supplier_out(get_supplier(session, supplier_id))


@router.put("/{supplier_id}")
def put_supplier(supplier_id: str, body: SupplierIn, session: SessionDep, ctx: Ctx) -> Supplier:
    """Create or change a supplier (master data)."""
    save_supplier(session, ctx, supplier_id, body)
    session.commit()
    return supplier_out(get_supplier(session, supplier_id))


@router.get("/{supplier_id}/scorecard")
def read_scorecard(supplier_id: str, session: SessionDep) -> Scorecard:
    return compute_scorecard(session, get_supplier(session, supplier_id))


@router.get("/{supplier_id}/lot-outcomes")
def list_lot_outcomes(supplier_id: str, session: SessionDep) -> list[LotOutcome]:
    get_supplier(session, supplier_id)
    rows = session.exec(
        select(LotOutcomeRow)
        .where(LotOutcomeRow.supplier_id == supplier_id)
        .order_by(col(LotOutcomeRow.id))
    )
    return [outcome_out(row) for row in rows]
