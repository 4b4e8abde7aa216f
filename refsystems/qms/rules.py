"""The QMS's business rules as plain functions: each returns a decision or raises QmsError."""

from decimal import Decimal

from refsystems.qms.errors import QmsError

DISPOSITION_ROLES = frozenset({"QA-MGR", "QA-ENG"})
"""Only quality people sign a disposition (material review board)."""

COMPLAINT_TYPE = {"03": "Q3", "04": "Q3", "01": "Q2"}
"""A notification raised by hand (a complaint), by the lot's origin, as S/4 QM's standard
Q-types: Q3 internal problem report (production, finished goods), Q2 complaint against a
vendor (goods receipt). Q1 (customer complaint) has no lot origin here."""

DEFECT_TYPE = {"03": "F3", "04": "F3", "01": "F2"}
"""A notification opened by a rejected result in results recording (a defect report), by the
lot's origin, as S/4 QM's standard F-types assigned per inspection type: F3 internal defect
(inspection types 03 in-process, 04 goods receipt from production), F2 defect against a vendor
(01 goods receipt). F1 (customer) belongs to delivery inspections, which this QMS has not."""

VENDOR_TYPES = frozenset({"Q2", "F2"})
"""Notification types against a vendor: they name the supplier."""

AUTO_NOTIFICATION_ORIGINS = frozenset({"03", "04"})
"""Origins where a rejected result opens a notification by itself. On a goods-receipt lot one
rejected sample is not yet a rejected lot (the accept number decides): whoever makes the usage
decision opens the vendor notification."""

QUANTITY_CHECKED_ORIGINS = frozenset({"01", "04"})
"""A receipt lot (from a vendor, "01", or from production, "04") is exactly what was posted at
goods receipt, so a usage decision cannot free or block more; an in-process lot ("03") is
created before the order delivers, which may over-deliver, so there the quantities are taken
as stated."""


def lot_number(row_id: int) -> str:
    return str(890_000_000_000 + row_id)


def notification_number(row_id: int) -> str:
    return f"QN{10_000_000 + row_id}"


def valuate(value: Decimal, lower: Decimal | None, upper: Decimal | None) -> str:
    """'A' within the limits (inclusive), 'R' outside; the QMS never trusts a caller's verdict."""
    if lower is not None and value < lower:
        return "R"
    if upper is not None and value > upper:
        return "R"
    return "A"


def result_unit(given: str, expected: str, mic: str) -> str:
    """A value in another unit would be valuated against the wrong limits: refuse it."""
    if given and expected and given != expected:
        raise QmsError(
            422, "UnitMismatch", f"{mic} is measured in {expected!r}, the result says {given!r}"
        )
    return given or expected


def lot_cancelled(lot_number: str) -> QmsError:
    return QmsError(409, "LotCancelled", f"inspection lot {lot_number} is cancelled")


def ensure_open_for_results(lot_number: str, status: str, skip_lot: bool = False) -> None:
    if status == "UD":
        raise QmsError(
            409, "LotDecided", f"inspection lot {lot_number} has a usage decision; no more results"
        )
    if status == "LTCA":
        raise lot_cancelled(lot_number)
    if skip_lot:
        raise QmsError(
            409,
            "LotSkipped",
            f"inspection lot {lot_number} is a skip lot: no results, only a usage decision",
        )


def opens_notification(origin: str, valuation: str) -> bool:
    return valuation == "R" and origin in AUTO_NOTIFICATION_ORIGINS


def is_identical_result(
    existing_value: Decimal, existing_unit: str, value: Decimal, unit: str
) -> bool:
    return existing_value == value and existing_unit == unit


def duplicate_result(lot_number: str, mic: str, sample_id: str) -> QmsError:
    return QmsError(
        409,
        "DuplicateResult",
        f"lot {lot_number} already has a different result for {mic} sample {sample_id}",
    )


def status_after_result(characteristics: set[str], with_results: set[str]) -> str:
    """INSP while characteristics are still open, RREC once each has at least one result."""
    return "RREC" if characteristics <= with_results else "INSP"


def defect_text(
    mic: str,
    description: str,
    value: Decimal,
    unit: str,
    lower: Decimal | None,
    upper: Decimal | None,
    sample_id: str,
) -> str:
    limits = f"{'' if lower is None else lower}..{'' if upper is None else upper}"
    what = f"{mic} ({description})" if description else mic
    return f"{what} {value} {unit} outside limits {limits}, sample {sample_id}".replace("  ", " ")


def ensure_disposition_allowed(
    number: str, status: str, reported_by: str, signed_by: str, signer_role: str
) -> None:
    if status == "NOCO":
        raise QmsError(409, "NotificationClosed", f"notification {number} is completed")
    if signer_role not in DISPOSITION_ROLES:
        raise QmsError(
            403,
            "NotAuthorized",
            f"role {signer_role} may not sign a disposition; needs one of "
            f"{sorted(DISPOSITION_ROLES)}",
        )
    if signed_by == reported_by:
        raise QmsError(
            403,
            "SegregationOfDuties",
            f"{signed_by} reported notification {number} and cannot sign its disposition",
        )


def ensure_completable(number: str, status: str) -> None:
    if status == "NOCO":
        raise QmsError(409, "NotificationClosed", f"notification {number} is already completed")
    if status != "NOPR":
        raise QmsError(409, "DispositionMissing", f"notification {number} has no disposition yet")


def ensure_undecided(lot_number: str, status: str) -> None:
    if status == "UD":
        raise QmsError(409, "LotDecided", f"inspection lot {lot_number} is already decided")
    if status == "LTCA":
        raise lot_cancelled(lot_number)


def ensure_cancellable(lot_number: str, status: str) -> bool:
    """True if the lot is to be cancelled now, False if it already is (nothing to do)."""
    if status == "UD":
        raise QmsError(
            409, "LotDecided", f"inspection lot {lot_number} has a usage decision; not cancelled"
        )
    return status != "LTCA"


def usage_quantities(
    code: str,
    lot_quantity: Decimal,
    to_free: Decimal | None,
    to_blocked: Decimal | None,
    origin: str = "03",
) -> tuple[Decimal, Decimal]:
    """Without quantities the whole lot goes one way (A: free, R: blocked). Given quantities may
    split the lot; on a receipt lot they may not add up to more than it holds."""
    if not to_free and not to_blocked:
        return (lot_quantity, Decimal(0)) if code == "A" else (Decimal(0), lot_quantity)
    free, blocked = to_free or Decimal(0), to_blocked or Decimal(0)
    if origin in QUANTITY_CHECKED_ORIGINS and free + blocked > lot_quantity:
        raise QmsError(
            422,
            "QuantityExceeded",
            f"QtyToFree {free} + QtyToBlocked {blocked} exceed the lot quantity {lot_quantity}",
        )
    return free, blocked


def notification_partner(
    notification_type: str, supplier: str, purchase_order: str
) -> tuple[str, str]:
    """A vendor notification (Q2, F2) names its vendor; the QMS refuses one that names nobody."""
    if notification_type in VENDOR_TYPES and not supplier:
        raise QmsError(
            422,
            "SupplierMissing",
            f"a {notification_type} notification needs a Supplier (none given, none on lot)",
        )
    return supplier, purchase_order
