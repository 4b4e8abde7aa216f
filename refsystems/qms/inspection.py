"""Inspection lots: created from a plan, results valuated against the limits, usage decision,
cancellation."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.qms import events
from refsystems.qms.errors import QmsError
from refsystems.qms.nonconformance import new_notification
from refsystems.qms.rules import (
    defect_text,
    duplicate_result,
    ensure_cancellable,
    ensure_open_for_results,
    ensure_undecided,
    is_identical_result,
    lot_number,
    opens_notification,
    result_unit,
    status_after_result,
    usage_quantities,
    valuate,
)
from refsystems.qms.schemas import (
    InspectionLot,
    LotCancel,
    LotCreate,
    ResultIn,
    ResultOut,
    UsageDecisionIn,
    UsageDecisionOut,
)
from refsystems.qms.store import (
    dec,
    get_lot,
    is_skip_lot,
    lot_characteristics,
    lot_out,
    lot_results,
    plan_characteristics,
    result_out,
    usage_decision_out,
)
from refsystems.qms.tables import (
    InspectionLotRow,
    LotCancellationRow,
    LotCharacteristicRow,
    ReceiptLotRow,
    ResultRow,
    UsageDecisionRow,
)


def receipt_row(lot_number: str, body: LotCreate) -> ReceiptLotRow:
    """The purchase order and the sample plan exactly as the caller gave them."""
    plan = body.SamplePlan
    return ReceiptLotRow(
        lot_number=lot_number,
        purchase_order=body.PurchaseOrder,
        supplier=body.Supplier,
        material_document=body.MaterialDocument,
        severity=plan.InspectionSeverity if plan else None,
        code_letter=plan.CodeLetter if plan else "",
        aql=format(plan.AQL, "f") if plan else None,
        sample_size=plan.SampleSize if plan else None,
        accept_number=plan.AcceptNumber if plan else None,
        reject_number=plan.RejectNumber if plan else None,
        skip_lot=plan.SkipLot if plan else False,
        skip_reason=plan.SkipReason if plan else "",
    )


def create_lot(session: Session, ctx: WriteContext, body: LotCreate) -> InspectionLot:
    """CRTD, with the plan's characteristics copied onto the lot."""
    plan = plan_characteristics(session, body.Material)
    if not plan:
        raise QmsError(422, "NoInspectionPlan", f"material {body.Material} has no inspection plan")
    row = InspectionLotRow(
        origin=body.Origin,
        material=body.Material,
        batch=body.Batch,
        site=body.Site,
        quantity=format(body.Quantity, "f"),
        unit=body.Unit,
        source_order=body.SourceOrder,
        correlation_id=ctx.correlation_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.lot_number = lot_number(row.id)
    row.correlation_id = row.correlation_id or f"qms-lot-{row.lot_number}"
    for char in plan:
        session.add(
            LotCharacteristicRow(
                **char.model_dump(exclude={"id", "material"}), lot_number=row.lot_number
            )
        )
    if body.Origin == "01":
        session.add(receipt_row(row.lot_number, body))
    ctx.record(
        session,
        "create_inspection_lot",
        "InspectionLot",
        row.lot_number,
        body.model_dump(mode="json"),
    )
    session.commit()
    return lot_out(session, row)


def record_result(
    session: Session, ctx: WriteContext, number: str, body: ResultIn
) -> tuple[ResultOut, bool]:
    """Valuate and store one result; a rejection on a production lot opens a defect
    notification (F-type, as results recording does in S/4 QM).
    Returns the result and whether it is new (False: an identical result was already there)."""
    lot = get_lot(session, number)
    chars = {c.mic: c for c in lot_characteristics(session, number)}
    char = chars.get(body.MIC)
    if char is None:
        raise QmsError(
            422, "UnknownCharacteristic", f"lot {number} has no characteristic {body.MIC}"
        )
    unit = result_unit(body.Unit, char.unit, body.MIC)
    existing = session.exec(
        select(ResultRow).where(
            ResultRow.lot_number == number,
            ResultRow.mic == body.MIC,
            ResultRow.sample_id == body.SampleID,
        )
    ).first()
    if existing is not None:
        old_value = Decimal(existing.measured_value)
        if is_identical_result(old_value, existing.unit, body.MeasuredValue, unit):
            return result_out(existing), False
        ensure_open_for_results(number, lot.status)
        raise duplicate_result(number, body.MIC, body.SampleID)
    ensure_open_for_results(number, lot.status, is_skip_lot(session, number))

    lower, upper = dec(char.lower_limit), dec(char.upper_limit)
    row = ResultRow(
        lot_number=number,
        mic=body.MIC,
        sample_id=body.SampleID,
        measured_value=format(body.MeasuredValue, "f"),
        unit=unit,
        recorded_by=body.RecordedBy,
        valuation=valuate(body.MeasuredValue, lower, upper),
    )
    notification = None
    if opens_notification(lot.origin, row.valuation):
        text = defect_text(
            body.MIC, char.description, body.MeasuredValue, unit, lower, upper, body.SampleID
        )
        notification = new_notification(
            session,
            ctx,
            lot,
            body.RecordedBy,
            text,
            mic=body.MIC,
            sample_id=body.SampleID,
            defect=True,
        )
        row.notification_number = notification.NotificationNumber
    session.add(row)
    recorded = {r.mic for r in lot_results(session, number)} | {body.MIC}
    lot.status = status_after_result(set(chars), recorded)
    session.add(lot)
    out = result_out(row)
    ctx.record(session, "record_result", "InspectionLot", number, out.model_dump(mode="json"))
    correlation_id = events.correlation_for(lot, ctx.correlation_id)
    events.result_recorded(session, lot, out, correlation_id)
    if notification is not None:
        events.notification_created(session, lot, notification, correlation_id)
    session.commit()
    return out, True


def make_usage_decision(
    session: Session, ctx: WriteContext, number: str, body: UsageDecisionIn
) -> UsageDecisionOut:
    """The release decision: the lot moves to UD and takes no more results."""
    lot = get_lot(session, number)
    ensure_undecided(number, lot.status)
    free, blocked = usage_quantities(
        body.Code, Decimal(lot.quantity), body.QtyToFree, body.QtyToBlocked, lot.origin
    )
    row = UsageDecisionRow(
        lot_number=number,
        code=body.Code,
        decided_by=body.DecidedBy,
        decided_at=(body.DecidedAt or datetime.now(UTC)).astimezone(UTC),
        qty_to_free=format(free, "f"),
        qty_to_blocked=format(blocked, "f"),
    )
    session.add(row)
    lot.status = "UD"
    session.add(lot)
    out = usage_decision_out(row)
    ctx.record(session, "usage_decision", "InspectionLot", number, out.model_dump(mode="json"))
    events.usage_decision_made(session, lot, out, events.correlation_for(lot, ctx.correlation_id))
    session.commit()
    return out


def cancel_lot(
    session: Session, ctx: WriteContext, number: str, body: LotCancel
) -> tuple[InspectionLot, bool]:
    """Any status but UD -> LTCA: no results and no decision any more. Cancelling a cancelled
    lot answers it as it is (False: nothing changed)."""
    lot = get_lot(session, number)
    if not ensure_cancellable(number, lot.status):
        return lot_out(session, lot), False
    row = LotCancellationRow(lot_number=number, reason=body.Reason, cancelled_by=body.CancelledBy)
    session.add(row)
    previous, lot.status = lot.status, "LTCA"
    session.add(lot)
    session.flush()
    out = lot_out(session, lot)
    assert out.Cancellation is not None
    ctx.record(
        session,
        "cancel_inspection_lot",
        "InspectionLot",
        number,
        {**body.model_dump(mode="json"), "PreviousStatus": previous},
    )
    events.lot_cancelled(
        session, lot, out.Cancellation, events.correlation_for(lot, ctx.correlation_id)
    )
    session.commit()
    return out, True
