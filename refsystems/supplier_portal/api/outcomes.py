"""Lot outcomes: the buyer reports each received lot's inspection result."""

from fastapi import APIRouter, Response

from refsystems.common.app import SessionDep
from refsystems.supplier_portal.api import Ctx
from refsystems.supplier_portal.outcomes import record_outcome
from refsystems.supplier_portal.schemas import LotOutcome, LotOutcomeIn
from refsystems.supplier_portal.store import get_outcome, outcome_out

router = APIRouter(prefix="/api/lot-outcomes", tags=["lot outcomes"])


@router.post("", status_code=201)
def post_outcome(
    body: LotOutcomeIn, response: Response, session: SessionDep, ctx: Ctx
) -> LotOutcome:
    """201 recorded; 200 an identical outcome for the lot was already there (nothing
    changed); 422 UnknownSupplier, InvalidOutcome; 409 DuplicateOutcome (names ``outcomeId``)."""
    out, created = record_outcome(session, ctx, body)
    if not created:
        response.status_code = 200
    return out


@router.get("/{outcome_id}")
def read_outcome(outcome_id: str, session: SessionDep) -> LotOutcome:
    return outcome_out(get_outcome(session, outcome_id))
