"""What the Web UI shows of a release saga."""

from temporalio import workflow

from workflows import outages
from workflows import search_attributes as sa
from workflows.finished_goods.messages import ReleaseState
from workflows.signing import manifestation


def publish(state: ReleaseState) -> None:
    escalated = any(
        c.escalated_at is not None and c.status == "pending" for c in state.checkpoints.values()
    )
    sa.upsert_changed(
        [
            sa.PLANT.value_set(state.plant),
            sa.ITEM.value_set(state.item_id),
            sa.LOT.value_set(state.lot_id),
            sa.RELEASE_STATUS.value_set(state.status.value),
            sa.PENDING_CHECKPOINTS.value_set([c.value for c in state.pending()]),
            sa.ESCALATED.value_set(escalated),
            *sa.attention_updates(state.parked, []),
        ]
    )
    sa.publish_parked_steps(state.parked, [])
    workflow.set_current_details(markdown(state))


def markdown(state: ReleaseState) -> str:
    lines = [
        f"**Release of lot {state.lot_id}** · item {state.item_id} · {state.quantity} "
        f"{state.unit} · plant {state.plant}"
        + (f" · order {state.order_id}" if state.order_id else ""),
        f"**Status:** {state.status.value}" + (f" · {state.reason}" if state.reason else ""),
        f"**Shipment blocked:** {state.shipment_blocked}",
    ]
    for checkpoint in state.checkpoints.values():
        if checkpoint.status == "not_required":
            continue
        line = f"- {checkpoint.checkpoint.value}: **{checkpoint.status.value}**"
        if checkpoint.actor:
            line += f" by {checkpoint.actor}"
        if checkpoint.reconciled:
            line += " (recovered by asking the system)"
        if checkpoint.escalated_at and checkpoint.status == "pending":
            line += f" · escalated {checkpoint.escalated_at:%Y-%m-%d %H:%M} UTC"
        lines.append(line)
    if state.deviations:
        lines.append("**Nonconformances in production:**")
        lines.extend(
            f"- {d.nonconformance_id}: {d.description} · "
            f"{d.disposition.value if d.disposition else 'no disposition'}"
            + (" · re-inspection passed" if d.reinspection_passed else "")
            for d in state.deviations
        )
    if state.certificate_id:
        lines.append(f"**Certificate of analysis:** {state.certificate_id}")
    for parked in state.parked:
        lines.append(
            f"**Needs attention ({parked.id}):** step '{parked.step}' failed "
            f"({parked.error_type}: {parked.message}); `starter.py attention retry|skip|...`"
        )
    signed = state.signature
    if signed:
        lines.append(manifestation(signed))
    lines += outages.describe(state.waiting)
    return "\n\n".join(lines)
