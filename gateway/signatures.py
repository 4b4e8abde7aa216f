"""The signature log of a lot, as the QMS keeps it: who signed what, when, meaning what."""

from fastapi import APIRouter, Query

from canonical.commands import LotQuery
from canonical.signatures import SignatureEntry
from gateway.acting import may_read
from gateway.deps import Gateway
from gateway.identity import Caller
from gateway.problems import error_responses

router = APIRouter(
    prefix="/signatures",
    tags=["electronic signatures"],
    responses=error_responses(401, 403, 404, 422),
)


@router.get("")
async def lot_signatures(
    gw: Gateway,
    caller: Caller,
    plant: str = Query(description="Canonical plant id, e.g. P100"),
    item: str = Query(description="The lot's material"),
    lot: str = Query(description="The lot (batch)"),
) -> list[SignatureEntry]:
    """Every electronic signature on the lot, oldest first: printed name, role, UTC time,
    meaning, reason and the digest of the record signed (append-only, kept in the QMS)."""
    may_read(gw.settings, caller, plant)
    return await gw.qms().find_signatures(LotQuery(plant=plant, item_id=item, lot_id=lot))
