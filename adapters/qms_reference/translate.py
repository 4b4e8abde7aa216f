"""Canonical <-> QMS dialect pieces the adapter's calls share (pure functions, no I/O)."""

from decimal import Decimal

from adapters.qms_reference import dialect
from adapters.qms_reference.codes import (
    DISPOSITION_FROM_QMS,
    INSPECTION_SEVERITY,
    NOTIFICATION_SOURCE,
    SEVERITY_FROM_QMS,
)
from adapters.qms_reference.wire import mapping_error, number
from canonical.commands import InspectionLotInfo, SamplePlan
from canonical.enums import NonconformanceSource
from canonical.plant_config import ConfigError, UnitConversion, from_canonical
from canonical.quality import InspectionCharacteristic, Nonconformance

TEXT_MAX = 400
"""The QMS keeps at most this much of a notification's text or a skip reason."""


def lot_quantity(quantity: Decimal, unit: str, units: list[UnitConversion]) -> tuple[Decimal, str]:
    """Canonical quantity -> the QMS's unit (an empty table: the QMS keeps canonical units)."""
    if not units:
        return quantity, unit
    try:
        return from_canonical(quantity, unit, units)
    except ConfigError as exc:
        raise mapping_error(str(exc)) from exc


def sample_plan(plan: SamplePlan) -> dict[str, object]:
    """The saga's sample plan as the QMS records it; a skipped lot is a skip lot."""
    severity = INSPECTION_SEVERITY.get(plan.severity)
    if severity is None:
        raise mapping_error(
            f"sample plan severity {plan.severity!r} has no QMS code; known: "
            f"{sorted(INSPECTION_SEVERITY)}"
        )
    skipped = plan.skipped or severity == "SKIP"
    return {
        "InspectionSeverity": severity,
        "CodeLetter": plan.code_letter,
        "AQL": number(plan.aql),
        "SampleSize": plan.sample_size,
        "AcceptNumber": plan.accept_number,
        "RejectNumber": plan.reject_number,
        "SkipLot": skipped,
        "SkipReason": fit(plan.reason) if skipped else "",
    }


def fit(text: str) -> str:
    """Fit the QMS's text limit rather than be refused for it; the cut is marked."""
    text = text.strip()
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def defect_text(description: str) -> str:
    return fit(description) or "nonconformance"


def lot_info(lot: dialect.InspectionLot) -> InspectionLotInfo:
    return InspectionLotInfo(
        inspection_lot_id=lot.LotNumber,
        characteristics=[
            InspectionCharacteristic(
                characteristic_id=c.MIC,
                description=c.Description,
                nominal=c.Target,
                lower_limit=c.LowerLimit,
                upper_limit=c.UpperLimit,
                unit=c.Unit,
            )
            for c in lot.Characteristics
        ],
    )


def nonconformance(notification: dialect.Notification) -> Nonconformance:
    severity = SEVERITY_FROM_QMS.get(notification.Severity)
    if severity is None:
        raise mapping_error(f"QMS severity {notification.Severity!r} is not mapped")
    disposition = None
    if notification.Disposition is not None:
        disposition = DISPOSITION_FROM_QMS.get(notification.Disposition.Code)
        if disposition is None:
            raise mapping_error(f"QMS disposition {notification.Disposition.Code!r} is not mapped")
    return Nonconformance(
        nonconformance_id=notification.NotificationNumber,
        severity=severity,
        description=notification.DefectText,
        affected_lots=notification.AffectedBatches,
        raised_by=notification.ReportedBy,
        disposition=disposition,
        source=notification_source(notification.NotificationType),
    )


def notification_source(notification_type: str) -> NonconformanceSource | None:
    """F-type: found by inspection, Q-type: a complaint; a type not mapped (another QMS's, or
    none given) leaves it open rather than refusing the notification."""
    return NOTIFICATION_SOURCE.get(notification_type)
