"""Supplier corrective action requests: issued by the buyer, answered by the supplier,
closed by the buyer once the answer is accepted."""

from datetime import UTC, datetime

from sqlmodel import Session, select

from refsystems.common.context import WriteContext
from refsystems.supplier_portal import events
from refsystems.supplier_portal.rules import (
    due_date,
    duplicate_scar,
    ensure_closable,
    ensure_respondable,
    scar_number,
)
from refsystems.supplier_portal.schemas import Scar, ScarCloseIn, ScarCreate, ScarResponseIn
from refsystems.supplier_portal.scorecard import compute_scorecard
from refsystems.supplier_portal.store import get_scar, known_supplier, scar_out
from refsystems.supplier_portal.tables import ScarRow


def _correlation(row: ScarRow, request_correlation: str) -> str:
    """The caller's correlation id, else the one the SCAR was issued under (a supplier
    answering in the portal sends none)."""
    return request_correlation or row.correlation_id


def create_scar(session: Session, ctx: WriteContext, body: ScarCreate) -> Scar:
    """OPEN, due 30 days after issue; refused for an unknown supplier or a second SCAR for
    the same nonconformance."""
    supplier = known_supplier(session, body.supplier_id)
    existing = session.exec(
        select(ScarRow.scar_number).where(ScarRow.nonconformance_ref == body.nonconformance_ref)
    ).first()
    if existing is not None:
        raise duplicate_scar(body.nonconformance_ref, existing)
    issued_at = datetime.now(UTC)
    row = ScarRow(
        **body.model_dump(),
        issued_at=issued_at,
        due_date=due_date(issued_at),
        correlation_id=ctx.correlation_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    row.scar_number = scar_number(row.id)
    row.correlation_id = row.correlation_id or f"portal-{row.scar_number}"
    out = scar_out(row)
    ctx.record(
        session, "create_scar", "Scar", row.scar_number, out.model_dump(mode="json", by_alias=True)
    )
    events.scar_created(session, out, row.correlation_id)
    card = compute_scorecard(session, supplier)
    events.scorecard_updated(session, card, "scarCreated", row.scar_number, row.correlation_id)
    session.commit()
    return out


def respond_scar(session: Session, ctx: WriteContext, number: str, body: ScarResponseIn) -> Scar:
    """The supplier's side: OPEN/RESPONDED -> RESPONDED."""
    row = get_scar(session, number)
    ensure_respondable(number, row.status)
    previous = row.status
    row.status = "RESPONDED"
    row.response_text = body.response_text
    row.responded_by = body.responded_by
    row.responded_at = datetime.now(UTC)
    session.add(row)
    out = scar_out(row)
    ctx.record(
        session,
        "respond_scar",
        "Scar",
        number,
        {**body.model_dump(mode="json", by_alias=True), "previousStatus": previous},
    )
    events.scar_responded(session, out, _correlation(row, ctx.correlation_id))
    session.commit()
    return out


def close_scar(session: Session, ctx: WriteContext, number: str, body: ScarCloseIn) -> Scar:
    """RESPONDED -> CLOSED: the buyer accepted the answer; the SCAR stops counting as open."""
    row = get_scar(session, number)
    ensure_closable(number, row.status)
    row.status = "CLOSED"
    row.closed_by = body.closed_by
    row.closing_note = body.closing_note
    row.closed_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    out = scar_out(row)
    ctx.record(session, "close_scar", "Scar", number, body.model_dump(mode="json", by_alias=True))
    correlation_id = _correlation(row, ctx.correlation_id)
    card = compute_scorecard(session, known_supplier(session, row.supplier_id))
    events.scorecard_updated(session, card, "scarClosed", number, correlation_id)
    session.commit()
    return out
