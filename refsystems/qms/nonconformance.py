"""Quality notifications: opened (by a rejected result or by hand), dispositioned under an
electronic signature, completed."""

import json
from datetime import UTC, datetime

from sqlmodel import Session

from refsystems.common.context import WriteContext
from refsystems.qms import events
from refsystems.qms.rules import (
    COMPLAINT_TYPE,
    DEFECT_TYPE,
    VENDOR_TYPES,
    ensure_completable,
    ensure_disposition_allowed,
    notification_number,
    notification_partner,
)
from refsystems.qms.schemas import (
    DispositionIn,
    Notification,
    NotificationComplete,
    NotificationCreate,
)
from refsystems.qms.store import get_lot, get_notification, notification_out
from refsystems.qms.tables import (
    InspectionLotRow,
    NotificationPartnerRow,
    NotificationRow,
    ReceiptLotRow,
)


def new_notification(
    session: Session,
    ctx: WriteContext,
    lot: InspectionLotRow,
    reported_by: str,
    defect_text: str,
    severity: str = "2",
    affected_batches: list[str] | None = None,
    mic: str | None = None,
    sample_id: str | None = None,
    notification_type: str | None = None,
    supplier: str = "",
    purchase_order: str = "",
    defect: bool = False,
) -> Notification:
    """Add a notification (OSNO) and its ledger entry to the caller's transaction; the caller
    emits the event, so that it follows whatever caused it. Unless given, the type follows the
    lot's origin: a defect report from results recording is an F-type, a notification raised
    by hand a Q-type (``rules.DEFECT_TYPE``, ``rules.COMPLAINT_TYPE``). One against a vendor
    (Q2, F2) names the vendor, by default the receipt lot's."""
    by_origin = DEFECT_TYPE if defect else COMPLAINT_TYPE
    kind = notification_type or by_origin.get(lot.origin, "F3" if defect else "Q3")
    receipt = session.get(ReceiptLotRow, lot.lot_number)
    if kind in VENDOR_TYPES and receipt is not None:
        supplier = supplier or receipt.supplier
        purchase_order = purchase_order or receipt.purchase_order
    supplier, purchase_order = notification_partner(kind, supplier, purchase_order)
    row = NotificationRow(
        notification_type=kind,
        reported_by=reported_by,
        defect_text=defect_text,
        severity=severity,
        affected_batches=json.dumps(affected_batches or [lot.batch]),
        inspection_lot=lot.lot_number,
        material=lot.material,
        site=lot.site,
        mic=mic,
        sample_id=sample_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.notification_number = notification_number(row.id)
    if supplier or purchase_order:
        session.add(
            NotificationPartnerRow(
                notification_number=row.notification_number,
                supplier=supplier,
                purchase_order=purchase_order,
            )
        )
        session.flush()
    out = notification_out(session, row)
    ctx.record(
        session,
        "create_notification",
        "QualityNotification",
        row.notification_number,
        out.model_dump(mode="json", exclude={"Disposition", "CompletedBy", "CompletedAt"}),
    )
    return out


def create_notification(
    session: Session, ctx: WriteContext, body: NotificationCreate
) -> Notification:
    lot = get_lot(session, body.InspectionLot)
    out = new_notification(
        session,
        ctx,
        lot,
        reported_by=body.ReportedBy,
        defect_text=body.DefectText,
        severity=body.Severity,
        affected_batches=body.AffectedBatches,
        notification_type=body.NotificationType,
        supplier=body.Supplier,
        purchase_order=body.PurchaseOrder,
    )
    events.notification_created(session, lot, out, events.correlation_for(lot, ctx.correlation_id))
    session.commit()
    return out


def record_disposition(
    session: Session, ctx: WriteContext, number: str, body: DispositionIn
) -> Notification:
    """OSNO/NOPR -> NOPR. A revised decision replaces the earlier one; the ledger keeps both."""
    row = get_notification(session, number)
    ensure_disposition_allowed(number, row.status, row.reported_by, body.SignedBy, body.SignerRole)
    row.disposition = body.Code
    row.signed_by = body.SignedBy
    row.signer_role = body.SignerRole
    row.signed_at = body.SignedAt.astimezone(UTC)
    row.meaning = body.Meaning
    row.reason = body.Reason
    previous = row.status
    row.status = "NOPR"
    session.add(row)
    ctx.record(
        session,
        "record_disposition",
        "QualityNotification",
        number,
        {**body.model_dump(mode="json"), "PreviousStatus": previous},
    )
    session.commit()
    session.refresh(row)
    return notification_out(session, row)


def complete_notification(
    session: Session, ctx: WriteContext, number: str, body: NotificationComplete
) -> Notification:
    """NOPR -> NOCO: the disposition has been carried out; nothing changes it any more."""
    row = get_notification(session, number)
    ensure_completable(number, row.status)
    row.status = "NOCO"
    row.completed_by = body.CompletedBy
    row.completed_at = datetime.now(UTC)
    session.add(row)
    ctx.record(session, "complete_notification", "QualityNotification", number, body.model_dump())
    session.commit()
    session.refresh(row)
    return notification_out(session, row)
