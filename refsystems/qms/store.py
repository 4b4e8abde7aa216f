"""Reading rows and rendering them in the dialect (one place, so every answer looks alike)."""

import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from refsystems.qms.errors import not_found
from refsystems.qms.schemas import (
    Characteristic,
    DispositionOut,
    InspectionLot,
    LotCancellation,
    Notification,
    ResultOut,
    SamplingPlan,
    UsageDecisionOut,
)
from refsystems.qms.tables import (
    InspectionLotRow,
    LotCancellationRow,
    LotCharacteristicRow,
    NotificationPartnerRow,
    NotificationRow,
    PlanCharacteristicRow,
    ReceiptLotRow,
    ResultRow,
    UsageDecisionRow,
)


def as_utc(moment: datetime) -> datetime:
    """SQLite forgets the zone; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def text(value: Decimal | None) -> str | None:
    """Plain notation as entered ("12000.0" stays, "1E+4" becomes "10000")."""
    return None if value is None else format(value, "f")


def get_lot(session: Session, lot_number: str) -> InspectionLotRow:
    row = session.exec(
        select(InspectionLotRow).where(InspectionLotRow.lot_number == lot_number)
    ).first()
    if row is None:
        raise not_found("inspection lot", lot_number)
    return row


def get_notification(session: Session, number: str) -> NotificationRow:
    row = session.exec(
        select(NotificationRow).where(NotificationRow.notification_number == number)
    ).first()
    if row is None:
        raise not_found("notification", number)
    return row


def lot_characteristics(session: Session, lot_number: str) -> list[LotCharacteristicRow]:
    query = (
        select(LotCharacteristicRow)
        .where(LotCharacteristicRow.lot_number == lot_number)
        .order_by(col(LotCharacteristicRow.seq))
    )
    return list(session.exec(query))


def plan_characteristics(session: Session, material: str) -> list[PlanCharacteristicRow]:
    query = (
        select(PlanCharacteristicRow)
        .where(PlanCharacteristicRow.material == material)
        .order_by(col(PlanCharacteristicRow.seq))
    )
    return list(session.exec(query))


def lot_results(session: Session, lot_number: str) -> list[ResultRow]:
    query = select(ResultRow).where(ResultRow.lot_number == lot_number).order_by(col(ResultRow.id))
    return list(session.exec(query))


def characteristic_out(row: LotCharacteristicRow | PlanCharacteristicRow) -> Characteristic:
    return Characteristic(
        MIC=row.mic,
        Description=row.description,
        Target=dec(row.target),
        LowerLimit=dec(row.lower_limit),
        UpperLimit=dec(row.upper_limit),
        Unit=row.unit,
    )


def result_out(row: ResultRow) -> ResultOut:
    return ResultOut(
        InspectionLot=row.lot_number,
        MIC=row.mic,
        SampleID=row.sample_id,
        MeasuredValue=Decimal(row.measured_value),
        Unit=row.unit,
        RecordedBy=row.recorded_by,
        RecordedAt=as_utc(row.recorded_at),
        Valuation=row.valuation,  # type: ignore[arg-type]
        NotificationNumber=row.notification_number,
    )


def usage_decision_out(row: UsageDecisionRow) -> UsageDecisionOut:
    return UsageDecisionOut(
        Code=row.code,  # type: ignore[arg-type]
        DecidedBy=row.decided_by,
        DecidedAt=as_utc(row.decided_at),
        QtyToFree=Decimal(row.qty_to_free),
        QtyToBlocked=Decimal(row.qty_to_blocked),
    )


def is_skip_lot(session: Session, lot_number: str) -> bool:
    receipt = session.get(ReceiptLotRow, lot_number)
    return receipt is not None and receipt.skip_lot


def sampling_plan_out(row: ReceiptLotRow) -> SamplingPlan | None:
    if row.severity is None:
        return None
    return SamplingPlan(
        InspectionSeverity=row.severity,  # type: ignore[arg-type]
        CodeLetter=row.code_letter,
        AQL=Decimal(row.aql or "0"),
        SampleSize=row.sample_size or 0,
        AcceptNumber=row.accept_number or 0,
        RejectNumber=row.reject_number or 1,
        SkipLot=row.skip_lot,
        SkipReason=row.skip_reason,
    )


def cancellation_out(row: LotCancellationRow) -> LotCancellation:
    return LotCancellation(
        Reason=row.reason, CancelledBy=row.cancelled_by, CancelledAt=as_utc(row.cancelled_at)
    )


def lot_out(session: Session, row: InspectionLotRow) -> InspectionLot:
    numbers = session.exec(
        select(NotificationRow.notification_number)
        .where(NotificationRow.inspection_lot == row.lot_number)
        .order_by(col(NotificationRow.id))
    )
    decision = session.get(UsageDecisionRow, row.lot_number)
    receipt = session.get(ReceiptLotRow, row.lot_number) or ReceiptLotRow(lot_number="")
    cancellation = session.get(LotCancellationRow, row.lot_number)
    return InspectionLot(
        LotNumber=row.lot_number,
        Origin=row.origin,  # type: ignore[arg-type]
        Material=row.material,
        Batch=row.batch,
        Site=row.site,
        Quantity=Decimal(row.quantity),
        Unit=row.unit,
        SourceOrder=row.source_order,
        PurchaseOrder=receipt.purchase_order,
        Supplier=receipt.supplier,
        MaterialDocument=receipt.material_document,
        SamplePlan=sampling_plan_out(receipt),
        Status=row.status,  # type: ignore[arg-type]
        CreatedAt=as_utc(row.created_at),
        Characteristics=[
            characteristic_out(c) for c in lot_characteristics(session, row.lot_number)
        ],
        Results=[result_out(r) for r in lot_results(session, row.lot_number)],
        Notifications=list(numbers),
        UsageDecision=usage_decision_out(decision) if decision else None,
        Cancellation=cancellation_out(cancellation) if cancellation else None,
    )


def notification_out(session: Session, row: NotificationRow) -> Notification:
    disposition = None
    if row.disposition:
        disposition = DispositionOut(
            Code=row.disposition,  # type: ignore[arg-type]
            SignedBy=row.signed_by or "",
            SignerRole=row.signer_role,  # type: ignore[arg-type]
            SignedAt=as_utc(row.signed_at or row.reported_at),
            Meaning=row.meaning,  # type: ignore[arg-type]
            Reason=row.reason or "",
        )
    partner = session.get(NotificationPartnerRow, row.notification_number)
    return Notification(
        NotificationNumber=row.notification_number,
        NotificationType=row.notification_type,  # type: ignore[arg-type]
        Status=row.status,  # type: ignore[arg-type]
        ReportedBy=row.reported_by,
        ReportedAt=as_utc(row.reported_at),
        DefectText=row.defect_text,
        Severity=row.severity,  # type: ignore[arg-type]
        AffectedBatches=json.loads(row.affected_batches),
        InspectionLot=row.inspection_lot,
        Material=row.material,
        Site=row.site,
        Supplier=partner.supplier if partner else "",
        PurchaseOrder=partner.purchase_order if partner else "",
        MIC=row.mic,
        SampleID=row.sample_id,
        Disposition=disposition,
        CompletedBy=row.completed_by,
        CompletedAt=as_utc(row.completed_at) if row.completed_at else None,
    )
