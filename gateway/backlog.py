"""The plant backlog and its SLA alerts, for the plant's people (the console reads both)."""

from fastapi import APIRouter

from gateway.acting import may_list
from gateway.deps import Gateway
from gateway.identity import Caller, plants_of
from gateway.problems import error_responses
from monitoring.backlog import PlantBacklog, backlog
from monitoring.ledger import ledger_view
from workflows.alerts_messages import AlertsView

router = APIRouter(tags=["monitoring"], responses=error_responses(401, 403, 404, 422))


def _plants(gw: Gateway, caller: Caller, plant: str | None) -> list[str]:
    may_list(gw.settings, caller, plant)
    return [plant] if plant else sorted(plants_of(gw.settings, caller))


@router.get("/backlog")
async def plant_backlogs(
    gw: Gateway, caller: Caller, plant: str | None = None
) -> list[PlantBacklog]:
    """Counts and oldest ages of orders not dispatched, lots on hold, dispositions overdue,
    parked steps, sagas waiting on a system, receipts awaiting inspection, releases with
    pending checkpoints, and the last 24 h's failures: for ``plant``, or every plant whose
    people table lists the caller."""
    return await backlog(gw.client, _plants(gw, caller, plant))


@router.get("/alerts")
async def alerts(gw: Gateway, caller: Caller, plant: str | None = None) -> AlertsView:
    """Open SLA alerts (oldest first), recently resolved ones and sagas' notices (newest
    first), for ``plant`` or every plant of the caller; ``last_check`` is the last
    evaluation. Empty until the first check has run."""
    mine = set(_plants(gw, caller, plant))
    view = await ledger_view(gw.client)
    return AlertsView(
        open=[a for a in view.open if a.plant in mine],
        resolved=[a for a in view.resolved if a.plant in mine],
        notices=[a for a in view.notices if a.plant in mine],
        last_check=view.last_check,
    )
