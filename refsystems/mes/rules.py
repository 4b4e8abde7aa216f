"""The job order state machine and the MES's rules, as plain functions that raise MesRefusal.

States: Received -> Dispatched -> Running -> Completed, plus Held (remembers the state it
interrupted) and Aborted (final). A Held or Aborted job takes no shop-floor action.
"""

from decimal import Decimal
from enum import StrEnum

from refsystems.mes.errors import MesRefusal, conflict, unprocessable


class JobState(StrEnum):
    RECEIVED = "Received"
    DISPATCHED = "Dispatched"
    RUNNING = "Running"
    HELD = "Held"
    COMPLETED = "Completed"
    ABORTED = "Aborted"


class SegmentState(StrEnum):
    WAITING = "Waiting"
    RUNNING = "Running"
    COMPLETED = "Completed"


KNOWN_UNITS = frozenset({"PC", "g", "kg"})
REWORK_SEGMENT = "SEG-REWORK"


def _blocked(state: str, job_id: str, action: str) -> MesRefusal | None:
    if state == JobState.HELD:
        return conflict("LotHeld", f"job order {job_id} is held: {action} is not allowed")
    if state == JobState.ABORTED:
        return conflict("JobAborted", f"job order {job_id} is aborted: {action} is not allowed")
    return None


def check_shop_floor(state: str, job_id: str, action: str, needs: JobState) -> None:
    """start needs Dispatched; actuals, responses, tests and completion need Running."""
    refusal = _blocked(state, job_id, action)
    if refusal:
        raise refusal
    if state != needs:
        raise conflict(
            "InvalidState", f"job order {job_id} is {state}: {action} needs state {needs}"
        )


def check_cancel(state: str, job_id: str, action: str) -> bool:
    """recall / abort: anything but Completed goes to Aborted. False: already aborted."""
    if state == JobState.COMPLETED:
        raise conflict("InvalidState", f"job order {job_id} is Completed: it cannot be {action}")
    return state != JobState.ABORTED


def check_hold(state: str, job_id: str) -> bool:
    """A hold stops the lot in any live state (a Completed job's lot is held while the job
    stays Completed). False: already held (nothing to do)."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be held")
    return state != JobState.HELD


def check_release(state: str, job_id: str) -> bool:
    """False: the job is not held, so there is nothing to release."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be released")
    return state == JobState.HELD


def check_rework(state: str, job_id: str) -> None:
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be reworked")
    if state == JobState.RECEIVED:
        raise conflict("InvalidState", f"job order {job_id} is not accepted yet: no rework")


def check_accept(state: str, job_id: str) -> bool:
    """False: already accepted (Dispatched or later)."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be accepted")
    return state == JobState.RECEIVED


def check_unit(unit: str, field: str) -> None:
    if unit not in KNOWN_UNITS:
        raise unprocessable(
            "UnknownUnit", f"{field}: unit {unit!r} is not known here ({sorted(KNOWN_UNITS)})"
        )


def check_positive(quantity: Decimal, field: str) -> None:
    if quantity <= 0:
        raise unprocessable("InvalidQuantity", f"{field}: quantity must be greater than zero")


def check_segments(requested: list[str], known: set[str], site: str) -> None:
    """Every segment must be unique in the job and defined at the site."""
    seen: set[str] = set()
    for segment in requested:
        if segment in seen:
            raise unprocessable("DuplicateSegment", f"segment {segment} appears twice")
        seen.add(segment)
        if segment not in known:
            raise unprocessable(
                "UnknownSegment",
                f"segment {segment} is not a process segment of site {site} "
                f"(known: {sorted(known)})",
            )


# --- packaging & labelling verification ------------------------------------------------------

PACKAGING_CHECKS: dict[str, str] = {
    "LabelText": "the printed label text matches the item (and revision) and the lot",
    "LotCodePrinted": "the lot code and expiry are printed, legible, on every unit and case",
    "CountMatches": "units and cases packed match the lot's good quantity",
    "LineClearance": "no material, labels or packaging from another lot left on the line",
    "SealIntegrity": "tubes crimped, cartons and case seals intact",
}
"""Every verification records each of these checks, Passed or Failed; no others."""


def check_packaging_checks(check_ids: list[str]) -> None:
    """Each known check exactly once: an incomplete verification is not a verification."""
    seen: set[str] = set()
    for check_id in check_ids:
        if check_id not in PACKAGING_CHECKS:
            raise unprocessable(
                "UnknownCheck", f"Checks: {check_id!r} is not one of {list(PACKAGING_CHECKS)}"
            )
        if check_id in seen:
            raise unprocessable("DuplicateCheck", f"Checks: {check_id} appears twice")
        seen.add(check_id)
    missing = [c for c in PACKAGING_CHECKS if c not in seen]
    if missing:
        raise unprocessable("MissingCheck", f"Checks: every check is required; missing {missing}")


def check_packaging_job(state: str, job_id: str, lot_held: bool = False) -> None:
    """Packaging is verified on a finished lot: the job must be Completed (and not held)."""
    refusal = _blocked(state, job_id, "packaging verification")
    if refusal:
        raise refusal
    if lot_held:
        raise conflict(
            "LotHeld", f"the lot of job order {job_id} is held: no packaging verification"
        )
    if state != JobState.COMPLETED:
        raise conflict(
            "JobNotCompleted",
            f"job order {job_id} is {state}: packaging is verified once the job is Completed",
        )
