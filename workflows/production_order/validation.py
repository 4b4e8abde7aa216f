"""Checks on human messages, run by update validators before history records them."""

from canonical.enums import Disposition
from canonical.signatures import disposition_record
from workflows.people import find_person, quality_role
from workflows.production_order.messages import (
    DispositionRequest,
    ProductionOrderState,
)
from workflows.signing import digest_problem

# A production nonconformance is used as is, reworked or scrapped; a return to the vendor
# is a supplier-receipt disposition, and repair is not offered by the reference routings.
PRODUCTION_DISPOSITIONS = {Disposition.USE_AS_IS, Disposition.REWORK, Disposition.SCRAP}


def disposition_problem(state: ProductionOrderState, request: DispositionRequest) -> str | None:
    """Why this disposition cannot be accepted, or None if it can."""
    hold = state.current_hold
    if not state.awaiting_disposition or hold is None:
        return f"order {state.order_id} is not awaiting a disposition (stage {state.stage.value})"
    if request.nonconformance_id != hold.nonconformance_id:
        return (
            f"nonconformance {request.nonconformance_id} is not the open one "
            f"({hold.nonconformance_id})"
        )
    if request.decision not in PRODUCTION_DISPOSITIONS:
        allowed = ", ".join(sorted(d.value for d in PRODUCTION_DISPOSITIONS))
        return f"{request.decision.value} is not a production disposition; use one of {allowed}"
    person = find_person(state.people, request.approver)
    if person is None:
        return f"{request.approver} is not a known approver in plant {state.plant}"
    if quality_role(person) is None:
        roles = ", ".join(r.value for r in person.roles)
        return f"{request.approver} does not hold a quality role (has: {roles})"
    if request.approver == hold.raised_by:
        return (
            f"{request.approver} raised nonconformance {hold.nonconformance_id} and cannot "
            "approve its disposition (segregation of duties)"
        )
    record = disposition_record(state.workflow_id, hold.nonconformance_id, request.decision.value)
    return digest_problem(request.record_digest, record)
