"""A plant's backlog from Temporal's visibility store: counts and oldest ages of what waits.

Every figure is a ``count_workflows`` call over the sagas' search attributes (plus a few
calls for its oldest entry, see ``monitoring.visibility``), so it stays fast with 10,000
sagas. The times come from the Datetime attributes the sagas keep: ``HoldSince``,
``ParkedSince`` and ``WaitingSince``, and Temporal's own ``StartTime`` and ``CloseTime``.
"""

import asyncio
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, Field
from temporalio.client import Client

from monitoring.visibility import Figure, Visibility, both, when
from workflows.search_attributes import PARKED_STEPS_MEMO

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
# Parked sagas read for their error types and step names.
DISCOVERY = 200


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
    parked_by_step: dict[str, int] = Field(
        default_factory=dict,
        description="'<system>: <step>' -> sagas, over the first parked_sagas_read parked sagas",
    )
    parked_sagas_read: int = 0
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
    vis: Visibility,
    base: str,
    field: str,
    keys: Iterable[str],
    age_field: str,
    now: datetime,
    total: Figure,
) -> dict[str, Figure]:
    keys = list(keys)
    figures = await asyncio.gather(
        *(
            vis.figure(both(base, f"{field} = '{key}'"), age_field, now, total.oldest_since)
            for key in keys
        )
    )
    return {key: fig for key, fig in zip(keys, figures, strict=True) if fig.count}


async def _counts(vis: Visibility, base: str, field: str, keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    counts = await asyncio.gather(*(vis.count(both(base, f"{field} = '{k}'")) for k in keys))
    return {key: n for key, n in zip(keys, counts, strict=True) if n}


async def failures(vis: Visibility, plant: str, now: datetime, any_parked: bool) -> Failures:
    since = when(now - FAILURE_WINDOW)
    parked = both(running(plant), "NeedsAttention = true", f"ParkedSince >= {since}")
    closed = both(f"Plant = '{plant}'", one_of("ExecutionStatus", FAILED_STATUSES))
    closed = both(closed, f"CloseTime >= {since}")
    by_system, by_type = await asyncio.gather(
        _counts(vis, parked, "ParkedSystem", PARKED_SYSTEMS if any_parked else ()),
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
    # WaitingOn is Text (no Keyword slot was left): `=` matches the system's name as a word.
    waiting = both(running(plant), "WaitingOn IS NOT NULL")
    (
        not_dispatched,
        on_hold,
        steps_parked,
        waiting_total,
        awaiting,
        pending,
    ) = await asyncio.gather(
        vis.figure(both(orders, one_of("SagaStage", NOT_DISPATCHED_STAGES)), "StartTime", now),
        vis.figure(holds, "HoldSince", now),
        vis.figure(parked, "ParkedSince", now),
        vis.figure(waiting, "WaitingSince", now),
        vis.figure(receipts, "StartTime", now),
        vis.figure(releases, "StartTime", now),
    )
    # The narrower figures start from the oldest of the wider ones: usually theirs too.
    systems = PARKED_SYSTEMS if steps_parked.count else ()
    waiting_systems = WAITING_SYSTEMS if waiting_total.count else ()
    overdue, by_system, detail, waiting_on, by_checkpoint, fails = await asyncio.gather(
        vis.figure(both(holds, "Escalated = true"), "HoldSince", now, on_hold.oldest_since),
        _per_key(vis, parked, "ParkedSystem", systems, "ParkedSince", now, steps_parked),
        _parked_detail(vis, parked, steps_parked.count),
        _per_key(vis, waiting, "WaitingOn", waiting_systems, "WaitingSince", now, waiting_total),
        _counts(vis, releases, "PendingCheckpoints", CHECKPOINTS if pending.count else ()),
        failures(vis, plant, now, bool(steps_parked.count)),
    )
    by_error, by_step, read = detail
    return PlantBacklog(
        plant=plant,
        as_of=now,
        orders_not_dispatched=not_dispatched,
        lots_on_hold=on_hold,
        dispositions_overdue=overdue,
        steps_parked=steps_parked,
        parked_by_system=by_system,
        parked_by_error=by_error,
        parked_by_step=by_step,
        parked_sagas_read=read,
        waiting_on=waiting_on,
        receipts_awaiting_inspection=awaiting,
        releases_pending_checkpoints=pending,
        pending_by_checkpoint=by_checkpoint,
        failures_24h=fails,
    )


async def _parked_detail(
    vis: Visibility, parked: str, total: int
) -> tuple[dict[str, int], dict[str, int], int]:
    """Parked sagas by error type and by step. Both are open-ended, so they are read from at
    most ``DISCOVERY`` parked sagas (their ``ParkedError`` and ``ParkedSteps`` memo); each
    error type found is then counted over all of them, the steps only over those read.
    Returns (by error, by step, sagas read)."""
    if not total:
        return {}, {}, 0
    kinds: set[str] = set()
    steps: Counter[str] = Counter()
    read = 0
    async for wf in vis.client.list_workflows(parked, limit=DISCOVERY, page_size=DISCOVERY):
        read += 1
        for pair in wf.typed_search_attributes:
            if pair.key.name == "ParkedError" and isinstance(pair.value, list | tuple):
                kinds.update(str(v) for v in pair.value)
        memo = await wf.memo()
        steps.update(str(step) for step in memo.get(PARKED_STEPS_MEMO) or [])
    by_error = await _counts(vis, parked, "ParkedError", sorted(kinds))
    return by_error, dict(steps.most_common()), read


async def backlog(
    client: Client, plants: Iterable[str], now: datetime | None = None
) -> list[PlantBacklog]:
    """Every listed plant's backlog, measured against one clock."""
    vis = Visibility(client)
    now = now or datetime.now(UTC)
    return list(await asyncio.gather(*(plant_backlog(vis, p, now) for p in plants)))
