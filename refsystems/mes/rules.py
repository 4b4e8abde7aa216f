"""The job order's dispatch status and the MES's rules, as plain functions that raise
MesRefusal.

DispatchStatus uses B2MML's values (JobOrderDispatchStatus): Waiting (received, waiting for
the site to accept it) -> Dispatched (accepted, waiting for the line's Start) -> Running ->
Completed, plus Held (a hold on the lot; remembers the status it interrupted), Suspended
(paused on the line) and Aborted (final). The commands are B2MML's JobOrder commands:
Start, Hold, Restart (lifts a hold), Pause, Resume, Abort. A Held, Suspended or Aborted job
takes no shop-floor action.
"""

from decimal import Decimal
from enum import StrEnum

from refsystems.mes.errors import MesRefusal, conflict, unprocessable


class JobState(StrEnum):
    """B2MML JobOrderDispatchStatus values this MES uses."""

    WAITING = "Waiting"
    DISPATCHED = "Dispatched"
    RUNNING = "Running"
    HELD = "Held"
    SUSPENDED = "Suspended"
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
    if state == JobState.SUSPENDED:
        return conflict(
            "JobSuspended", f"job order {job_id} is suspended: Resume it before {action}"
        )
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


def check_abort(state: str, job_id: str) -> bool:
    """Abort: anything but Completed goes to Aborted (before Start it cancels the dispatch).
    False: already aborted."""
    if state == JobState.COMPLETED:
        raise conflict("InvalidState", f"job order {job_id} is Completed: it cannot be aborted")
    return state != JobState.ABORTED


def check_hold(state: str, job_id: str) -> bool:
    """A hold stops the lot in any live state (a Completed job's lot is held while the job
    stays Completed). False: already held (nothing to do)."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be held")
    return state != JobState.HELD


def check_restart(state: str, job_id: str) -> bool:
    """Restart lifts a hold. False: the job is not held, so there is nothing to restart."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be restarted")
    return state == JobState.HELD


def check_pause(state: str, job_id: str) -> bool:
    """Pause suspends a Running job. False: already suspended (nothing to do)."""
    if state == JobState.SUSPENDED:
        return False
    refusal = _blocked(state, job_id, "Pause")
    if refusal:
        raise refusal
    if state != JobState.RUNNING:
        raise conflict("InvalidState", f"job order {job_id} is {state}: Pause needs Running")
    return True


def check_resume(state: str, job_id: str) -> bool:
    """Resume runs a Suspended job again. False: it is Running already (nothing to do)."""
    if state == JobState.RUNNING:
        return False
    if state == JobState.SUSPENDED:
        return True
    refusal = _blocked(state, job_id, "Resume")
    if refusal:
        raise refusal
    raise conflict("InvalidState", f"job order {job_id} is {state}: Resume needs Suspended")


def check_rework(state: str, job_id: str) -> None:
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be reworked")
    if state == JobState.WAITING:
        raise conflict("InvalidState", f"job order {job_id} is not accepted yet: no rework")


def check_accept(state: str, job_id: str) -> bool:
    """False: already accepted (Dispatched or later)."""
    if state == JobState.ABORTED:
        raise conflict("JobAborted", f"job order {job_id} is aborted: it cannot be accepted")
    return state == JobState.WAITING


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
