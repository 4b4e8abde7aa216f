"""Lot outcomes: one per received (supplier, material, batch); the scorecard's evidence."""

from decimal import Decimal

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.supplier_portal import events
from refsystems.supplier_portal.rules import duplicate_outcome, ensure_valid_outcome, outcome_id
from refsystems.supplier_portal.schemas import LotOutcome, LotOutcomeIn
from refsystems.supplier_portal.scorecard import compute_scorecard
from refsystems.supplier_portal.store import known_supplier, outcome_out, text
from refsystems.supplier_portal.tables import LotOutcomeRow


def _same(row: LotOutcomeRow, body: LotOutcomeIn) -> bool:
    return (
        row.accepted == body.accepted
        and row.skipped == body.skipped
        and Decimal(row.quantity) == body.quantity
        and Decimal(row.rejected_quantity) == body.rejected_quantity
        and row.unit == body.unit
    )


def record_outcome(
    session: Session, ctx: WriteContext, body: LotOutcomeIn
) -> tuple[LotOutcome, bool]:
    """Store one outcome; returns it and whether it is new. A repeat for the same lot is
    answered with the first when identical and refused (DuplicateOutcome) when not: a
    scorecard never counts a lot twice nor rewrites its history."""
    supplier = known_supplier(session, body.supplier_id)
    ensure_valid_outcome(body.accepted, body.skipped, body.quantity, body.rejected_quantity)
    existing = session.exec(
        select(LotOutcomeRow).where(
            LotOutcomeRow.supplier_id == body.supplier_id,
            LotOutcomeRow.material == body.material,
            LotOutcomeRow.batch == body.batch,
        )
    ).first()
    if existing is not None:
        if _same(existing, body):
            return outcome_out(existing), False
        raise duplicate_outcome(body.supplier_id, body.material, body.batch, existing.outcome_id)
    row = LotOutcomeRow(
        supplier_id=body.supplier_id,
        plant_code=body.plant_code,
        material=body.material,
        batch=body.batch,
        accepted=body.accepted,
        skipped=body.skipped,
        quantity=text(body.quantity),
        rejected_quantity=text(body.rejected_quantity),
        unit=body.unit,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.outcome_id = outcome_id(row.id)
    out = outcome_out(row)
    ctx.record(
        session,
        "record_lot_outcome",
        "LotOutcome",
        row.outcome_id,
        out.model_dump(mode="json", by_alias=True),
    )
    card = compute_scorecard(session, supplier)
    correlation_id = ctx.correlation_id or f"portal-{row.outcome_id}"
    events.scorecard_updated(session, card, "lotOutcome", row.outcome_id, correlation_id)
    session.commit()
    return out, True
