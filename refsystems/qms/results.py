"""Characteristic results on a lot: the QMS valuates them itself against the lot's limits."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.inspection import record_result
from refsystems.qms.schemas import ResultIn, ResultOut
from refsystems.qms.store import get_lot, lot_results, result_out

router = APIRouter(prefix="/api/v1/inspection-lots/{lot_number}/results", tags=["results"])


@router.post("", status_code=201)
def post_result(
    lot_number: str,
    body: ResultIn,
    response: Response,
    session: SessionDep,
    ctx: Annotated[WriteContext, Depends(write_context)],
) -> ResultOut:
    """201 with the Valuation (and, on a production lot, the NotificationNumber a rejection
    opened); 200 with the existing result when an identical one was already recorded; 409
    DuplicateResult when a different one was; 409 LotDecided after the usage decision,
    LotCancelled on a cancelled lot, LotSkipped on a skip lot."""
    result, created = record_result(session, ctx, lot_number, body)
    if not created:
        response.status_code = 200
    return result


@router.get("")
def list_results(lot_number: str, session: SessionDep) -> list[ResultOut]:
    get_lot(session, lot_number)
    return [result_out(row) for row in lot_results(session, lot_number)]
