"""The portal's business rules as plain functions: each returns a decision or raises
PortalError."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from refsystems.supplier_portal.errors import PortalError

RESPONSE_DAYS = 30
"""A supplier has 30 days from issue to answer a SCAR (the due date)."""

OPEN_STATUSES = frozenset({"OPEN", "RESPONDED"})
"""A SCAR counts against the supplier until the buyer closes it."""

OPEN_SCAR_PENALTY = Decimal(5)

RATING_FORMULA = (
    "100 * accepted inspected lots / inspected lots (100 with none inspected; skip-lots are "
    "received and accepted but carry no inspection evidence), minus 5 per open SCAR "
    "(OPEN or RESPONDED), floored at 0, rounded to 0.1"
)


def scar_number(row_id: int) -> str:
    return f"SCAR-{row_id:06d}"


def outcome_id(row_id: int) -> str:
    return f"LO-{row_id:06d}"


def due_date(issued_at: datetime) -> date:
    return issued_at.date() + timedelta(days=RESPONSE_DAYS)


def is_overdue(status: str, due: date, today: date) -> bool:
    return status in OPEN_STATUSES and today > due


def unknown_supplier(supplier_id: str) -> PortalError:
    return PortalError(422, "UnknownSupplier", f"supplier {supplier_id} is not registered")


def duplicate_scar(nonconformance_ref: str, existing: str) -> PortalError:
    """One nonconformance, one SCAR: a second request names the first."""
    return PortalError(
        409,
        "DuplicateScar",
        f"nonconformance {nonconformance_ref} already has {existing}",
        scarNumber=existing,
    )


def ensure_respondable(number: str, status: str) -> None:
    """OPEN or RESPONDED (a revised answer replaces the earlier one; the ledger keeps both)."""
    if status == "CLOSED":
        raise PortalError(409, "ScarClosed", f"{number} is closed; it takes no more responses")


def ensure_closable(number: str, status: str) -> None:
    if status == "CLOSED":
        raise PortalError(409, "ScarClosed", f"{number} is already closed")
    if status != "RESPONDED":
        raise PortalError(
            409, "ResponseMissing", f"{number} cannot be closed before the supplier responds"
        )


def ensure_valid_outcome(
    accepted: bool, skipped: bool, quantity: Decimal, rejected: Decimal
) -> None:
    if skipped and not accepted:
        raise PortalError(
            422, "InvalidOutcome", "a skipped lot was not inspected, so it cannot be rejected"
        )
    if rejected > quantity:
        raise PortalError(
            422,
            "InvalidOutcome",
            f"rejected quantity {rejected} exceeds the lot quantity {quantity}",
        )


def duplicate_outcome(supplier_id: str, material: str, batch: str, existing: str) -> PortalError:
    return PortalError(
        409,
        "DuplicateOutcome",
        f"supplier {supplier_id} batch {batch} of {material} already has outcome {existing} "
        "with different values",
        outcomeId=existing,
    )


def rating(lots_accepted: int, lots_rejected: int, lots_skipped: int, open_scars: int) -> Decimal:
    """See RATING_FORMULA."""
    inspected = lots_accepted + lots_rejected - lots_skipped
    accepted_inspected = lots_accepted - lots_skipped
    ratio = Decimal(100) if inspected <= 0 else Decimal(100 * accepted_inspected) / inspected
    score = max(Decimal(0), ratio - OPEN_SCAR_PENALTY * open_scars)
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
