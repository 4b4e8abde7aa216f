"""The usage decision on a lot: accept ("A") or reject ("R"), with the quantities."""

from typing import Annotated

from fastapi import APIRouter, Depends

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.errors import not_found
from refsystems.qms.inspection import make_usage_decision
from refsystems.qms.schemas import UsageDecisionIn, UsageDecisionOut
from refsystems.qms.store import get_lot, usage_decision_out
from refsystems.qms.tables import UsageDecisionRow

router = APIRouter(
    prefix="/api/v1/inspection-lots/{lot_number}/usage-decision", tags=["usage decisions"]
)


@router.post("", status_code=201)
def post_usage_decision(
    lot_number: str,
    body: UsageDecisionIn,
    session: SessionDep,
    ctx: Annotated[WriteContext, Depends(write_context)],
) -> UsageDecisionOut:
    """409 LotDecided on a second decision, LotCancelled on a cancelled lot. Without
    quantities, the whole lot is freed (A) or blocked (R); on a receipt lot the quantities may
    split it but not exceed it (422 QuantityExceeded)."""
    return make_usage_decision(session, ctx, lot_number, body)


@router.get("")
def read_usage_decision(lot_number: str, session: SessionDep) -> UsageDecisionOut:
    get_lot(session, lot_number)
    row = session.get(UsageDecisionRow, lot_number)
    if row is None:
        raise not_found("usage decision for lot", lot_number)
    return usage_decision_out(row)
