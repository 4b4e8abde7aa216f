"""What the Web UI shows of a production-order saga: search attributes and current details."""

from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

from canonical.enums import Disposition
from workflows import outages
from workflows import search_attributes as sa
from workflows.production_order.messages import ProductionOrderState, QualityStatus
from workflows.signing import manifestation


def publish(state: ProductionOrderState) -> None:
    """Keep search attributes and the details pane in step with the state."""
    state.updated_at = workflow.now()
    open_exceptions = [e for e in state.exceptions if not e.acknowledged_by]
    updates: list[SearchAttributeUpdate[Any]] = [
        sa.PLANT.value_set(state.plant),
        sa.WORK_ORDER.value_set(state.order_id),
        sa.SAGA_STAGE.value_set(state.stage.value),
        sa.QUALITY_STATUS.value_set(state.quality_status.value),
        *sa.attention_updates(state.parked, open_exceptions),
        sa.ESCALATED.value_set(any(h.escalated_at for h in state.holds if h.decision is None)),
    ]
    if workflow.patched(sa.SINCE_PATCH):
        updates += sa.since_update(sa.HOLD_SINCE, hold_since(state))
    if state.item_id:
        updates.append(sa.ITEM.value_set(state.item_id))
    if state.lot_id:
        updates.append(sa.LOT.value_set(state.lot_id))
    sa.upsert_changed(updates)
    sa.publish_parked_steps(state.parked, open_exceptions)
    workflow.set_current_details(markdown(state))


def hold_since(state: ProductionOrderState) -> datetime | None:
    """When the lot's hold began: a rework keeps it until the re-inspection passes, so it is
    the earliest hold not yet lifted."""
    if state.quality_status not in (QualityStatus.ON_HOLD, QualityStatus.IN_REWORK):
        return None
    open_holds = [
        h.placed_at
        for h in state.holds
        if h.decision is None
        or (h.decision.decision == Disposition.REWORK and not h.reinspection_passed)
    ]
    return min(open_holds, default=state.holds[-1].placed_at if state.holds else None)


def markdown(state: ProductionOrderState) -> str:
    lines = [
        f"**Production order {state.order_id}** · item {state.item_id or '?'} · "
        f"lot {state.lot_id or '?'} · plant {state.plant}",
        f"**Stage:** {state.stage.value} · **Quality:** {state.quality_status.value}",
    ]
    if state.reason:
        lines.append(f"**Reason:** {state.reason}")
    hold = state.current_hold
    if hold:
        lines.append(
            f"**Hold** since {hold.placed_at:%Y-%m-%d %H:%M} UTC: nonconformance "
            f"{hold.nonconformance_id} ({hold.characteristic_id} = {hold.measured_value}, "
            f"raised by {hold.raised_by}); ERP blocked {hold.erp_blocked}, MES held "
            f"{hold.mes_held}, shipping blocked {hold.shipping_blocked}"
        )
        if hold.escalated_at:
            lines.append(
                f"**Escalated** at {hold.escalated_at:%Y-%m-%d %H:%M} UTC: disposition overdue"
            )
    lines += [manifestation(h.decision.signature) for h in state.holds if h.decision]
    for a in state.parked:
        lines.append(
            f"**Needs attention ({a.id}):** step '{a.step}' failed ({a.error_type}: "
            f"{a.message}); `starter.py attention retry|skip|compensate`"
        )
    for exc in [e for e in state.exceptions if not e.acknowledged_by][-3:]:
        lines.append(f"**Supervisor exception ({exc.id}):** {exc.kind}: {exc.message}")
    lines.append(
        f"Postings: {len(state.postings)} · MES events: {len(state.events_received)} "
        f"(duplicates ignored: {state.duplicate_events})"
    )
    lines += outages.describe(state.waiting)
    return "\n\n".join(lines)
