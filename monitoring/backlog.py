"""A plant's backlog from Temporal's visibility store: counts and oldest ages of what waits.

Every figure is a ``count_workflows`` call over the sagas' search attributes (plus a few
calls for its oldest entry, see ``monitoring.visibility``), so it stays fast with 10,000
sagas. The times come from the Datetime attributes the sagas keep: ``HoldSince``,
``ParkedSince`` and ``WaitingSince``, and Temporal's own ``StartTime`` and ``CloseTime``.
"""

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, Field
from temporalio.client import Client

from monitoring.visibility import Figure, Visibility, both, when

PRODUCTION_ORDER = "ProductionOrderWorkflow"
RECEIPT = "SupplierReceiptInspectionWorkflow"
RELEASE = "FinishedGoodsReleaseWorkflow"
SAGA_TYPES = (PRODUCTION_ORDER, RECEIPT, RELEASE)

# Parked steps and supervisor exceptions name their system as the operator's filters do.
PARKED_SYSTEMS = ("erp", "mes", "qms", "lims", "supplier_portal", "plantflow")
# WaitingOn names systems as people say them (workflows.outages.DISPLAY_NAMES).
WAITING_SYSTEMS = ("ERP", "MES", "QMS", "LIMS", "SupplierPortal")
CHECKPOINTS = ("lab", "packaging", "approval")
# Released in ERP, but MES has not acknowledged the dispatch yet.
NOT_DISPATCHED_STAGES = ("validating", "awaiting_mes_ack")
HOLD_STATUSES = ("on_hold", "in_rework")
AWAITING_INSPECTION = ("planning", "awaiting_results", "deciding")
FAILED_STATUSES = ("Failed", "Terminated", "TimedOut")
FAILURE_WINDOW = timedelta(hours=24)


class Failures(BaseModel):
    """The last 24 h: steps parked by interface (system), and saga runs that failed by type."""

    window_hours: int = 24
    parked_by_system: dict[str, int] = Field(default_factory=dict)
    failed_runs_by_type: dict[str, int] = Field(default_factory=dict)


class PlantBacklog(BaseModel):
    """What waits in one plant, each figure with its count and oldest entry."""

    plant: str
    as_of: AwareDatetime
    orders_not_dispatched: Figure
    lots_on_hold: Figure
    dispositions_overdue: Figure
    steps_parked: Figure
    parked_by_system: dict[str, Figure] = Field(default_factory=dict)
    parked_by_error: dict[str, int] = Field(default_factory=dict)
    # WaitingOn is Text (no Keyword slot was left): `=` matches the system's name as a word.
    waiting_on: dict[str, Figure] = Field(
        default_factory=dict, description="The outage backlog: sagas waiting on each system"
    )
    receipts_awaiting_inspection: Figure
    releases_pending_checkpoints: Figure
    pending_by_checkpoint: dict[str, int] = Field(default_factory=dict)
    failures_24h: Failures


def one_of(field: str, values: Iterable[str]) -> str:
    return f"{field} IN ({', '.join(repr(v) for v in values)})"


def running(plant: str, workflow_type: str | None = None) -> str:
    kind = (
        f"WorkflowType = '{workflow_type}'" if workflow_type else one_of("WorkflowType", SAGA_TYPES)
    )
    return both(f"Plant = '{plant}'", "ExecutionStatus = 'Running'", kind)


async def _per_key(
    vis: Visibility, base: str, field: str, keys: Iterable[str], age_field: str, now: datetime
) -> dict[str, Figure]:
    keys = list(keys)
    figures = await asyncio.gather(
        *(vis.figure(both(base, f"{field} = '{key}'"), age_field, now) for key in keys)
    )
    return {key: fig for key, fig in zip(keys, figures, strict=True) if fig.count}


async def _counts(vis: Visibility, base: str, field: str, keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    counts = await asyncio.gather(*(vis.count(both(base, f"{field} = '{k}'")) for k in keys))
    return {key: n for key, n in zip(keys, counts, strict=True) if n}


async def failures(vis: Visibility, plant: str, now: datetime) -> Failures:
    since = when(now - FAILURE_WINDOW)
    parked = both(running(plant), "NeedsAttention = true", f"ParkedSince >= {since}")
    closed = both(f"Plant = '{plant}'", one_of("ExecutionStatus", FAILED_STATUSES))
    closed = both(closed, f"CloseTime >= {since}")
    by_system, by_type = await asyncio.gather(
        _counts(vis, parked, "ParkedSystem", PARKED_SYSTEMS),
        _counts(vis, closed, "WorkflowType", SAGA_TYPES),
    )
    return Failures(parked_by_system=by_system, failed_runs_by_type=by_type)


async def plant_backlog(
    client: Client | Visibility, plant: str, now: datetime | None = None
) -> PlantBacklog:
    """One plant's backlog. ``now`` is the clock ages are measured against (default: now)."""
    vis = client if isinstance(client, Visibility) else Visibility(client)
    now = now or datetime.now(UTC)
    orders = running(plant, PRODUCTION_ORDER)
    holds = both(orders, one_of("QualityStatus", HOLD_STATUSES))
    parked = both(running(plant), "NeedsAttention = true")
    receipts = both(running(plant, RECEIPT), one_of("InspectionStatus", AWAITING_INSPECTION))
    releases = both(running(plant, RELEASE), "ReleaseStatus = 'awaiting_checkpoints'")
    fails = asyncio.ensure_future(failures(vis, plant, now))
    (
        not_dispatched,
        on_hold,
        overdue,
        steps_parked,
        awaiting,
        pending,
    ) = await asyncio.gather(
        vis.figure(both(orders, one_of("SagaStage", NOT_DISPATCHED_STAGES)), "StartTime", now),
        vis.figure(holds, "HoldSince", now),
        vis.figure(both(holds, "Escalated = true"), "HoldSince", now),
        vis.figure(parked, "ParkedSince", now),
        vis.figure(receipts, "StartTime", now),
        vis.figure(releases, "StartTime", now),
    )
    by_system, by_error, waiting_on, by_checkpoint = await asyncio.gather(
        _per_key(
            vis,
            parked,
            "ParkedSystem",
            PARKED_SYSTEMS if steps_parked.count else (),
            "ParkedSince",
            now,
        ),
        _error_counts(vis, parked, steps_parked.count),
        _per_key(vis, running(plant), "WaitingOn", WAITING_SYSTEMS, "WaitingSince", now),
        _counts(vis, releases, "PendingCheckpoints", CHECKPOINTS if pending.count else ()),
    )
    return PlantBacklog(
        plant=plant,
        as_of=now,
        orders_not_dispatched=not_dispatched,
        lots_on_hold=on_hold,
        dispositions_overdue=overdue,
        steps_parked=steps_parked,
        parked_by_system=by_system,
        parked_by_error=by_error,
        waiting_on=waiting_on,
        receipts_awaiting_inspection=awaiting,
        releases_pending_checkpoints=pending,
        pending_by_checkpoint=by_checkpoint,
        failures_24h=await fails,
    )


async def _error_counts(vis: Visibility, parked: str, total: int) -> dict[str, int]:
    """Parked sagas by error type; the types are open-ended, so they are read from the
    parked sagas themselves (listed only when there are few) and then counted."""
    if not total:
        return {}
    kinds: set[str] = set()
    async for wf in vis.client.list_workflows(parked, limit=500):
        for pair in wf.typed_search_attributes:
            if pair.key.name == "ParkedError" and isinstance(pair.value, list | tuple):
                kinds.update(str(v) for v in pair.value)
    return await _counts(vis, parked, "ParkedError", sorted(kinds))


async def backlog(
    client: Client, plants: Iterable[str], now: datetime | None = None
) -> list[PlantBacklog]:
    """Every listed plant's backlog, measured against one clock."""
    vis = Visibility(client)
    now = now or datetime.now(UTC)
    return list(await asyncio.gather(*(plant_backlog(vis, p, now) for p in plants)))
