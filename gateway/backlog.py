"""The plant backlog: what waits and for how long, for the plant's people (the console's
overview reads it too)."""

from fastapi import APIRouter

from gateway.acting import may_list
from gateway.deps import Gateway
from gateway.identity import Caller, plants_of
from gateway.problems import error_responses
from monitoring.backlog import PlantBacklog, backlog

router = APIRouter(
    prefix="/backlog", tags=["monitoring"], responses=error_responses(401, 403, 404, 422)
)


@router.get("")
async def plant_backlogs(
    gw: Gateway, caller: Caller, plant: str | None = None
) -> list[PlantBacklog]:
    """Counts and oldest ages of orders not dispatched, lots on hold, dispositions overdue,
    parked steps, sagas waiting on a system, receipts awaiting inspection, releases with
    pending checkpoints, and the last 24 h's failures: for ``plant``, or every plant whose
    people table lists the caller."""
    may_list(gw.settings, caller, plant)
    plants = [plant] if plant else sorted(plants_of(gw.settings, caller))
    return await backlog(gw.client, plants)
