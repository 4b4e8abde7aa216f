"""Checks on the final approval and operator actions, run by update validators."""

from canonical.signatures import release_record
from workflows.finished_goods.messages import ReleaseApproval, ReleaseState, ReleaseStatus
from workflows.people import find_person, quality_role
from workflows.signing import digest_problem


def approval_problem(state: ReleaseState, request: ReleaseApproval) -> str | None:
    if state.status is not ReleaseStatus.AWAITING_APPROVAL:
        pending = ", ".join(c.value for c in state.pending()) or "none"
        return (
            f"lot {state.lot_id} is not awaiting approval (status {state.status.value}; "
            f"pending checkpoints: {pending})"
        )
    person = find_person(state.people, request.approver)
    if person is None:
        return f"{request.approver} is not a known approver in plant {state.plant}"
    if quality_role(person) is None:
        roles = ", ".join(r.value for r in person.roles)
        return f"{request.approver} does not hold a quality role (has: {roles})"
    if request.approver in state.record_producers:
        return (
            f"{request.approver} produced records of lot {state.lot_id} and cannot approve "
            "its release (segregation of duties)"
        )
    record = release_record(state.workflow_id, state.item_id, state.lot_id, request.verdict.value)
    return digest_problem(request.record_digest, record)
