"""Checks on overrides and operator actions, run by update validators."""

from canonical.signatures import receipt_record
from workflows.people import find_person, quality_role
from workflows.signing import digest_problem
from workflows.supplier_receipt.messages import (
    Decision,
    InspectionStatus,
    OverrideRequest,
    ReceiptState,
)

OPEN = {InspectionStatus.PLANNING, InspectionStatus.AWAITING_RESULTS}


def override_problem(state: ReceiptState, request: OverrideRequest, overridden: bool) -> str | None:
    if state.status not in OPEN or overridden:
        return f"lot {state.lot_id} is already decided or deciding (status {state.status.value})"
    person = find_person(state.people, request.engineer)
    if person is None:
        return f"{request.engineer} is not a known person in plant {state.plant}"
    if quality_role(person) is None:
        roles = ", ".join(r.value for r in person.roles)
        return f"{request.engineer} does not hold a quality role (has: {roles})"
    if request.decision is Decision.PARTIAL:
        quantity = request.accepted_quantity
        if quantity is None or not 0 < quantity < state.quantity:
            return (
                f"a partial acceptance must release more than 0 and less than the lot's "
                f"{state.quantity} {state.unit}"
            )
    record = receipt_record(
        state.workflow_id,
        state.item_id,
        state.lot_id,
        request.decision.value,
        request.accepted_quantity if request.decision is Decision.PARTIAL else None,
    )
    return digest_problem(request.record_digest, record)
