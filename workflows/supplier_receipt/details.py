"""What the Web UI shows of a receipt-inspection saga."""

from temporalio import workflow

from workflows import outages
from workflows import search_attributes as sa
from workflows.signing import manifestation
from workflows.supplier_receipt.messages import ReceiptState


def publish(state: ReceiptState) -> None:
    sa.upsert_changed(
        [
            sa.PLANT.value_set(state.plant),
            sa.SUPPLIER.value_set(state.supplier),
            sa.PURCHASE_ORDER.value_set(state.purchase_order),
            sa.ITEM.value_set(state.item_id),
            sa.LOT.value_set(state.lot_id),
            sa.INSPECTION_STATUS.value_set(state.status.value),
            sa.ESCALATED.value_set(state.escalated_at is not None and state.decision is None),
            *sa.attention_updates(state.parked, []),
        ]
    )
    sa.publish_parked_steps(state.parked, [])
    workflow.set_current_details(markdown(state))


def markdown(state: ReceiptState) -> str:
    lines = [
        f"**Receipt of lot {state.lot_id}** · item {state.item_id} · {state.quantity} "
        f"{state.unit} · supplier {state.supplier} · PO {state.purchase_order} · "
        f"plant {state.plant}",
        f"**Status:** {state.status.value}" + (f" · {state.reason}" if state.reason else ""),
    ]
    if state.plan:
        plan = state.plan
        lines.append(
            f"**Sample plan:** {plan.severity}, code {plan.code_letter or '-'}, "
            f"n={plan.sample_size}, "
            f"Ac {plan.accept_number} / Re {plan.reject_number}, AQL {plan.aql}"
            + (f" ({plan.reason})" if plan.reason else "")
        )
        inspected = state.tally.inspected(state.characteristics)
        lines.append(
            f"**Tally:** {inspected} samples inspected, {state.tally.defective()} defective, "
            f"{state.tally.duplicates} duplicate deliveries ignored"
        )
    if state.escalated_at and state.decision is None:
        lines.append(f"**Escalated** at {state.escalated_at:%Y-%m-%d %H:%M} UTC: no decision yet")
    if state.decision:
        lines.append(f"**Decision:** {state.decision.decision.value}: {state.decision.basis}")
    for parked in state.parked:
        lines.append(
            f"**Needs attention ({parked.id}):** step '{parked.step}' failed "
            f"({parked.error_type}: {parked.message}); `starter.py attention retry|skip|...`"
        )
    signed = state.decision.signature if state.decision else None
    if signed:
        lines.append(manifestation(signed))
    lines += outages.describe(state.waiting)
    return "\n\n".join(lines)
