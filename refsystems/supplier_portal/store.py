"""Reading rows and rendering them in the dialect (one place, so every answer looks alike)."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, select

from refsystems.supplier_portal.errors import not_found
from refsystems.supplier_portal.rules import is_overdue, unknown_supplier
from refsystems.supplier_portal.schemas import LotOutcome, Scar, Supplier
from refsystems.supplier_portal.tables import LotOutcomeRow, ScarRow, SupplierRow


def as_utc(moment: datetime) -> datetime:
    """SQLite forgets the zone; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def text(value: Decimal) -> str:
    """Plain notation as entered ("50.0" stays, "1E+3" becomes "1000")."""
    return format(value, "f")


def get_supplier(session: Session, supplier_id: str) -> SupplierRow:
    """For reads: an unknown supplier is a 404."""
    row = session.get(SupplierRow, supplier_id)
    if row is None:
        raise not_found("supplier", supplier_id)
    return row


def known_supplier(session: Session, supplier_id: str) -> SupplierRow:
    """For writes naming a supplier: an unknown one is a refusal (UnknownSupplier)."""
    row = session.get(SupplierRow, supplier_id)
    if row is None:
        raise unknown_supplier(supplier_id)
    return row


def get_scar(session: Session, number: str) -> ScarRow:
    row = session.exec(select(ScarRow).where(ScarRow.scar_number == number)).first()
    if row is None:
        raise not_found("SCAR", number)
    return row


def get_outcome(session: Session, outcome_id: str) -> LotOutcomeRow:
    row = session.exec(select(LotOutcomeRow).where(LotOutcomeRow.outcome_id == outcome_id)).first()
    if row is None:
        raise not_found("lot outcome", outcome_id)
    return row


def supplier_out(row: SupplierRow) -> Supplier:
    return Supplier(supplier_id=row.supplier_id, name=row.name, contact_email=row.contact_email)


def scar_out(row: ScarRow) -> Scar:
    return Scar(
        scar_number=row.scar_number,
        supplier_id=row.supplier_id,
        plant_code=row.plant_code,
        purchase_order=row.purchase_order,
        material=row.material,
        batch=row.batch,
        nonconformance_ref=row.nonconformance_ref,
        description=row.description,
        status=row.status,  # type: ignore[arg-type]
        issued_by=row.issued_by,
        issued_at=as_utc(row.issued_at),
        due_date=row.due_date,
        overdue=is_overdue(row.status, row.due_date, datetime.now(UTC).date()),
        response_text=row.response_text,
        responded_by=row.responded_by,
        responded_at=as_utc(row.responded_at) if row.responded_at else None,
        closed_by=row.closed_by,
        closed_at=as_utc(row.closed_at) if row.closed_at else None,
        closing_note=row.closing_note,
    )


def outcome_out(row: LotOutcomeRow) -> LotOutcome:
    return LotOutcome(
        outcome_id=row.outcome_id,
        supplier_id=row.supplier_id,
        plant_code=row.plant_code,
        material=row.material,
        batch=row.batch,
        accepted=row.accepted,
        skipped=row.skipped,
        quantity=Decimal(row.quantity),
        rejected_quantity=Decimal(row.rejected_quantity),
        unit=row.unit,  # type: ignore[arg-type]
        recorded_at=as_utc(row.recorded_at),
    )
